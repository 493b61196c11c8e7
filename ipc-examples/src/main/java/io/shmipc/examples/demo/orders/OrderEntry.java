package io.shmipc.examples.demo.orders;

import io.shmipc.ChannelKind;
import io.shmipc.RegionDirectory;
import io.shmipc.RegionConfig;
import io.shmipc.ServiceConfig;
import io.shmipc.examples.support.RegionOption;
import io.shmipc.examples.support.RegionUse;
import io.shmipc.examples.support.RoleConsole;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/**
 * What the matcher and its clients share: the {@code orders} service (its {@code MANY_TO_ONE} request channel and a
 * {@code ONE_TO_ONE} reply channel per client, added at runtime), and the region created empty with room for them;
 * a picocli mixin of their common options, {@code --region} and {@code --max-clients}.
 */
final class OrderEntry
{
    static final String SERVICE_NAME = "orders";
    static final int ORDERS_CAPACITY = 1 << 20;
    static final int REPLIES_CAPACITY = 64 * 1024;
    /** Most clients at once: a service admits 63. */
    static final int MAX_CLIENTS = 63;
    static final String[] SYMBOLS = {"AAPL", "MSFT", "AMZN", "GOOG"};
    static final ServiceConfig SERVICE = ServiceConfig.builder(SERVICE_NAME).requestCapacity(ORDERS_CAPACITY)
        .replyCapacity(REPLIES_CAPACITY).build();

    @Mixin
    private RegionOption region = new RegionOption("shm-ipc-orders");

    @Option(names = "--max-clients", paramLabel = "N", defaultValue = "8")
    private int maxClients;

    int maxClients()
    {
        return maxClients;
    }

    String regionArgument()
    {
        return region.argument();
    }

    /**
     * Check the options, then create the region (empty, with room for the service) or attach to it.
     *
     * @param spec    the command, for usage errors.
     * @param console where to say which.
     * @return the region in use.
     */
    RegionUse open(final CommandSpec spec, final RoleConsole console)
    {
        if (maxClients < 1 || maxClients > MAX_CLIENTS)
        {
            throw new ParameterException(spec.commandLine(), "--max-clients must be from 1 to " + MAX_CLIENTS + ": " +
                maxClients);
        }
        return RegionUse.openOrCreate(config(), console);
    }

    /**
     * The region, created empty when missing, with room for the orders channel and {@code --max-clients} reply
     * channels.
     */
    private RegionConfig config()
    {
        return RegionConfig.builder(region.location()).maxChannels(1 + maxClients)
            .dataAreaLength(RegionDirectory.channelAreaLength(ChannelKind.MANY_TO_ONE, ORDERS_CAPACITY) +
                maxClients * RegionDirectory.channelAreaLength(ChannelKind.ONE_TO_ONE, REPLIES_CAPACITY))
            .build();
    }
}
