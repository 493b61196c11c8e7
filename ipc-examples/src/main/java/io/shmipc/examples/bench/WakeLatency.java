package io.shmipc.examples.bench;

import io.shmipc.toolkit.SequencedMessage;
import io.shmipc.MessageHandler;
import org.HdrHistogram.Histogram;
import org.agrona.DirectBuffer;

/**
 * The handler of a woken consumer: reads the clock first, then records the measured messages' publish-to-handler
 * latency; stops at the end message.
 */
final class WakeLatency implements MessageHandler
{
    private final Histogram histogram = RoleContext.newHistogram();
    private volatile boolean ended;
    private long received;

    @Override
    public void onMessage(final DirectBuffer buffer, final int offset, final int length)
    {
        final long now = System.nanoTime();
        final int phase = SequencedMessage.phase(buffer, offset);
        if (phase == SequencedMessage.PHASE_END)
        {
            ended = true;
            return;
        }
        received++;
        if (phase == SequencedMessage.PHASE_MEASURE)
        {
            RoleContext.record(histogram, now - SequencedMessage.sendTime(buffer, offset));
        }
    }

    boolean ended()
    {
        return ended;
    }

    long received()
    {
        return received;
    }

    Histogram histogram()
    {
        return histogram;
    }
}
