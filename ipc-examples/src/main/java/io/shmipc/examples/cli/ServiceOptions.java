package io.shmipc.examples.cli;

import io.shmipc.ChannelKind;
import io.shmipc.Region;
import io.shmipc.RegionConfig;
import io.shmipc.RegionLocation;
import io.shmipc.ServiceConfig;
import io.shmipc.examples.support.CapacityConverter;
import io.shmipc.examples.support.RegionLocationConverter;
import picocli.CommandLine.Option;

/**
 * The region and service options {@code serve} and {@code call} share. The region is created empty when missing,
 * with room for the request channel and a reply channel per client; the service's channels are added to it.
 */
final class ServiceOptions
{
    @Option(names = "--region", paramLabel = "NAME|PATH", defaultValue = "shm-ipc",
        converter = RegionLocationConverter.class,
        description = "Region: a name in /dev/shm, or a file path (contains '/'). Default: ${DEFAULT-VALUE}.")
    RegionLocation location;

    @Option(names = "--service", paramLabel = "NAME", defaultValue = "echo",
        description = "Service name: its request channel's name. Default: ${DEFAULT-VALUE}.")
    String service;

    @Option(names = "--request-capacity", paramLabel = "BYTES", defaultValue = "64k",
        converter = CapacityConverter.class,
        description = "Capacity of the request channel, a power of two. Default: ${DEFAULT-VALUE}.")
    int requestCapacity;

    @Option(names = "--reply-capacity", paramLabel = "BYTES", defaultValue = "16k", converter = CapacityConverter.class,
        description = "Capacity of each client's reply channel, a power of two. Default: ${DEFAULT-VALUE}.")
    int replyCapacity;

    @Option(names = "--max-channels", paramLabel = "N", defaultValue = "16",
        description = "When the region is created: the most channels it holds (the request channel and one per " +
        "client). Default: ${DEFAULT-VALUE}.")
    int maxChannels;

    /**
     * The service.
     *
     * @return its configuration.
     */
    ServiceConfig service()
    {
        return ServiceConfig.builder(service).requestCapacity(requestCapacity).replyCapacity(replyCapacity).build();
    }

    /**
     * The region to create when it is missing: no channel, room for the request channel and a reply channel in
     * each other directory entry.
     *
     * @return the configuration.
     */
    RegionConfig region()
    {
        return RegionConfig.builder(location).maxChannels(maxChannels)
            .dataAreaLength(Region.channelAreaLength(ChannelKind.MANY_TO_ONE, requestCapacity) +
                (maxChannels - 1L) * Region.channelAreaLength(ChannelKind.ONE_TO_ONE, replyCapacity))
            .deleteOnClose(false).build();
    }
}
