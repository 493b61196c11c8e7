package io.shmipc.examples.bench;

import io.shmipc.toolkit.SequencedMessage;
import org.HdrHistogram.Histogram;
import org.agrona.DirectBuffer;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The consuming side of every throughput run: checks each producer's sequence (a gap is a loss, a step back is
 * disorder), counts what the measured phase delivered and over how long, records the sampled send times, and
 * knows when every producer has ended.
 */
final class MessageReceiver
{
    private final long[] expectedSequence;
    private final boolean[] ended;
    private final Histogram histogram = RoleContext.newHistogram();
    private int endedCount;
    private long received;
    private long measuredReceived;
    private long lost;
    private long disordered;
    private long skippedEnds;
    private long firstMeasuredNs;
    private long lastEndNs;

    private final long burst;
    private final FlowControl.Acknowledger acknowledger;

    MessageReceiver(final int producers)
    {
        this(producers, 0, null);
    }

    /**
     * A receiver that acknowledges every {@code burst} messages (broadcast flow control).
     *
     * @param producers    producers to expect.
     * @param burst        messages per acknowledgement; 0 for none.
     * @param acknowledger sends acknowledgements, or {@code null}.
     */
    MessageReceiver(final int producers, final long burst, final FlowControl.Acknowledger acknowledger)
    {
        this.expectedSequence = new long[producers];
        this.ended = new boolean[producers];
        this.burst = burst;
        this.acknowledger = acknowledger;
    }

    /**
     * One message.
     *
     * @param buffer holding it.
     * @param offset where it starts.
     */
    void onMessage(final DirectBuffer buffer, final int offset)
    {
        final int producer = SequencedMessage.source(buffer, offset);
        if (producer < 0 || producer >= ended.length)
        {
            disordered++;
            return;
        }
        final long sequence = SequencedMessage.sequence(buffer, offset);
        final int phase = SequencedMessage.phase(buffer, offset);
        final long gap = sequence - expectedSequence[producer];
        if (phase == SequencedMessage.PHASE_END)
        {
            if (!ended[producer])
            {
                final long announced = SequencedMessage.sendTime(buffer, offset);
                ended[producer] = true;
                lost += Math.max(0, announced - expectedSequence[producer]);
                skippedEnds += sequence - announced;
                expectedSequence[producer] = announced;
                if (++endedCount == ended.length)
                {
                    lastEndNs = System.nanoTime();
                }
            }
            return;
        }
        if (ended[producer] || gap < 0)
        {
            disordered++;
            return;
        }
        lost += gap;
        expectedSequence[producer] = sequence + 1;
        received++;
        if (acknowledger != null && (sequence + 1) % burst == 0)
        {
            acknowledger.acknowledge(sequence + 1);
        }
        if (phase == SequencedMessage.PHASE_MEASURE)
        {
            measuredReceived++;
            final long sendTime = SequencedMessage.sendTime(buffer, offset);
            if (firstMeasuredNs == 0 || sendTime != 0)
            {
                final long now = System.nanoTime();
                if (firstMeasuredNs == 0)
                {
                    firstMeasuredNs = now;
                }
                if (sendTime != 0)
                {
                    RoleContext.record(histogram, now - sendTime);
                }
            }
        }
    }

    boolean isDone()
    {
        return endedCount == ended.length;
    }

    /**
     * Poll {@code source} until every producer has ended.
     *
     * @param source the transport.
     * @throws IOException from a socket.
     */
    void consume(final MessageSource source) throws IOException
    {
        while (endedCount < ended.length)
        {
            if (source.poll() == 0)
            {
                Thread.onSpinWait();
            }
        }
    }

    /**
     * The result values.
     *
     * @return sent (what the end messages announced), received, lost, disordered, the end copies missed before
     *         the first one seen, the measured count and window, and the latency samples.
     */
    Map<String, String> result()
    {
        long announced = 0;
        for (final long sequence : expectedSequence)
        {
            announced += sequence;
        }
        final Map<String, String> result = new LinkedHashMap<>();
        result.put(Keys.SENT, Long.toString(announced));
        result.put(Keys.RECEIVED, Long.toString(received));
        result.put(Keys.LOST, Long.toString(lost));
        result.put(Keys.DISORDERED, Long.toString(disordered));
        result.put(Keys.SKIPPED_ENDS, Long.toString(skippedEnds));
        result.put(Keys.MEASURED_RECEIVED, Long.toString(measuredReceived));
        result.put(Keys.MEASURED_RECEIVE_NS, Long.toString(firstMeasuredNs == 0 ? 0 : lastEndNs - firstMeasuredNs));
        result.put(Keys.HISTOGRAM, HistogramCodec.encode(histogram));
        return result;
    }
}
