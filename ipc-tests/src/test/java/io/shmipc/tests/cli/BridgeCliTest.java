package io.shmipc.tests.cli;

import io.shmipc.ChannelKind;
import io.shmipc.Publisher;
import io.shmipc.Region;
import io.shmipc.RegionConfig;
import io.shmipc.RegionLocation;
import io.shmipc.Subscriber;
import io.shmipc.bridge.Bridge;
import io.shmipc.bridge.BridgeConfig;
import io.shmipc.bridge.BridgeInspector;
import io.shmipc.toolkit.ChildProcess;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * {@code ./shm-ipc bridge} through the launcher on loopback: no JVM warns, {@code stat} shows the bridge's counters, a
 * sending bridge killed with messages in its replay log sends them after a restart, exactly once, and a bridge
 * stopped by SIGTERM prints its {@code done:} line, exits 143 and deletes its embedded driver's directory; a bridge
 * whose external driver stops ends with an error line naming the driver; a bad route is a usage error naming it.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class BridgeCliTest extends CliTestBase
{
    private static final int MESSAGES = 10;

    private final List<RegionLocation> homesToRemove = new ArrayList<>();

    @Test
    void launcherBridgeShowsInStatKeepsUnsentMessagesAcrossKillAndCleansOnExit() throws Exception
    {
        final String nameA = uniqueRegion("bridge-a");
        final String nameB = uniqueRegion("bridge-b");
        final RegionLocation locationA = RegionLocation.shm(nameA);
        final RegionLocation locationB = RegionLocation.shm(nameB);
        homesToRemove.addAll(List.of(locationA, locationB));
        final int portA = freePort();
        final int portB = freePort();
        try (Region regionA = Region.create(RegionConfig.builder(locationA)
                .channel("orders", ChannelKind.ONE_TO_ONE, 64 * 1024).build());
            Region regionB = Region.create(RegionConfig.builder(locationB)
                .channel("orders", ChannelKind.ONE_TO_ONE, 64 * 1024).build());
            Publisher orders = regionA.publisher("orders"))
        {
            ChildProcess sender = bridge(nameA, portA, portB, "out:orders");
            assertFalse(sender.errors().contains("WARNING"), sender.errors());
            final UnsafeBuffer message = new UnsafeBuffer(new byte[8]);
            for (int i = 0; i < MESSAGES; i++)
            {
                message.putLong(0, i);
                assertEquals(Publisher.OK, orders.offer(message, 0, 8));
            }
            // No receiver yet: the messages wait, unacknowledged, in the replay log.
            final Path homeA = BridgeConfig.defaultHome(locationA, "cli");
            awaitCounter(homeA, "out orders: unacknowledged bytes", 1);
            final ChildProcess stat = shmIpc("stat", nameA);
            assertExit(stat, 0);
            assertTrue(stat.output().contains("bridge cli") && stat.output().contains("out orders: sent messages"),
                stat.output());
            assertFalse(stat.output().contains("not running"), stat.output());
            final ChildProcess json = shmIpc("stat", nameA, "--json");
            assertExit(json, 0);
            assertTrue(json.output().contains("\"bridges\":[{\"name\":\"cli\""), json.output());
            assertTrue(json.output().contains("\"stale\":false"), json.output());

            sender.kill();
            awaitStale(nameA); // its counters stay for the next start, with the last heartbeat it wrote
            sender = bridge(nameA, portA, portB, "out:orders");
            final ChildProcess receiver = bridge(nameB, portB, portA, "in:orders");
            final List<Long> received = new ArrayList<>();
            try (Subscriber subscriber = regionB.subscriber("orders"))
            {
                final long deadline = System.nanoTime() + RUN.toNanos();
                while (received.size() < MESSAGES && System.nanoTime() - deadline < 0)
                {
                    if (subscriber.poll((buffer, offset, length) -> received.add(buffer.getLong(offset)), 16) == 0)
                    {
                        LockSupport.parkNanos(1_000_000L);
                    }
                }
            }
            assertEquals(List.of(0L, 1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L), received);
            // Appended to the log by the killed process: the restarted one counts them as replayed.
            awaitCounter(homeA, "out orders: replayed messages", MESSAGES);
            awaitCounter(BridgeConfig.defaultHome(locationB, "cli"), "in orders: published messages", MESSAGES);
            awaitCounter(homeA, "out orders: unacknowledged bytes", 0, false);

            for (final ChildProcess bridge : List.of(sender, receiver))
            {
                bridge.signal("TERM");
                assertEquals(143, bridge.awaitExit(RUN), bridge::output);
                assertEquals("interrupted", doneLine(bridge).get("stop"), bridge.output());
                assertEquals("0", doneLine(bridge).get("unacknowledged"), bridge.output());
            }
            // Everything acknowledged: nothing of the bridges is left beside the regions.
            assertFalse(Files.exists(homeA), () -> list(homeA));
            assertFalse(Files.exists(BridgeConfig.defaultHome(locationB, "cli")));
        }
    }

    @Test
    void aBridgeStoppedWithMessagesItCouldNotSendSaysHowManyItKeeps() throws Exception
    {
        final String name = uniqueRegion("bridge-left");
        final RegionLocation location = RegionLocation.shm(name);
        homesToRemove.add(location);
        try (Region region = Region.create(RegionConfig.builder(location)
                .channel("orders", ChannelKind.ONE_TO_ONE, 64 * 1024).build());
            Publisher orders = region.publisher("orders"))
        {
            final ChildProcess sender = bridge(name, freePort(), freePort(), "out:orders");
            final UnsafeBuffer message = new UnsafeBuffer(new byte[8]);
            for (int i = 0; i < MESSAGES; i++)
            {
                assertEquals(Publisher.OK, orders.offer(message, 0, 8));
            }
            // No receiver: they wait in the replay log (a record: the message rounded up to 8 bytes, plus 24), and
            // stay there after a clean stop.
            awaitCounter(BridgeConfig.defaultHome(location, "cli"), "out orders: unacknowledged bytes",
                MESSAGES * (8 + 24), false);
            sender.signal("TERM");
            assertEquals(143, sender.awaitExit(RUN), sender::output);
            assertEquals(Integer.toString(MESSAGES), doneLine(sender).get("unacknowledged"), sender.output());
            assertTrue(sender.output().contains("left " + MESSAGES + " unacknowledged messages in the replay logs " +
                "in " + BridgeConfig.defaultHome(location, "cli") + ": a bridge of this name started again sends " +
                "them first"), sender.output());
            // stat shows the stopped bridge's logs, read from their headers.
            final ChildProcess stat = shmIpc("stat", name);
            assertExit(stat, 0);
            assertTrue(stat.output().contains("bridge cli  stopped: its replay logs in " +
                BridgeConfig.defaultHome(location, "cli") + " hold what it could not send"), stat.output());
            final String unacknowledged = String.format(Locale.ROOT, "%,d", MESSAGES * (8 + 24));
            assertTrue(stat.output().lines().anyMatch(line ->
                line.matches(" +out-orders\\.replay: unacknowledged bytes +" + unacknowledged)), stat.output());
            final ChildProcess json = shmIpc("stat", name, "--json");
            assertExit(json, 0);
            assertTrue(json.output().contains("\"stopped\":true,\"unacknowledgedBytes\":{\"out-orders.replay\":" +
                MESSAGES * (8 + 24) + "}"), json.output());
        }
        // Deleting the region says what stays beside it.
        final String leftBeside = "; left beside it: bridge home " + BridgeConfig.defaultHome(location, "cli") + " (" +
            String.format(Locale.ROOT, "%,d", MESSAGES * (8 + 24)) + " unacknowledged bytes in its replay logs)";
        final ChildProcess clean = shmIpc("clean", "--dry-run");
        assertExit(clean, 0);
        assertTrue(clean.output().lines().anyMatch(line -> line.startsWith("would delete " + location + " (") &&
            line.endsWith(leftBeside)), clean.output());
        final ChildProcess rm = shmIpc("rm", name);
        assertExit(rm, 0);
        assertTrue(rm.output().contains(leftBeside), rm.output());
    }

    @Test
    void aBridgeWhoseExternalDriverStopsEndsWithAnErrorNamingTheDriver() throws Exception
    {
        final String name = uniqueRegion("bridge-external");
        final RegionLocation location = RegionLocation.shm(name);
        homesToRemove.add(location);
        final Path driverDirectory = Files.createTempDirectory("shmipc-aeron-").resolve("driver");
        final ChildProcess driver = track(ChildProcess.builder("aeron media driver", List.of(
            ProcessHandle.current().info().command().orElseThrow(),
            "--add-exports", "java.base/jdk.internal.misc=ALL-UNNAMED",
            "--add-opens", "java.base/sun.nio.ch=ALL-UNNAMED",
            "-cp", examplesJar().toString(), "-Daeron.dir=" + driverDirectory,
            "-Daeron.dir.delete.on.shutdown=true", "io.aeron.driver.MediaDriver")).defaultSignals().start());
        try (Region region = Region.create(RegionConfig.builder(location)
            .channel("orders", ChannelKind.ONE_TO_ONE, 64 * 1024).deleteOnClose(true).build()))
        {
            final ChildProcess bridge = launch("bridge", name, "--name", "cli", "--aeron-dir",
                driverDirectory.toString(), "--listen", "127.0.0.1:" + freePort(), "--peer",
                "127.0.0.1:" + freePort(), "--route", "out:orders", "--term-length", "256k");
            assertTrue(bridge.awaitLine(line -> line.contains("ready:"), STARTUP)
                .contains("aeronDir=" + driverDirectory), bridge::output);

            driver.signal("TERM");
            assertEquals(1, bridge.awaitExit(RUN), bridge::output);
            assertEquals("failed", doneLine(bridge).get("stop"), bridge.output());
            final List<String> errors = bridge.errorLines();
            assertEquals(1, errors.size(), bridge::errors);
            assertTrue(errors.get(0).startsWith("shm-ipc bridge: error: the Aeron client failed: aeronDir=" +
                driverDirectory + " (external driver): "), bridge::errors);
            assertTrue(errors.get(0).contains("has been shutdown"), bridge::errors);
            assertFalse(region.isClosed());
        }
        finally
        {
            driver.kill();
            try (Stream<Path> files = Files.walk(driverDirectory.getParent()))
            {
                for (final Path file : files.sorted(java.util.Comparator.reverseOrder()).toList())
                {
                    Files.deleteIfExists(file);
                }
            }
        }
    }

    @Test
    void aBadRouteOrAMissingOptionIsAUsageErrorNamingIt()
    {
        final String region = uniqueRegion("bridge-usage");
        final ChildProcess badRoute = launch("bridge", region, "--listen", "127.0.0.1:40999", "--peer",
            "127.0.0.1:40998", "--route", "sideways:orders");
        assertExit(badRoute, 2);
        assertEquals("shm-ipc bridge: error: Invalid value for option '--route' (ROUTE): a route is out:CHANNEL, " +
            "out:LOCAL=REMOTE or in:CHANNEL: route=sideways:orders", badRoute.errorLines().get(0), badRoute::errors);
        final ChildProcess noPeer = launch("bridge", region, "--listen", "127.0.0.1:40999", "--route", "out:orders");
        assertExit(noPeer, 2);
        assertTrue(noPeer.errorLines().get(0).startsWith("shm-ipc bridge: error: Missing required option: " +
            "'--peer=HOST:PORT'"), noPeer::errors);
    }

    @Test
    void aBadChannelNameOrAnUnusableAddressIsAUsageErrorAndLeavesNothingBehind() throws IOException
    {
        final String badName = launchBridge(uniqueRegion("bridge-names"), "127.0.0.1:40999", "127.0.0.1:40998",
            "out:bad name", 2);
        assertEquals("shm-ipc bridge: error: Invalid value for option '--route' (ROUTE): invalid route: invalid " +
            "channel name: channel=bad name (only letters, digits, '.', '_' and '-' are allowed; found ' ' at index 3)",
            badName);
        assertTrue(launchBridge(uniqueRegion("bridge-names"), "127.0.0.1:40999", "127.0.0.1:40998", "in:ch1=x", 2)
            .contains("channel=ch1=x"));
        final ChildProcess mtu = launch("bridge", uniqueRegion("bridge-mtu"), "--listen", "127.0.0.1:40999",
            "--peer", "127.0.0.1:40998", "--route", "out:orders", "--mtu", "9000");
        assertExit(mtu, 2);
        assertEquals("shm-ipc bridge: error: invalid value for option '--mtu': 9000 (a multiple of 32 from 64 to " +
            "65504)", mtu.errorLines().get(0), mtu::errors);

        final String name = uniqueRegion("bridge-addresses");
        final RegionLocation location = RegionLocation.shm(name);
        homesToRemove.add(location);
        final Path home = BridgeConfig.defaultHome(location, "bridge");
        try (Region region = Region.create(RegionConfig.builder(location)
                .channel("orders", ChannelKind.ONE_TO_ONE, 64 * 1024).build());
            Subscriber taken = region.subscriber("orders"))
        {
            final String peer = "127.0.0.1:" + freePort();
            // 192.0.2.1 (TEST-NET-1) is on no interface of this host.
            final String notLocal = launchBridge(name, "192.0.2.1:40999", peer, "in:orders", 2);
            assertTrue(notLocal.startsWith("shm-ipc bridge: error: Aeron cannot use the bridge's addresses: " +
                "listen=192.0.2.1:40999 peer=" + peer + ": "), notLocal);
            assertFalse(Files.exists(home), "home left: " + home);
            try (DatagramSocket bound = new DatagramSocket(0, InetAddress.getLoopbackAddress()))
            {
                final String listen = "127.0.0.1:" + bound.getLocalPort();
                final String inUse = launchBridge(name, listen, peer, "in:orders", 2);
                assertEquals("shm-ipc bridge: error: Aeron cannot use the bridge's addresses: listen=" + listen +
                    " peer=" + peer + ": channel error - Address already in use: aeron:udp?endpoint=" + listen, inUse);
                assertFalse(Files.exists(home), "home left: " + home);
            }
            final String unresolved = launchBridge(name, "127.0.0.1:" + freePort(), "no-such-host.invalid:40998",
                "in:orders", 2);
            assertTrue(unresolved.contains("peer=no-such-host.invalid:40998") &&
                unresolved.contains("UnknownHostException"), unresolved);
            assertFalse(Files.exists(home), "home left: " + home);
            // A home given with parents that did not exist: the parents it made go with it.
            final Path parents = Files.createTempDirectory("bridge-home-");
            final Path nested = parents.resolve("a").resolve("b").resolve("home");
            final ChildProcess homed = launch("bridge", name, "--home", nested.toString(), "--listen",
                "127.0.0.1:" + freePort(), "--peer", "no-such-host.invalid:40998", "--route", "in:orders");
            assertExit(homed, 2);
            assertFalse(Files.exists(parents.resolve("a")), "parents left: " + parents.resolve("a"));
            Files.delete(parents);
            // A channel this bridge cannot subscribe to: a plain error, and no empty replay log left behind.
            final String subscribed = launchBridge(name, "127.0.0.1:" + freePort(), peer, "out:orders", 1);
            assertTrue(subscribed.contains("live subscriber"), subscribed);
            assertFalse(Files.exists(home), "home left: " + home);
            assertEquals(0, taken.connectedPublishers(), "a failed bridge left a publisher attached");
        }
    }

    @Test
    void aRegionThatNeverAppearsIsATimeoutSayingHowLongTheBridgeWaited() throws IOException
    {
        final String name = uniqueRegion("bridge-absent");
        final ChildProcess waited = launch("bridge", name, "--listen", "127.0.0.1:" + freePort(), "--peer",
            "127.0.0.1:" + freePort(), "--route", "out:orders", "--attach-timeout", "300ms");
        assertExit(waited, 3);
        assertEquals(List.of("shm-ipc bridge: error: region " + name + " did not appear within --attach-timeout " +
            "300ms"), waited.errorLines());
        assertTrue(waited.lines().get(0).endsWith("] waiting up to 300ms for region " + name + " to be created " +
            "(--attach-timeout)"), waited::output);
        final ChildProcess atOnce = launch("bridge", name, "--listen", "127.0.0.1:" + freePort(), "--peer",
            "127.0.0.1:" + freePort(), "--route", "out:orders", "--attach-timeout", "0");
        assertExit(atOnce, 1);
        assertEquals(List.of("shm-ipc bridge: error: no such region: " + name + " (shm-ipc list shows the regions)"),
            atOnce.errorLines());
        assertFalse(Files.exists(BridgeConfig.defaultHome(RegionLocation.shm(name), "bridge")));
    }

    /**
     * Start a bridge that must fail at once with {@code exit}; its first error line.
     */
    private String launchBridge(final String region, final String listen, final String peer, final String route,
        final int exit)
    {
        final ChildProcess bridge = launch("bridge", region, "--listen", listen, "--peer", peer, "--route", route);
        assertExit(bridge, exit);
        return bridge.errorLines().get(0);
    }

    /**
     * A failed run leaves killed bridges' homes beside the regions: remove them.
     */
    @AfterEach
    void removeBridgeHomes()
    {
        for (final RegionLocation location : homesToRemove)
        {
            Bridge.deleteHome(BridgeConfig.defaultHome(location, "cli"));
        }
    }

    private ChildProcess bridge(final String region, final int listen, final int peer, final String route)
    {
        final ChildProcess bridge = launch("bridge", region, "--name", "cli", "--listen", "127.0.0.1:" + listen,
            "--peer", "127.0.0.1:" + peer, "--route", route, "--term-length", "256k", "--replay-capacity", "256k");
        bridge.awaitLine(line -> line.contains("ready:"), STARTUP);
        return bridge;
    }

    /**
     * Wait until {@code stat} calls the region's killed bridge not running: its heartbeat ages past the threshold.
     */
    private void awaitStale(final String region)
    {
        final long deadline = System.nanoTime() + RUN.toNanos();
        while (true)
        {
            final ChildProcess stat = shmIpc("stat", region);
            assertExit(stat, 0);
            if (stat.output().contains("(not running: killed or stuck)"))
            {
                return;
            }
            assertTrue(System.nanoTime() - deadline < 0, "the killed bridge still shows as running: " + stat.output());
        }
    }

    private static void awaitCounter(final Path home, final String label, final long atLeast)
    {
        awaitCounter(home, label, atLeast, true);
    }

    /**
     * Wait until a bridge counter is at least (or, with {@code atLeast} false, at most) {@code value}.
     */
    private static void awaitCounter(final Path home, final String label, final long value, final boolean atLeast)
    {
        final long deadline = System.nanoTime() + RUN.toNanos();
        while (true)
        {
            try (BridgeInspector inspector = BridgeInspector.open(home))
            {
                final long current = inspector.counter(label);
                if (atLeast ? current >= value : current <= value)
                {
                    return;
                }
                if (System.nanoTime() - deadline > 0)
                {
                    fail(label + " never reached " + (atLeast ? "at least " : "at most ") + value + ": " +
                        inspector.counters());
                }
            }
            LockSupport.parkNanos(5_000_000L);
        }
    }

    private static int freePort() throws IOException
    {
        try (DatagramSocket socket = new DatagramSocket(0))
        {
            return socket.getLocalPort();
        }
    }

    private static String list(final Path directory)
    {
        try (Stream<Path> files = Files.list(directory))
        {
            return files.toList().toString();
        }
        catch (final IOException ex)
        {
            return ex.toString();
        }
    }
}
