package io.shmipc.examples.cli;

import io.shmipc.ChannelKind;
import io.shmipc.Region;
import io.shmipc.RegionConfig;
import io.shmipc.RegionLocation;
import io.shmipc.examples.support.CapacityConverter;
import io.shmipc.examples.support.RegionLocationConverter;
import picocli.CommandLine.Option;

/**
 * The region and channel options {@code send} and {@code receive} share: both sides must agree on the channel's.
 * Either side adds its channel to a region that exists without it.
 */
final class ChannelOptions
{
    @Option(names = "--region", paramLabel = "NAME|PATH", defaultValue = "shm-ipc",
        converter = RegionLocationConverter.class,
        description = "Region: a name in /dev/shm, or a file path (contains '/'). Default: ${DEFAULT-VALUE}.")
    RegionLocation location;

    @Option(names = "--channel", paramLabel = "NAME", defaultValue = "messages",
        description = "Channel name. Default: ${DEFAULT-VALUE}.")
    String channel;

    @Option(names = "--kind", paramLabel = "KIND", defaultValue = "MANY_TO_ONE",
        description = "Channel kind: ${COMPLETION-CANDIDATES}. Default: ${DEFAULT-VALUE}.")
    ChannelKind kind;

    @Option(names = "--capacity", paramLabel = "BYTES", defaultValue = "1m", converter = CapacityConverter.class,
        description = "Channel capacity, a power of two from 1k to 1g. Default: ${DEFAULT-VALUE}.")
    int capacity;

    @Option(names = "--max-channels", paramLabel = "N", defaultValue = "16",
        description = "When the region is created: the most channels it holds at once. Default: ${DEFAULT-VALUE}.")
    int maxChannels;

    @Option(names = "--room", paramLabel = "N", defaultValue = "4",
        description = "When the region is created: reserve space for N channels like this one, so other commands " +
        "can add theirs. Default: ${DEFAULT-VALUE}.")
    int room;

    /**
     * The region configuration with this one channel, and room for channels other processes add at runtime.
     * A region that exists already keeps its limits: the channel is added to it when missing.
     *
     * @return a builder to finish.
     */
    RegionConfig.Builder config()
    {
        return RegionConfig.builder(location).channel(channel, kind, capacity).maxChannels(maxChannels)
            .dataAreaLength(Math.max(1, room) * Region.channelAreaLength(kind, capacity));
    }
}
