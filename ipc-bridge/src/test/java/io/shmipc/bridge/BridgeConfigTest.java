package io.shmipc.bridge;

import io.shmipc.RegionLocation;
import org.agrona.concurrent.BusySpinIdleStrategy;
import org.agrona.concurrent.YieldingIdleStrategy;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.UnaryOperator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * {@link BridgeConfig.Builder#build()} refuses every wrong value with a message naming the field and the value, in
 * the order the fields are checked, and keeps the values and defaults of a valid configuration.
 */
class BridgeConfigTest
{
    private static final RegionLocation REGION = RegionLocation.shm("bridge-config-test");

    private static BridgeConfig.Builder valid()
    {
        return BridgeConfig.builder(REGION).listen("127.0.0.1:40123").peer("10.0.0.2:40123")
            .route(BridgeRoute.out("orders", "orders"));
    }

    private static void assertRefused(final String message, final UnaryOperator<BridgeConfig.Builder> change)
    {
        final IllegalArgumentException ex = assertThrows(IllegalArgumentException.class,
            () -> change.apply(valid()).build());
        assertEquals("invalid bridge configuration: " + message, ex.getMessage());
    }

    @Test
    void keepsValuesAndDefaults()
    {
        final BridgeConfig config = valid().name("east").mtu(4096).ackInterval(Duration.ZERO).build();
        assertEquals("east", config.name());
        assertEquals(4096, config.mtu());
        assertEquals(Duration.ZERO, config.ackInterval());
        assertEquals(BridgeConfig.DEFAULT_TERM_LENGTH, config.termLength());
        assertEquals(BridgeConfig.DEFAULT_REPLAY_CAPACITY, config.replayCapacity());
        assertEquals(BridgeConfig.defaultHome(REGION, "east"), config.homeDirectory());
        assertEquals(1, config.routes().size());
    }

    /**
     * The bridge's thread yields for milliseconds before it parks; the driver's threads back off as Aeron's driver
     * does, since the driver's timers count work every millisecond and would keep a long yield phase going forever.
     * An idle strategy given for the bridge is the driver's too, unless the driver's is given, in either order.
     */
    @Test
    void theDriverBacksOffShortlyUnlessToldOtherwise()
    {
        final BridgeConfig defaults = valid().build();
        assertEquals(BridgeConfig.defaultIdleStrategy().toString(), defaults.newIdleStrategy().toString());
        assertEquals(BridgeConfig.defaultDriverIdleStrategy().toString(), defaults.newDriverIdleStrategy().toString());
        assertNotEquals(defaults.newIdleStrategy().toString(), defaults.newDriverIdleStrategy().toString());

        final BridgeConfig yielding = valid().idleStrategy(YieldingIdleStrategy::new).build();
        assertInstanceOf(YieldingIdleStrategy.class, yielding.newIdleStrategy());
        assertInstanceOf(YieldingIdleStrategy.class, yielding.newDriverIdleStrategy());

        final BridgeConfig spinningDriver = valid().driverIdleStrategy(BusySpinIdleStrategy::new)
            .idleStrategy(YieldingIdleStrategy::new).build();
        assertInstanceOf(YieldingIdleStrategy.class, spinningDriver.newIdleStrategy());
        assertInstanceOf(BusySpinIdleStrategy.class, spinningDriver.newDriverIdleStrategy());
        assertRefused("driverIdleStrategy=null (an idle strategy)", builder -> builder.driverIdleStrategy(null));
    }

    @Test
    void namesEveryWrongValue()
    {
        assertEquals("invalid bridge configuration: region=null (a region location)",
            assertThrows(IllegalArgumentException.class, () -> BridgeConfig.builder(null).build()).getMessage());
        final String names = " (1 to 64 letters, digits, '.', '_' or '-', not starting with '.')";
        assertRefused("name=.hidden" + names, builder -> builder.name(".hidden"));
        assertRefused("name=a/b" + names, builder -> builder.name("a/b"));
        assertRefused("listen=null (HOST:PORT)", builder -> builder.listen(null));
        assertRefused("peer=host (HOST:PORT)", builder -> builder.peer("host"));
        assertRefused("listen=127.0.0.1:40123 (with a multicast peer, another port than the group's 40123, which " +
            "the publication to the group binds)", builder -> builder.peer("239.255.0.1:40123"));
        assertRefused("termLength=65535 (a power of two from 64 KiB to 1 GiB)", builder -> builder.termLength(65535));
        assertRefused("mtu=100 (a multiple of 32 from 64 to 65504)", builder -> builder.mtu(100));
        assertRefused("replayCapacity=1024 (a power of two, at least 64 KiB)", builder -> builder.replayCapacity(1024));
        assertRefused("ackInterval=PT1.001S (from 0 to 1 s)", builder -> builder.ackInterval(Duration.ofMillis(1001)));
        assertRefused("attachTimeout=PT-1S (0 or more)", builder -> builder.attachTimeout(Duration.ofSeconds(-1)));
        assertRefused("idleStrategy=null (an idle strategy)", builder -> builder.idleStrategy(null));
        assertRefused("mtu=100 (a multiple of 32 from 64 to 65504)", builder -> builder.mtu(100).replayCapacity(1024));
        final BridgeConfig.Builder anonymous = BridgeConfig.builder(RegionLocation.anonymous("quotes"))
            .listen("127.0.0.1:1").peer("127.0.0.1:2").route(BridgeRoute.out("a"));
        assertEquals("invalid bridge configuration: homeDirectory=none (a region with no name, anon:quotes, has " +
            "nothing beside which the bridge could keep its files: give the bridge a home directory)",
            assertThrows(InvalidBridgeConfigException.class, anonymous::build).getMessage());
        assertEquals(Path.of("/tmp/quotes-bridge"), anonymous.homeDirectory(Path.of("/tmp/quotes-bridge")).build()
            .homeDirectory());
        assertThrows(IllegalArgumentException.class,
            () -> BridgeConfig.defaultHome(RegionLocation.descriptor(1, 3), "bridge"));
    }

    @Test
    void namesClashingRoutes()
    {
        final InvalidBridgeConfigException none = assertThrows(InvalidBridgeConfigException.class,
            () -> BridgeConfig.builder(REGION).listen("127.0.0.1:1").peer("127.0.0.1:2").build());
        assertEquals("invalid bridge configuration: routes=none (at least one)", none.getMessage());
        assertEquals(List.of("routes", "none", "at least one"), List.of(none.field(), none.value(), none.rule()));
        assertRefused("routes=channel orders appears in out orders and in orders (a local channel in one route)",
            builder -> builder.route(BridgeRoute.in("orders")));
        final BridgeRoute out = BridgeRoute.out("orders", "orders");
        assertRefused("routes=out fills=orders uses the stream of " + out + " (one route per stream and direction)",
            builder -> builder.route(BridgeRoute.out("fills", "orders")));
    }
}
