package io.shmipc.bridge;

import io.shmipc.RegionLocation;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.function.UnaryOperator;

import static org.junit.jupiter.api.Assertions.assertEquals;
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

    @Test
    void namesEveryWrongValue()
    {
        assertEquals("invalid bridge configuration: region=null", assertThrows(IllegalArgumentException.class,
            () -> BridgeConfig.builder(null).build()).getMessage());
        assertRefused("name=.hidden", builder -> builder.name(".hidden"));
        assertRefused("name=a/b", builder -> builder.name("a/b"));
        assertRefused("listen=null", builder -> builder.listen(null));
        assertRefused("peer=host", builder -> builder.peer("host"));
        assertRefused("termLength=65535", builder -> builder.termLength(65535));
        assertRefused("mtu=100", builder -> builder.mtu(100));
        assertRefused("replayCapacity=1024", builder -> builder.replayCapacity(1024));
        assertRefused("ackInterval=PT1.001S", builder -> builder.ackInterval(Duration.ofMillis(1001)));
        assertRefused("attachTimeout=PT-1S", builder -> builder.attachTimeout(Duration.ofSeconds(-1)));
        assertRefused("idleStrategy=null", builder -> builder.idleStrategy(null));
        assertRefused("mtu=100", builder -> builder.mtu(100).replayCapacity(1024));
    }

    @Test
    void namesClashingRoutes()
    {
        assertEquals("invalid bridge configuration: routes=none", assertThrows(IllegalArgumentException.class,
            () -> BridgeConfig.builder(REGION).listen("127.0.0.1:1").peer("127.0.0.1:2").build()).getMessage());
        assertRefused("routes=channel orders appears in out orders and in orders",
            builder -> builder.route(BridgeRoute.in("orders")));
        final BridgeRoute out = BridgeRoute.out("orders", "orders");
        assertRefused("routes=out fills=orders uses the stream of " + out,
            builder -> builder.route(BridgeRoute.out("fills", "orders")));
    }
}
