package io.shmipc.examples.bench;

import org.HdrHistogram.Histogram;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The hardware floor: one 8-byte word in a {@code /dev/shm} mapping, ping-ponged between two processes with plain
 * release stores and volatile reads. The pinger writes odd values, the ponger answers each with the next even
 * value; {@link #END} stops the ponger. Nothing can cross between two processes faster than this.
 */
final class FloorRoles
{
    /** Offset of the word in the mapping (page aligned, so the word has its cache line to itself). */
    static final int WORD_OFFSET = 0;
    /** Written by the pinger to stop the ponger. */
    static final long END = -1;

    private FloorRoles()
    {
    }

    static void ping(final RoleContext context) throws Exception
    {
        try (SharedFile file = SharedFile.map(Path.of(context.string(Keys.FILE))))
        {
            final UnsafeBuffer word = file.buffer();
            context.ready();
            final Histogram histogram = RoleContext.newHistogram();
            final long measureStart = System.nanoTime() + context.warmupNs();
            final long end = measureStart + context.durationNs();
            boolean measuring = false;
            long exchanges = 0;
            long value = 1;
            while (true)
            {
                final long sendTime = System.nanoTime();
                word.putLongRelease(WORD_OFFSET, value);
                final long expected = value + 1;
                while (word.getLongVolatile(WORD_OFFSET) != expected)
                {
                    Thread.onSpinWait();
                }
                final long now = System.nanoTime();
                exchanges++;
                value += 2;
                if (measuring)
                {
                    RoleContext.record(histogram, now - sendTime);
                    if (now - end >= 0)
                    {
                        break;
                    }
                }
                else
                {
                    measuring = now - measureStart >= 0;
                }
            }
            word.putLongRelease(WORD_OFFSET, END);

            final Map<String, String> result = new LinkedHashMap<>();
            result.put(Keys.SENT, Long.toString(exchanges));
            result.put(Keys.RECEIVED, Long.toString(exchanges));
            result.put(Keys.DISORDERED, "0");
            result.put(Keys.HISTOGRAM, HistogramCodec.encode(histogram));
            context.result(result);
        }
    }

    static void pong(final RoleContext context) throws Exception
    {
        try (SharedFile file = SharedFile.map(Path.of(context.string(Keys.FILE))))
        {
            final UnsafeBuffer word = file.buffer();
            context.ready();
            long expected = 1;
            long echoed = 0;
            while (true)
            {
                long value;
                while ((value = word.getLongVolatile(WORD_OFFSET)) != expected && value != END)
                {
                    Thread.onSpinWait();
                }
                if (value == END)
                {
                    break;
                }
                word.putLongRelease(WORD_OFFSET, expected + 1);
                expected += 2;
                echoed++;
            }
            context.result(PingLoop.echoResult(echoed));
        }
    }
}
