package io.shmipc.tests.cli;

import io.shmipc.toolkit.ChildProcess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The order-entry demo: client processes send orders over one MANY_TO_ONE channel to a matcher process, which
 * answers each on the client's own reply channel; every report matches its order's correlation id.
 */
@Timeout(180)
class OrderEntryDemoTest extends CliTestBase
{
    private static final int ORDERS = 300;

    @Test
    void everyClientGetsOneReportPerOrderMatchedByCorrelationId()
    {
        final String region = uniqueRegion("orders");
        final ChildProcess matcher = shmIpc("order-matcher", "--region", region, "--clients", "3", "--timeout",
            "60s");
        matcher.awaitLine(line -> line.contains("matching orders from 'orders'"), STARTUP);
        final List<ChildProcess> clients = List.of(
            shmIpc("order-client", "--region", region, "--count", Integer.toString(ORDERS)),
            shmIpc("order-client", "--region", region, "--count", Integer.toString(ORDERS), "--in-flight", "8"),
            shmIpc("order-client", "--region", region, "--count", Integer.toString(ORDERS), "--in-flight", "32"));

        final Set<Long> slots = new HashSet<>();
        for (final ChildProcess client : clients)
        {
            final Map<String, String> result = result(client);
            assertExit(client, 0);
            assertEquals(ORDERS, number(result, "orders"), result::toString);
            assertEquals(ORDERS, number(result, "replies"), result::toString);
            assertEquals(ORDERS, number(result, "matched"), result::toString);
            assertEquals(0, number(result, "mismatched"), result::toString);
            assertEquals(ORDERS, number(result, "filled") + number(result, "partially-filled") +
                number(result, "resting") + number(result, "rejected"), result::toString);
            assertEquals(0, number(result, "rejected"), result::toString);
            slots.add(number(result, "slot"));
        }
        // A slot is free again once its client exits: with three clients, slots 0 to 2 at most are ever needed.
        assertTrue(Set.of(0L, 1L, 2L).containsAll(slots), slots::toString);

        final Map<String, String> matched = result(matcher);
        assertExit(matcher, 0);
        assertEquals(3 * ORDERS, number(matched, "orders"));
        assertEquals(3, number(matched, "clients"));
        assertEquals(3, number(matched, "logged-off"));
        assertEquals(0, number(matched, "dropped"));
        assertEquals(0, number(matched, "rejected"));
    }

    @Test
    void clientsMayStartBeforeTheMatcherAndASlotIsHeldByOneClientAtATime()
    {
        final String region = uniqueRegion("slots");
        final ChildProcess first = shmIpc("order-client", "--region", region, "--slots", "1", "--count", "50",
            "--timeout", "60s");
        first.awaitLine(line -> line.contains("no matcher yet"), STARTUP);

        final ChildProcess second = shmIpc("order-client", "--region", region, "--slots", "1", "--count", "50");
        assertExit(second, 1);
        assertTrue(second.output().contains("all 1 client slots of shm:" + region + " are taken"), second.output());

        final ChildProcess matcher = shmIpc("order-matcher", "--region", region, "--slots", "1", "--clients", "1",
            "--timeout", "60s");
        assertEquals(50, number(result(first), "matched"));
        assertExit(first, 0);
        assertEquals(50, number(result(matcher), "orders"));
        assertExit(matcher, 0);
    }
}
