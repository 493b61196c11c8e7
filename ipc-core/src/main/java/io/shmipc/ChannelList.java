package io.shmipc;

import java.util.List;

/**
 * The channels of a region at one moment, and the region's change count at that moment: how many channels had been
 * added or removed since the region was created. Two lists with the same count hold the same channels. Obtained from
 * {@link RegionDirectory#channelList()} and {@link RegionDirectory#awaitChannelChange}, and from
 * {@link RegionInspector#channelList()}.
 *
 * @param changeCount the region's Directory Change Count (wraps at 2^32).
 * @param channels    the channels present, in directory order, each with the message limit in force.
 */
public record ChannelList(int changeCount, List<ChannelSpec> channels)
{
    /**
     * Keep an unmodifiable copy.
     *
     * @param changeCount the change count.
     * @param channels    the channels.
     */
    public ChannelList
    {
        channels = List.copyOf(channels);
    }

    /**
     * The channel of a name.
     *
     * @param name the channel name.
     * @return its spec, or {@code null} when the list has no such channel.
     */
    public ChannelSpec find(final String name)
    {
        for (final ChannelSpec channel : channels)
        {
            if (channel.name().equals(name))
            {
                return channel;
            }
        }
        return null;
    }

    /**
     * Whether the list has a channel of that name.
     *
     * @param name the channel name.
     * @return true when present.
     */
    public boolean contains(final String name)
    {
        return find(name) != null;
    }
}
