package io.shmipc.tests.faults;

import io.shmipc.tests.support.Prerequisites;
import io.shmipc.tests.support.ChildJvms;
import io.shmipc.ChannelStatus;
import io.shmipc.EndpointStatus;
import io.shmipc.Publisher;
import io.shmipc.Region;
import io.shmipc.RegionInspector;
import io.shmipc.RegionLocation;
import io.shmipc.Subscriber;
import io.shmipc.toolkit.ChildProcess;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static io.shmipc.tests.faults.FaultSupport.START_TIMEOUT;
import static io.shmipc.tests.faults.FaultSupport.STEP_TIMEOUT;
import static org.junit.jupiter.api.Assertions.*;

/**
 * Liveness comes from OFD locks, not pids: endpoints of a process in another PID namespace (where its pid means
 * nothing here) are seen alive from outside, and dead the moment the process is killed.
 */
class PidNamespaceLivenessTest
{
    private final String name = FaultSupport.uniqueName("pid-namespace");
    private final RegionLocation location = RegionLocation.shm(name);

    @AfterEach
    void deleteRegion()
    {
        FaultSupport.deleteQuietly(location);
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void endpointInAnotherPidNamespaceIsAliveUntilKilled()
    {
        Prerequisites.requireRoot("unshare --pid");
        try (Region region = Region.create(EndpointHolderMain.channels(location));
            Subscriber up = region.subscriber("up");
            Publisher down = region.publisher("down"))
        {
            assertEquals(0, up.connectedPublishers());
            assertFalse(down.isConsumerAlive());

            final List<String> command = new ArrayList<>(List.of("unshare", "--pid", "--fork", "--mount-proc"));
            command.addAll(ChildJvms.javaCommand(List.of()));
            command.addAll(List.of("-cp", System.getProperty("java.class.path"), EndpointHolderMain.class.getName(),
                name, "pub:up", "sub:down"));
            try (ChildProcess namespaced = ChildProcess.start("EndpointHolderMain in a new PID namespace", command))
            {
                final String ready = namespaced.awaitLineStartingWith("READY ", START_TIMEOUT);
                final long pidInside = FaultSupport.longField(ready, "pid");
                final ProcessHandle java = ProcessHandle.of(namespaced.pid()).orElseThrow().children().findFirst()
                    .orElseThrow(() -> new AssertionError("no child of unshare: " + namespaced.output()));
                assertNotEquals(java.pid(), pidInside, "the holder runs in its own PID namespace");

                assertEquals(1, up.connectedPublishers(), "publisher in the other namespace is alive");
                assertTrue(down.isConsumerAlive(), "subscriber in the other namespace is alive");
                final List<EndpointStatus> seen = endpoints();
                assertTrue(seen.stream().allMatch(EndpointStatus::alive), seen.toString());
                assertTrue(seen.stream().filter(endpoint -> endpoint.pid() == pidInside).count() == 2,
                    "both holder endpoints carry the pid of the other namespace: " + seen);
                assertEquals("hello from pid=" + pidInside, receive(up));
                send(down, "ping");
                namespaced.awaitLineStartingWith("GOT down ping", STEP_TIMEOUT);

                java.destroyForcibly();
                namespaced.awaitExit(STEP_TIMEOUT);
                assertFalse(java.isAlive());
                assertEquals(0, up.connectedPublishers(), "publisher dead right after the kill");
                assertFalse(down.isConsumerAlive(), "subscriber dead right after the kill");
                final List<EndpointStatus> after = endpoints();
                assertTrue(after.stream().noneMatch(EndpointStatus::alive), after.toString());
            }
        }
    }

    /**
     * The holder's endpoints as a tool sees them: the test's own two endpoints are left out by their pid.
     */
    private List<EndpointStatus> endpoints()
    {
        final long self = ProcessHandle.current().pid();
        try (RegionInspector inspector = RegionInspector.open(location))
        {
            final List<EndpointStatus> endpoints = new ArrayList<>();
            for (final ChannelStatus channel : inspector.channels())
            {
                channel.endpoints().stream().filter(endpoint -> endpoint.pid() != self).forEach(endpoints::add);
            }
            return endpoints;
        }
    }

    private static String receive(final Subscriber subscriber)
    {
        final String[] text = new String[1];
        final int read = subscriber.poll((buffer, offset, length) ->
            text[0] = buffer.getStringWithoutLengthUtf8(offset, length), 1, new BackoffIdleStrategy(),
            Duration.ofSeconds(10));
        assertEquals(1, read, "a message from the other namespace");
        return text[0];
    }

    private static void send(final Publisher publisher, final String text)
    {
        final byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        assertEquals(Publisher.OK, publisher.offer(new UnsafeBuffer(bytes), 0, bytes.length));
    }
}
