package io.shmipc.examples.demo.orders;

import io.shmipc.ChannelKind;
import io.shmipc.RegionConfig;
import io.shmipc.RegionLocation;

/**
 * The region layout the matcher and its clients share: an {@code orders} channel and one reply channel per slot.
 */
final class OrderEntry
{
    static final String ORDERS_CHANNEL = "orders";
    static final int ORDERS_CAPACITY = 1 << 20;
    static final int REPLIES_CAPACITY = 64 * 1024;
    static final int MAX_SLOTS = 64;
    static final String DEFAULT_REGION = "shm-ipc-orders";
    static final String[] SYMBOLS = {"AAPL", "MSFT", "AMZN", "GOOG"};

    private OrderEntry()
    {
    }

    static String replyChannel(final int slot)
    {
        return "replies-" + slot;
    }

    static RegionConfig config(final RegionLocation location, final int slots)
    {
        final RegionConfig.Builder builder = RegionConfig.builder(location)
            .channel(ORDERS_CHANNEL, ChannelKind.MANY_TO_ONE, ORDERS_CAPACITY);
        for (int slot = 0; slot < slots; slot++)
        {
            builder.channel(replyChannel(slot), ChannelKind.ONE_TO_ONE, REPLIES_CAPACITY);
        }
        return builder.build();
    }
}
