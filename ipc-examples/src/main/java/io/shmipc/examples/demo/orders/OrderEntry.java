package io.shmipc.examples.demo.orders;

import io.shmipc.ChannelKind;
import io.shmipc.RegionConfig;
import io.shmipc.examples.support.RegionOption;
import io.shmipc.examples.support.RegionUse;
import io.shmipc.examples.support.RoleConsole;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/**
 * The region layout the matcher and its clients share: an {@code orders} channel and one reply channel per slot;
 * a picocli mixin of their common options, {@code --region} and {@code --slots}.
 */
final class OrderEntry
{
    static final String ORDERS_CHANNEL = "orders";
    static final int ORDERS_CAPACITY = 1 << 20;
    static final int REPLIES_CAPACITY = 64 * 1024;
    static final int MAX_SLOTS = 64;
    static final String[] SYMBOLS = {"AAPL", "MSFT", "AMZN", "GOOG"};

    @Mixin
    private RegionOption region = new RegionOption("shm-ipc-orders");

    @Option(names = "--slots", paramLabel = "N", defaultValue = "8")
    private int slots;

    static String replyChannel(final int slot)
    {
        return "replies-" + slot;
    }

    int slots()
    {
        return slots;
    }

    String regionArgument()
    {
        return region.argument();
    }

    /**
     * Check the options, then create the region or attach to it.
     *
     * @param spec    the command, for usage errors.
     * @param console where to say which.
     * @return the region in use.
     */
    RegionUse open(final CommandSpec spec, final RoleConsole console)
    {
        if (slots < 1 || slots > MAX_SLOTS)
        {
            throw new ParameterException(spec.commandLine(), "--slots must be from 1 to " + MAX_SLOTS + ": " + slots);
        }
        return RegionUse.openOrCreate(config(), console);
    }

    private RegionConfig config()
    {
        final RegionConfig.Builder builder = RegionConfig.builder(region.location())
            .channel(ORDERS_CHANNEL, ChannelKind.MANY_TO_ONE, ORDERS_CAPACITY);
        for (int slot = 0; slot < slots; slot++)
        {
            builder.channel(replyChannel(slot), ChannelKind.ONE_TO_ONE, REPLIES_CAPACITY);
        }
        return builder.build();
    }
}
