package io.shmipc.examples.demo.market;

import io.shmipc.ChannelKind;
import io.shmipc.RegionConfig;
import io.shmipc.examples.support.CapacityOption;
import io.shmipc.examples.support.ChannelOption;
import io.shmipc.examples.support.RegionOption;
import picocli.CommandLine.Mixin;

/**
 * The region and channel the feed and its subscribers share ({@code --region}, {@code --channel},
 * {@code --capacity}: 64 bytes a quote), a picocli mixin of both commands.
 */
final class MarketChannel
{
    @Mixin
    private RegionOption region = new RegionOption("shm-ipc-market");

    @Mixin
    private ChannelOption channel = new ChannelOption("quotes");

    @Mixin
    private CapacityOption capacity;

    String channel()
    {
        return channel.name();
    }

    int capacity()
    {
        return capacity.bytes();
    }

    String regionArgument()
    {
        return region.argument();
    }

    /**
     * The layout the feed and its subscribers share: one {@link ChannelKind#BROADCAST} channel.
     *
     * @return the configuration.
     */
    RegionConfig config()
    {
        return RegionConfig.builder(region.location()).channel(channel.name(), ChannelKind.BROADCAST,
            capacity.bytes()).build();
    }
}
