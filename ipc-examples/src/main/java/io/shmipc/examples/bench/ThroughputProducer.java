package io.shmipc.examples.bench;

import io.shmipc.toolkit.SequencedMessage;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The producing side of every throughput run: send as fast as the transport takes messages, spinning while it is
 * back-pressured, for the warm-up and then the measured duration; then flush and send the end message. The clock is
 * read once every {@link #SAMPLE_INTERVAL} messages, and that message carries the time as a latency
 * sample. A broadcast producer waits for acknowledgements after each burst ({@link FlowControl}).
 */
final class ThroughputProducer
{
    /** The producer stamps the send time on one message in this many (a power of two). */
    static final int SAMPLE_INTERVAL = 1024;

    private ThroughputProducer()
    {
    }

    /**
     * Run the producer.
     *
     * @param sink       the transport.
     * @param producer   this producer's index.
     * @param length     message length.
     * @param warmupNs   warm-up time.
     * @param durationNs measured time.
     * @param burst      with {@code waiter}: messages per burst; 0 without flow control.
     * @param waiter     flow control (broadcast), or {@code null}.
     * @return the result values, with the rate of each tenth of the measured time.
     * @throws IOException from a socket.
     */
    static Map<String, String> run(
        final MessageSink sink,
        final int producer,
        final int length,
        final long warmupNs,
        final long durationNs,
        final long burst,
        final FlowControl.Waiter waiter) throws IOException
    {
        final UnsafeBuffer message = new UnsafeBuffer(ByteBuffer.allocateDirect(length));
        final long start = System.nanoTime();
        final long measureStart = start + warmupNs;
        final long end = measureStart + durationNs;
        final long sampleMask = SAMPLE_INTERVAL - 1;
        final long[] sliceStartSequence = new long[CaseSlices.COUNT + 2];
        final long[] sliceStartNs = new long[CaseSlices.COUNT + 2];
        int slice = 0;
        int boundaries = 0;
        long sequence = 0;
        long measuredFrom = 0;
        long measuredSince = start;
        long backPressured = 0;
        long now = start;
        int phase = SequencedMessage.PHASE_WARMUP;
        while (true)
        {
            long sendTime = 0;
            if ((sequence & sampleMask) == 0)
            {
                now = System.nanoTime();
                if (phase == SequencedMessage.PHASE_WARMUP && now - measureStart >= 0)
                {
                    phase = SequencedMessage.PHASE_MEASURE;
                    measuredFrom = sequence;
                    measuredSince = now;
                    sliceStartSequence[0] = sequence;
                    sliceStartNs[0] = now;
                    boundaries = 1;
                }
                else if (phase == SequencedMessage.PHASE_MEASURE)
                {
                    // A slice ends at the first sample point in a later one (a stall may skip a slice).
                    final int index = CaseSlices.index(now, measureStart, durationNs);
                    final boolean ended = now - end >= 0;
                    if (ended || index > slice)
                    {
                        slice = index;
                        sliceStartSequence[boundaries] = sequence;
                        sliceStartNs[boundaries] = now;
                        boundaries++;
                    }
                    if (ended)
                    {
                        break;
                    }
                }
                sendTime = now;
            }
            SequencedMessage.write(message, 0, sequence, producer, phase, sendTime);
            while (!sink.offer(message, length))
            {
                backPressured++;
                Thread.onSpinWait();
            }
            sequence++;
            if (waiter != null && sequence % burst == 0)
            {
                waiter.awaitAcknowledged(sequence - burst);
            }
        }
        while (!sink.flush())
        {
            Thread.onSpinWait();
        }
        SequencedMessage.write(message, 0, sequence, producer, SequencedMessage.PHASE_END, sequence);
        while (!sink.offer(message, length))
        {
            Thread.onSpinWait();
        }
        while (!sink.flush())
        {
            Thread.onSpinWait();
        }

        final Map<String, String> result = new LinkedHashMap<>();
        result.put(Keys.SENT, Long.toString(sequence));
        result.put(Keys.MEASURED_SENT, Long.toString(sequence - measuredFrom));
        result.put(Keys.MEASURED_SEND_NS, Long.toString(now - measuredSince));
        result.put(Keys.BACK_PRESSURED, Long.toString(backPressured));
        result.put(Keys.SLICE_RATES, sliceRates(sliceStartSequence, sliceStartNs, boundaries - 1));
        return result;
    }

    /**
     * The rate of each slice of the measured time, messages a second, comma-separated.
     */
    private static String sliceRates(final long[] startSequence, final long[] startNs, final int slices)
    {
        final StringBuilder text = new StringBuilder();
        for (int i = 0; i < slices; i++)
        {
            final long ns = startNs[i + 1] - startNs[i];
            if (ns > 0)
            {
                text.append(text.length() == 0 ? "" : ",")
                    .append(Math.round((startSequence[i + 1] - startSequence[i]) * 1e9 / ns));
            }
        }
        return text.toString();
    }
}
