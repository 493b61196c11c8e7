package io.shmipc.channel;

import io.shmipc.layout.ChannelLayout;
import io.shmipc.layout.CountersDescriptor;
import io.shmipc.posix.MappedBuffer;
import io.shmipc.posix.MappedCounter;
import org.agrona.concurrent.status.AtomicCounter;

/**
 * A channel's counters in the region's counters area (see {@link CountersDescriptor}), allocated by the creator in
 * directory order.
 */
final class ChannelCounters
{
    private final AtomicCounter[] counters = new AtomicCounter[CountersDescriptor.COUNTERS_PER_CHANNEL];

    ChannelCounters(final MappedBuffer values, final ChannelLayout channel)
    {
        for (int type = 0; type < counters.length; type++)
        {
            counters[type] = new MappedCounter(values, CountersDescriptor.counterId(channel.index(), type));
        }
    }

    AtomicCounter get(final int type)
    {
        return counters[type];
    }
}
