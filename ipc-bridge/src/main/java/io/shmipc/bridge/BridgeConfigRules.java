package io.shmipc.bridge;

import org.agrona.BitUtil;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What makes a {@link BridgeConfig} valid, checked by {@link BridgeConfig.Builder#build()}: each value in a fixed
 * order, then the routes together. The first value that breaks its rule is refused with an
 * {@link IllegalArgumentException} saying {@code invalid bridge configuration: field=value}.
 */
final class BridgeConfigRules
{
    private BridgeConfigRules()
    {
    }

    /**
     * Check every value a builder holds.
     *
     * @param builder the builder.
     * @throws IllegalArgumentException naming the first value that is wrong.
     */
    static void check(final BridgeConfig.Builder builder)
    {
        final String name = builder.name;
        final int termLength = builder.termLength;
        final int mtu = builder.mtu;
        final int replayCapacity = builder.replayCapacity;
        require(builder.region != null, "region", "null");
        require(name != null && name.matches("[A-Za-z0-9._-]{1,64}") && !name.startsWith("."), "name", name);
        require(builder.listen != null && Endpoints.isEndpoint(builder.listen), "listen", builder.listen);
        require(builder.peer != null && Endpoints.isEndpoint(builder.peer), "peer", builder.peer);
        require(!builder.routes.isEmpty(), "routes", "none");
        require(BitUtil.isPowerOfTwo(termLength) && termLength >= 64 * 1024 && termLength <= 1 << 30,
            "termLength", termLength);
        require(mtu >= 64 && mtu <= 65504 && mtu % 32 == 0, "mtu", mtu);
        require(BitUtil.isPowerOfTwo(replayCapacity) && replayCapacity >= ReplayLogDescriptor.MIN_CAPACITY,
            "replayCapacity", replayCapacity);
        require(builder.ackInterval != null && !builder.ackInterval.isNegative() &&
            builder.ackInterval.toMillis() <= 1000, "ackInterval", builder.ackInterval);
        require(builder.attachTimeout != null && !builder.attachTimeout.isNegative(), "attachTimeout",
            builder.attachTimeout);
        require(builder.idleStrategy != null, "idleStrategy", "null");
        routes(builder.routes);
    }

    /**
     * Routes of one bridge share neither a stream (two outbound routes to one remote channel, or two inbound ones
     * from it) nor a local channel.
     */
    private static void routes(final List<BridgeRoute> routes)
    {
        final Map<Integer, BridgeRoute> streams = new HashMap<>();
        final Map<String, BridgeRoute> locals = new HashMap<>();
        for (final BridgeRoute route : routes)
        {
            final BridgeRoute clash = streams.put(route.dataStreamId() + (route.outbound() ? 0 : 1), route);
            require(clash == null, "routes", route + " uses the stream of " + clash);
            final BridgeRoute twice = locals.put(route.localChannel(), route);
            require(twice == null, "routes", "channel " + route.localChannel() + " appears in " + twice +
                " and " + route);
        }
    }

    private static void require(final boolean valid, final String field, final Object value)
    {
        if (!valid)
        {
            throw new IllegalArgumentException("invalid bridge configuration: " + field + "=" + value);
        }
    }
}
