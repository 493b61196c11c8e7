package io.shmipc.bridge;

import org.agrona.BitUtil;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What makes a {@link BridgeConfig} valid, checked by {@link BridgeConfig.Builder#build()}: each value in a fixed
 * order, then the routes together. The first value that breaks its rule is refused with an
 * {@link InvalidBridgeConfigException} saying {@code invalid bridge configuration: field=value (rule)}.
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
        require(builder.region != null, "region", "null", "a region location");
        require(builder.homeDirectory != null || builder.region.isNamed(), "homeDirectory", "none",
            "a region with no name, " + builder.region + ", has nothing beside which the bridge could keep its " +
            "files: give the bridge a home directory");
        require(name != null && name.matches("[A-Za-z0-9._-]{1,64}") && !name.startsWith("."), "name", name,
            "1 to 64 letters, digits, '.', '_' or '-', not starting with '.'");
        require(builder.listen != null && Endpoints.isEndpoint(builder.listen), "listen", builder.listen,
            "HOST:PORT");
        require(builder.peer != null && Endpoints.isEndpoint(builder.peer), "peer", builder.peer, "HOST:PORT");
        require(!Endpoints.isMulticast(builder.peer) || Endpoints.isMulticast(builder.listen) ||
            !port(builder.listen).equals(port(builder.peer)), "listen", builder.listen, "with a multicast peer, " +
            "another port than the group's " + port(builder.peer) + ", which the publication to the group binds");
        require(!builder.routes.isEmpty(), "routes", "none", "at least one");
        require(BitUtil.isPowerOfTwo(termLength) && termLength >= 64 * 1024 && termLength <= 1 << 30,
            "termLength", termLength, "a power of two from 64 KiB to 1 GiB");
        require(mtu >= 64 && mtu <= 65504 && mtu % 32 == 0, "mtu", mtu, "a multiple of 32 from 64 to 65504");
        require(BitUtil.isPowerOfTwo(replayCapacity) && replayCapacity >= ReplayLogDescriptor.MIN_CAPACITY,
            "replayCapacity", replayCapacity, "a power of two, at least " + ReplayLogDescriptor.MIN_CAPACITY / 1024 +
            " KiB");
        require(builder.ackInterval != null && !builder.ackInterval.isNegative() &&
            builder.ackInterval.toMillis() <= 1000, "ackInterval", builder.ackInterval, "from 0 to 1 s");
        require(builder.attachTimeout != null && !builder.attachTimeout.isNegative(), "attachTimeout",
            builder.attachTimeout, "0 or more");
        require(builder.idleStrategy != null, "idleStrategy", "null", "an idle strategy");
        require(builder.driverIdleStrategy != null, "driverIdleStrategy", "null", "an idle strategy");
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
            require(clash == null, "routes", route + " uses the stream of " + clash,
                "one route per stream and direction");
            final BridgeRoute twice = locals.put(route.localChannel(), route);
            require(twice == null, "routes", "channel " + route.localChannel() + " appears in " + twice +
                " and " + route, "a local channel in one route");
        }
    }

    private static String port(final String endpoint)
    {
        return endpoint.substring(endpoint.lastIndexOf(':') + 1);
    }

    private static void require(final boolean valid, final String field, final Object value, final String rule)
    {
        if (!valid)
        {
            throw new InvalidBridgeConfigException(field, String.valueOf(value), rule);
        }
    }
}
