package io.shmipc;

import io.shmipc.layout.ChannelLayout;
import io.shmipc.layout.CountersDescriptor;
import org.agrona.concurrent.AtomicBuffer;
import org.agrona.concurrent.status.AtomicCounter;
import org.agrona.concurrent.status.CountersManager;

import java.nio.charset.StandardCharsets;

/**
 * A channel's counters in the region's counters area (see {@link CountersDescriptor}).
 */
final class ChannelCounters
{
    private final AtomicCounter[] counters = new AtomicCounter[CountersDescriptor.COUNTERS_PER_CHANNEL];

    ChannelCounters(final AtomicBuffer values, final ChannelLayout channel)
    {
        for (int type = 0; type < counters.length; type++)
        {
            counters[type] = new AtomicCounter(values, CountersDescriptor.counterId(channel.index(), type));
        }
    }

    AtomicCounter get(final int type)
    {
        return counters[type];
    }

    /**
     * Allocate every channel's counters, in directory order, so that ids follow
     * {@link CountersDescriptor#counterId}. Creator only, before the region is READY.
     */
    static void allocate(final AtomicBuffer metadata, final AtomicBuffer values,
        final java.util.List<ChannelLayout> channels)
    {
        final CountersManager manager = new CountersManager(metadata, values, StandardCharsets.US_ASCII);
        for (final ChannelLayout channel : channels)
        {
            for (int type = 0; type < CountersDescriptor.COUNTERS_PER_CHANNEL; type++)
            {
                final int channelIndex = channel.index();
                final int id = manager.allocate(channel.name() + ": " + CountersDescriptor.name(type),
                    CountersDescriptor.TYPE_ID_BASE + type, key -> key.putInt(0, channelIndex));
                if (id != CountersDescriptor.counterId(channelIndex, type))
                {
                    throw new IllegalStateException("counter allocated out of order: id=" + id + " channel=" +
                        channel.name() + " type=" + type);
                }
            }
        }
    }
}
