package io.shmipc.examples.demo.logs;

import io.shmipc.ChannelKind;
import io.shmipc.RegionConfig;
import io.shmipc.examples.support.CapacityOption;
import io.shmipc.examples.support.ChannelOption;
import io.shmipc.examples.support.RegionOption;
import picocli.CommandLine.Mixin;

/**
 * The region and channel the writer and its shippers share ({@code --region}, {@code --channel},
 * {@code --capacity}), a picocli mixin of both commands.
 */
final class LogChannel
{
    @Mixin
    private RegionOption region = new RegionOption("shm-ipc-logs");

    @Mixin
    private ChannelOption channel = new ChannelOption("logs");

    @Mixin
    private CapacityOption capacity;

    String channel()
    {
        return channel.name();
    }

    String regionArgument()
    {
        return region.argument();
    }

    /**
     * The layout the writer and its shippers share: one {@link ChannelKind#MANY_TO_ONE} channel.
     *
     * @return the configuration.
     */
    RegionConfig config()
    {
        return RegionConfig.builder(region.location()).channel(channel.name(), ChannelKind.MANY_TO_ONE,
            capacity.bytes()).build();
    }
}
