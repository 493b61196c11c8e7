package io.shmipc.examples.cli;

import io.shmipc.ChannelKind;
import io.shmipc.RegionConfig;
import io.shmipc.examples.support.CapacityOption;
import io.shmipc.examples.support.ChannelOption;
import io.shmipc.examples.support.RegionOption;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The region and channel options {@code send} and {@code receive} share: both sides must agree on them.
 */
final class ChannelOptions
{
    @Mixin
    RegionOption region = new RegionOption("shm-ipc");

    @Mixin
    ChannelOption channel = new ChannelOption("messages");

    @Option(names = "--kind", paramLabel = "KIND", defaultValue = "MANY_TO_ONE")
    ChannelKind kind;

    @Mixin
    CapacityOption capacity;

    /**
     * The region configuration with this one channel.
     *
     * @return a builder to finish.
     */
    RegionConfig.Builder config()
    {
        return RegionConfig.builder(region.location()).channel(channel.name(), kind, capacity.bytes());
    }

    /**
     * The channel's name.
     *
     * @return the name.
     */
    String channel()
    {
        return channel.name();
    }

    /**
     * What starts the other side, for messages: {@code shm-ipc receive --region R --channel C}.
     *
     * @param command {@code send} or {@code receive}.
     * @return the command line.
     */
    String other(final String command)
    {
        return "shm-ipc " + command + " --region " + region.argument() + " --channel " + channel.name() +
            (kind == ChannelKind.MANY_TO_ONE ? "" : " --kind " + kind);
    }
}
