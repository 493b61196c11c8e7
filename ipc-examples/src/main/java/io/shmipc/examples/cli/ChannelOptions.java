package io.shmipc.examples.cli;

import io.shmipc.ChannelKind;
import io.shmipc.RegionDirectory;
import io.shmipc.RegionConfig;
import io.shmipc.examples.support.CapacityOption;
import io.shmipc.examples.support.ChannelOption;
import io.shmipc.examples.support.Counts;
import io.shmipc.examples.support.RegionOption;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * The region and channel options {@code send} and {@code receive} share: both sides must agree on the channel's.
 * Either side adds its channel to a region that exists without it.
 */
final class ChannelOptions
{
    @Spec(Spec.Target.MIXEE)
    CommandSpec command;

    @Mixin
    RegionOption region = new RegionOption("shm-ipc");

    @Mixin
    ChannelOption channel = new ChannelOption("messages");

    @Option(names = "--kind", paramLabel = "KIND", defaultValue = "MANY_TO_ONE")
    ChannelKind kind;

    @Mixin
    CapacityOption capacity;

    @Option(names = "--max-channels", converter = Counts.MaxChannels.class, paramLabel = "N", defaultValue = "16")
    int maxChannels;

    @Option(names = "--room", converter = Counts.IntAtLeastOne.class, paramLabel = "N", defaultValue = "4")
    int room;

    /**
     * The region configuration with this one channel, and room for channels other processes add at runtime.
     * A region that exists already keeps its limits: the channel is added to it when missing.
     *
     * @return a builder to finish.
     */
    RegionConfig.Builder config()
    {
        final long channelArea = RegionDirectory.channelAreaLength(kind, capacity.bytes());
        if (room > RegionConfig.MAX_DATA_AREA_LENGTH / channelArea)
        {
            throw new ParameterException(command.commandLine(), "--room " + room + " is too large: a channel like " +
                "this one takes " + channelArea + " bytes and a region holds at most " +
                RegionConfig.MAX_DATA_AREA_LENGTH + " bytes of channels, so at most " +
                RegionConfig.MAX_DATA_AREA_LENGTH / channelArea + " of them");
        }
        return RegionConfig.builder(region.location()).channel(channel.name(), kind, capacity.bytes())
            .maxChannels(maxChannels)
            .dataAreaLength(room * channelArea);
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
        return region.peerCommand(command, " --channel " + channel.name() +
            (kind == ChannelKind.MANY_TO_ONE ? "" : " --kind " + kind));
    }
}
