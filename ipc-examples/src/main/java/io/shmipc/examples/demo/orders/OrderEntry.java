package io.shmipc.examples.demo.orders;

import io.shmipc.ChannelKind;
import io.shmipc.Region;
import io.shmipc.RegionConfig;
import io.shmipc.RegionLocation;
import io.shmipc.ServiceConfig;

/**
 * What the matcher and its clients share: the {@code orders} service (its {@code MANY_TO_ONE} request channel and a
 * {@code ONE_TO_ONE} reply channel per client, added at runtime), and the region created empty with room for them.
 */
final class OrderEntry
{
    static final String SERVICE_NAME = "orders";
    static final int ORDERS_CAPACITY = 1 << 20;
    static final int REPLIES_CAPACITY = 64 * 1024;
    /** Most clients at once: a service admits 63. */
    static final int MAX_CLIENTS = 63;
    static final String DEFAULT_REGION = "shm-ipc-orders";
    static final String[] SYMBOLS = {"AAPL", "MSFT", "AMZN", "GOOG"};
    static final ServiceConfig SERVICE = ServiceConfig.builder(SERVICE_NAME).requestCapacity(ORDERS_CAPACITY)
        .replyCapacity(REPLIES_CAPACITY).build();

    private OrderEntry()
    {
    }

    /**
     * The region, created empty when missing, with room for the orders channel and {@code clients} reply channels.
     *
     * @param location the region.
     * @param clients  clients at once.
     * @return the configuration.
     */
    static RegionConfig config(final RegionLocation location, final int clients)
    {
        return RegionConfig.builder(location).maxChannels(1 + clients)
            .dataAreaLength(Region.channelAreaLength(ChannelKind.MANY_TO_ONE, ORDERS_CAPACITY) +
                clients * Region.channelAreaLength(ChannelKind.ONE_TO_ONE, REPLIES_CAPACITY))
            .build();
    }
}
