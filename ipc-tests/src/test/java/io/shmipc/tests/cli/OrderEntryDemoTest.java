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
 * The order-entry demo on request/response: client processes call the matcher's {@code orders} service; every
 * report answers its own order; when the matcher is killed, the client's pending orders fail at once, are sent
 * again, and a new matcher answers them.
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
        matcher.awaitLine(line -> line.contains("matching orders of service 'orders'"), STARTUP);
        final List<ChildProcess> clients = List.of(
            shmIpc("order-client", "--region", region, "--count", Integer.toString(ORDERS)),
            shmIpc("order-client", "--region", region, "--count", Integer.toString(ORDERS), "--in-flight", "8"),
            shmIpc("order-client", "--region", region, "--count", Integer.toString(ORDERS), "--in-flight", "32"));

        final Set<String> clientIds = new HashSet<>();
        for (final ChildProcess client : clients)
        {
            final Map<String, String> result = result(client);
            assertExit(client, 0);
            assertEquals(ORDERS, number(result, "orders"), result::toString);
            assertEquals(ORDERS, number(result, "replies"), result::toString);
            assertEquals(ORDERS, number(result, "matched"), result::toString);
            assertEquals(0, number(result, "mismatched"), result::toString);
            assertEquals(0, number(result, "resent"), result::toString);
            assertEquals(ORDERS, number(result, "filled") + number(result, "partially-filled") +
                number(result, "resting") + number(result, "rejected"), result::toString);
            assertEquals(0, number(result, "rejected"), result::toString);
            assertTrue(client.output().contains("client " + result.get("client") + " of service 'orders'"),
                "the done line names the client as its first line did: " + client.output());
            clientIds.add(result.get("client"));
        }
        assertEquals(3, clientIds.size(), "each client has its own id: " + clientIds);

        final Map<String, String> matched = result(matcher);
        assertExit(matcher, 0);
        assertEquals(3 * ORDERS, number(matched, "orders"));
        assertEquals(3, number(matched, "clients"));
        assertEquals(3, number(matched, "logged-off"));
        assertEquals(0, number(matched, "dropped"));
        assertEquals(0, number(matched, "rejected"));
    }

    @Test
    void aClientStartedFirstCarriesOnWithANewMatcherWhenTheFirstIsKilled()
    {
        final String region = uniqueRegion("failover");
        final int orders = 300_000;
        final ChildProcess client = shmIpc("order-client", "--region", region, "--count", Integer.toString(orders),
            "--in-flight", "4", "--timeout", "60s");
        client.awaitLine(line -> line.contains("no matcher yet"), STARTUP);

        final ChildProcess first = shmIpc("order-matcher", "--region", region, "--keep-region");
        client.awaitLine(line -> line.contains("order 3 ->"), STARTUP);
        first.kill();
        client.awaitLine(line -> line.contains("the matcher died"), RUN);

        final ChildProcess second = shmIpc("order-matcher", "--region", region, "--clients", "1", "--timeout", "60s");
        final Map<String, String> result = result(client);
        assertExit(client, 0);
        assertEquals(orders, number(result, "matched"), result::toString);
        assertEquals(0, number(result, "mismatched"), result::toString);
        assertTrue(number(result, "resent") >= 1, result::toString);
        final Map<String, String> matched = result(second);
        assertExit(second, 0);
        assertTrue(number(matched, "orders") > 0, matched::toString);
        assertEquals(1, number(matched, "logged-off"), matched::toString);
    }
}
