package io.shmipc.channel;

import io.shmipc.layout.CountersDescriptor;
import org.agrona.concurrent.status.AtomicCounter;

/**
 * A publisher's updates to its channel's counters. The only publisher of a channel keeps the running totals in
 * fields (seeded from the counters, so a replacement publisher continues them) and publishes each with one
 * release store, no read of shared memory; publishers that share a channel ({@link io.shmipc.ChannelKind#MANY_TO_ONE})
 * count locally and add atomically every {@link #SHARED_FLUSH_MESSAGES} messages, on back-pressure, on heartbeat
 * and on close, so they do not fight over the counters' cache lines on every message.
 */
final class PublisherCounters
{
    static final int SHARED_FLUSH_MESSAGES = 64;

    private final AtomicCounter messages;
    private final AtomicCounter bytes;
    private final AtomicCounter backPressure;
    private final boolean shared;
    private long pendingMessages;
    private long pendingBytes;
    private long totalMessages;
    private long totalBytes;

    PublisherCounters(final ChannelCounters counters, final boolean shared)
    {
        this.messages = counters.get(CountersDescriptor.PUBLISHED_MESSAGES);
        this.bytes = counters.get(CountersDescriptor.PUBLISHED_BYTES);
        this.backPressure = counters.get(CountersDescriptor.BACK_PRESSURE_EVENTS);
        this.shared = shared;
        if (!shared)
        {
            totalMessages = messages.get();
            totalBytes = bytes.get();
        }
    }

    void onPublished(final int count, final int length)
    {
        if (shared)
        {
            pendingBytes += length;
            pendingMessages += count;
            if (pendingMessages >= SHARED_FLUSH_MESSAGES)
            {
                flush();
            }
        }
        else
        {
            totalMessages += count;
            totalBytes += length;
            messages.setRelease(totalMessages);
            bytes.setRelease(totalBytes);
        }
    }

    void onBackPressure()
    {
        if (shared)
        {
            backPressure.increment();
            flush();
        }
        else
        {
            backPressure.incrementRelease();
        }
    }

    void flush()
    {
        if (pendingMessages > 0)
        {
            messages.getAndAdd(pendingMessages);
            bytes.getAndAdd(pendingBytes);
            pendingMessages = 0;
            pendingBytes = 0;
        }
    }
}
