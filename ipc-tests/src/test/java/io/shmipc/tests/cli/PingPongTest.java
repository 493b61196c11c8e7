package io.shmipc.tests.cli;

import io.shmipc.toolkit.ChildProcess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code shm-ipc ping} against {@code shm-ipc pong} in another process: every round trip is answered and the
 * percentiles are printed.
 */
@Timeout(180)
class PingPongTest extends CliTestBase
{
    @Test
    void pingMeasuresRoundTripsToPongAndPrintsPercentiles()
    {
        final String region = uniqueRegion("ping");
        final ChildProcess pong = shmIpc("pong", "--region", region, "--timeout", "60s");
        pong.awaitLine(line -> line.contains("waiting for ping"), STARTUP);
        final ChildProcess ping = shmIpc("ping", "--region", region, "--count", "2000", "--warmup", "500",
            "--size", "64");

        final Map<String, String> result = result(ping);
        assertExit(ping, 0);
        assertEquals(2000, number(result, "round-trips"));
        assertEquals(64, number(result, "size"));
        assertEquals(0, number(result, "stale-replies"));
        final double p50 = decimal(result, "p50-us");
        final double p99 = decimal(result, "p99-us");
        final double max = decimal(result, "max-us");
        assertTrue(p50 > 0 && p50 <= p99 && p99 <= max, result::toString);
        assertTrue(ping.output().contains("percentile   latency (us)"), ping.output());
        assertTrue(ping.output().contains("99.9%"), ping.output());

        final Map<String, String> echoed = result(pong);
        assertExit(pong, 0);
        assertEquals(2500, number(echoed, "echoed"));
        assertEquals("session-ended", echoed.get("stop"));
        assertTrue(pong.output().contains("unlinked region shm:" + region), pong.output());
    }

    @Test
    void pingTimesOutWithExitCodeThreeWhenNoPongAttachesAndRemovesTheRegionItMade()
    {
        final String region = uniqueRegion("nopong");
        final ChildProcess ping = shmIpc("ping", "--region", region, "--timeout", "1s", "--count", "10");
        assertExit(ping, 3);
        assertTrue(ping.output().contains("shm-ipc ping: error: no pong attached to channel 'ping' within 1s"),
            ping.output());
        assertTrue(ping.output().contains("stop=timeout"), ping.output());
        assertTrue(ping.output().contains("removed region shm:" + region + ": nobody uses it and nothing waits in it"),
            ping.output());
        assertFalse(Files.exists(Path.of("/dev/shm", region)), "region left behind");
    }

    @Test
    void pingStoppedBeforeAnyPongCameRemovesTheRegionItMadeAsItsTimeoutDoes()
    {
        final String region = uniqueRegion("nopong-int");
        final ChildProcess ping = shmIpc("ping", "--region", region, "--count", "10");
        ping.awaitLine(line -> line.contains("waiting up to 30s for the pong"), STARTUP);
        ping.signal("TERM");
        assertExit(ping, 143);
        assertTrue(ping.output().contains("stop=interrupted"), ping.output());
        assertTrue(ping.output().contains("removed region shm:" + region + ": nobody uses it and nothing waits in it"),
            ping.output());
        assertFalse(Files.exists(Path.of("/dev/shm", region)), "region left behind");
    }

    @Test
    void pongIgnoresWhatAKilledPingLeftAndServesTheNextPing()
    {
        final String region = uniqueRegion("stale");
        final ChildProcess stopped = shmIpc("pong", "--region", region, "--keep-region");
        stopped.awaitLine(line -> line.contains("waiting for ping"), STARTUP);
        stopped.signal("STOP"); // attached, so ping sends its first round trip, which nobody reads
        final ChildProcess killed = shmIpc("ping", "--region", region, "--count", "10");
        awaitWaiting(region, "ping", 1);
        killed.signal("KILL");
        stopped.signal("KILL");
        killed.awaitExit(STARTUP);
        stopped.awaitExit(STARTUP);

        final ChildProcess pong = shmIpc("pong", "--region", region, "--timeout", "60s");
        pong.awaitLine(line -> line.contains("its ping has gone (left by an earlier run)"), STARTUP);
        final ChildProcess ping = shmIpc("ping", "--region", region, "--count", "200", "--warmup", "100");

        assertExit(ping, 0);
        assertEquals(200, number(result(ping), "round-trips"));
        final Map<String, String> echoed = result(pong);
        assertExit(pong, 0);
        assertEquals(300, number(echoed, "echoed"));
        assertEquals(1, number(echoed, "stale"));
        assertEquals("session-ended", echoed.get("stop"));
    }
}
