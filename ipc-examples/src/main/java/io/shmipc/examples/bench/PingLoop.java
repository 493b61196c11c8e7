package io.shmipc.examples.bench;

import io.shmipc.toolkit.SequencedMessage;
import org.HdrHistogram.Histogram;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The pinging side of every ping-pong: send, wait for the echo, record the round trip, for the warm-up and then
 * for the measured duration; finally send an end message, which is not echoed.
 */
final class PingLoop
{
    private PingLoop()
    {
    }

    /**
     * Run the loop.
     *
     * @param roundTrip  the transport.
     * @param length     message length, at least {@link SequencedMessage#HEADER_LENGTH}.
     * @param warmupNs   warm-up time.
     * @param durationNs measured time.
     * @return the result values: sent, received, disordered, histogram, and the p50 of each tenth of the measured
     *         time.
     * @throws IOException from a socket.
     */
    static Map<String, String> run(final RoundTrip roundTrip, final int length, final long warmupNs,
        final long durationNs) throws IOException
    {
        final UnsafeBuffer message = new UnsafeBuffer(ByteBuffer.allocateDirect(length));
        final Histogram histogram = RoleContext.newHistogram();
        final Histogram[] slices = CaseSlices.newHistograms();
        final long measureStart = System.nanoTime() + warmupNs;
        final long end = measureStart + durationNs;
        long sequence = 0;
        long received = 0;
        long disordered = 0;
        int phase = SequencedMessage.PHASE_WARMUP;
        while (true)
        {
            final long sendTime = System.nanoTime();
            SequencedMessage.write(message, 0, sequence, 0, phase, sendTime);
            roundTrip.send(message, length);
            final long echoed = roundTrip.awaitReply();
            final long now = System.nanoTime();
            received++;
            if (echoed != sequence)
            {
                disordered++;
            }
            sequence++;
            if (phase == SequencedMessage.PHASE_MEASURE)
            {
                RoleContext.record(histogram, now - sendTime);
                RoleContext.record(slices[CaseSlices.index(now, measureStart, durationNs)], now - sendTime);
                if (now - end >= 0)
                {
                    break;
                }
            }
            else if (now - measureStart >= 0)
            {
                phase = SequencedMessage.PHASE_MEASURE;
            }
        }
        SequencedMessage.write(message, 0, sequence, 0, SequencedMessage.PHASE_END, 0);
        roundTrip.send(message, length);

        final Map<String, String> result = new LinkedHashMap<>();
        result.put(Keys.SENT, Long.toString(sequence));
        result.put(Keys.RECEIVED, Long.toString(received));
        result.put(Keys.DISORDERED, Long.toString(disordered));
        result.put(Keys.HISTOGRAM, HistogramCodec.encode(histogram));
        result.put(Keys.SLICE_P50S, CaseSlices.p50s(slices));
        return result;
    }

    /**
     * The result of an echoing side: how many it echoed.
     *
     * @param echoed messages echoed, the end message excluded.
     * @return the result values.
     */
    static Map<String, String> echoResult(final long echoed)
    {
        final Map<String, String> result = new LinkedHashMap<>();
        result.put(Keys.RECEIVED, Long.toString(echoed));
        result.put(Keys.SENT, Long.toString(echoed));
        return result;
    }
}
