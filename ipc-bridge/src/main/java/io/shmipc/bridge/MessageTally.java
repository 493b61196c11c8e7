package io.shmipc.bridge;

import org.agrona.concurrent.status.AtomicCounter;

/**
 * Messages and bytes counted in a local variable while a route works through a batch, added to the route's shared
 * counters once at the end: one pair of stores per frame or per send, not per message.
 */
final class MessageTally
{
    private long messages;
    private long bytes;

    void add(final int messageLength)
    {
        messages++;
        bytes += messageLength;
    }

    /**
     * Add what was tallied to the counters and start again from zero.
     *
     * @param messageCounter the route's message counter.
     * @param byteCounter    the route's byte counter.
     */
    void flushTo(final AtomicCounter messageCounter, final AtomicCounter byteCounter)
    {
        if (messages > 0)
        {
            messageCounter.getAndAddRelease(messages);
            byteCounter.getAndAddRelease(bytes);
            messages = 0;
            bytes = 0;
        }
    }
}
