package io.shmipc.tests.container;

import io.shmipc.ChannelKind;
import io.shmipc.Region;
import io.shmipc.RegionConfig;
import io.shmipc.RegionLocation;
import io.shmipc.Subscriber;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Liveness across PID namespaces: every container's process is pid 1 in its own namespace, so the pid written in an
 * endpoint slot names nothing elsewhere (on the host, pid 1 is init and always alive). The answers must come from
 * the kernel's OFD locks: alive while the peer lives, dead as soon as its container is killed, and a killed
 * exclusive publisher's role free for the next one. The test JVM and the containers share the host's IPC
 * namespace ({@code --ipc=host}).
 */
@ContainerTest
class ContainerLivenessTest
{
    private static final String CHANNEL = "messages";
    private static final Duration STARTUP = Duration.ofSeconds(60);
    private static final Duration CHANGE = Duration.ofSeconds(10);

    @Test
    @Timeout(180)
    void livenessIsRightAcrossPidNamespacesBothAliveAndDead()
    {
        final String name = "liveness-" + Long.toHexString(ThreadLocalRandom.current().nextLong());
        final String location = "shm:" + name;
        final RegionConfig config = RegionConfig.builder(RegionLocation.shm(name))
            .channel(CHANNEL, ChannelKind.ONE_TO_ONE, 64 << 10)
            .deleteOnClose(true)
            .build();
        try (Region region = Region.create(config);
            SharedMemoryContainer firstPublisher = watcher(location, "publisher");
            SharedMemoryContainer secondPublisher = watcher(location, "publisher");
            SharedMemoryContainer containerSubscriber = watcher(location, "subscriber"))
        {
            firstPublisher.start();
            firstPublisher.verifySameShmAsHost();
            firstPublisher.awaitLine("READY role=publisher region=" + location + " channel=" + CHANNEL + " pid=1 ",
                STARTUP);
            firstPublisher.awaitLine("PEER subscriberAlive=false", CHANGE);

            try (Subscriber hostSubscriber = region.subscriber(CHANNEL))
            {
                // Alive: a publisher in another PID namespace, seen from the test JVM, and the reverse.
                assertEquals(1, hostSubscriber.connectedPublishers(), "live publisher in a container");
                firstPublisher.awaitLine("PEER subscriberAlive=true", CHANGE);

                // Dead: its slot still says pid 1, which is alive here; only the lock tells the truth.
                firstPublisher.kill();
                awaitTrue(() -> hostSubscriber.connectedPublishers() == 0, "killed publisher no longer counted");

                // The killed exclusive publisher's role is free again.
                secondPublisher.start();
                secondPublisher.awaitLine("READY role=publisher region=" + location + " channel=" + CHANNEL +
                    " pid=1 ", STARTUP);
                awaitTrue(() -> hostSubscriber.connectedPublishers() == 1, "second publisher counted");
                secondPublisher.awaitLine("PEER subscriberAlive=true", CHANGE);
            }
            secondPublisher.awaitLine("PEER subscriberAlive=false", CHANGE);

            // Between two containers, each pid 1 in its own namespace.
            final int mark = secondPublisher.output().lines().size();
            containerSubscriber.start();
            containerSubscriber.awaitLine("READY role=subscriber region=" + location + " channel=" + CHANNEL +
                " pid=1 ", STARTUP);
            containerSubscriber.awaitLine("PEER publishers=1", CHANGE);
            secondPublisher.output().await(mark, "PEER subscriberAlive=true"::equals, CHANGE);

            secondPublisher.kill();
            containerSubscriber.awaitLine("PEER publishers=0", CHANGE);
        }
    }

    private static SharedMemoryContainer watcher(final String location, final String role)
    {
        return SharedMemoryContainer.examples().withHostIpc().withHostUser().withPeer("watch", location, role);
    }

    private static void awaitTrue(final BooleanSupplier condition, final String what)
    {
        final long deadline = System.nanoTime() + CHANGE.toNanos();
        while (!condition.getAsBoolean())
        {
            if (System.nanoTime() - deadline > 0)
            {
                fail("not within " + CHANGE + ": " + what);
            }
            LockSupport.parkNanos(10_000_000L);
        }
    }
}
