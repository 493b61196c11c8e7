package io.shmipc.examples.cli;

import io.shmipc.ChannelKind;
import io.shmipc.RegionDirectory;
import io.shmipc.RegionConfig;
import io.shmipc.ServiceConfig;
import io.shmipc.examples.support.CapacityConverter;
import io.shmipc.examples.support.Counts;
import io.shmipc.examples.support.NameOption;
import io.shmipc.examples.support.Names;
import io.shmipc.examples.support.RegionOption;
import io.shmipc.examples.support.RoleConsole;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The options {@code serve} and {@code call} share: the region and the service, the role's name and {@code --quiet}
 * (whose help each command words for itself). The region is created empty when missing, with room for the request
 * channel and a reply channel per client; the service's channels are added to it.
 */
final class ServiceOptions
{
    @Mixin
    final NameOption name;

    @Mixin
    RegionOption region = new RegionOption("shm-ipc");

    @Option(names = "--service", paramLabel = "NAME", defaultValue = "echo", converter = Names.Service.class)
    String service;

    @Option(names = "--request-capacity", paramLabel = "BYTES", defaultValue = "64k",
        converter = CapacityConverter.class)
    int requestCapacity;

    @Option(names = "--reply-capacity", paramLabel = "BYTES", defaultValue = "16k", converter = CapacityConverter.class)
    int replyCapacity;

    @Option(names = "--max-channels", converter = Counts.MaxChannels.class, paramLabel = "N", defaultValue = "16")
    int maxChannels;

    @Option(names = "--quiet")
    boolean quiet;

    /**
     * The options of one command.
     *
     * @param role the role's name without {@code --name}: the command's own.
     */
    ServiceOptions(final String role)
    {
        this.name = new NameOption(role);
    }

    /**
     * Where the command says what it does: standard error, each line prefixed with the role's name.
     *
     * @return a new console.
     */
    RoleConsole console()
    {
        return new RoleConsole(name.name(), System.err);
    }

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
        return RegionConfig.builder(region.location()).maxChannels(maxChannels)
            .dataAreaLength(RegionDirectory.channelAreaLength(ChannelKind.MANY_TO_ONE, requestCapacity) +
                (maxChannels - 1L) * RegionDirectory.channelAreaLength(ChannelKind.ONE_TO_ONE, replyCapacity))
            .deleteOnClose(false).build();
    }
}
