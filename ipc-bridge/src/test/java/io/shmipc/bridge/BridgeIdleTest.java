package io.shmipc.bridge;

import io.shmipc.ChannelKind;
import io.shmipc.Region;
import io.shmipc.RegionConfig;
import io.shmipc.RegionLocation;
import org.agrona.concurrent.IdleStrategy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The configured idle strategy is how the bridge's thread and every thread of its embedded driver wait.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class BridgeIdleTest
{
    @Test
    void bridgeThreadAndEmbeddedDriverThreadIdleAsConfigured()
    {
        final RegionLocation location = RegionLocation.shm("bridge-idle-" + ProcessHandle.current().pid() + "-" +
            System.nanoTime());
        final Set<String> idlingThreads = ConcurrentHashMap.newKeySet();
        final ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();
        final int port = 29000 + (int)(ProcessHandle.current().pid() % 1000) * 2;
        final BridgeConfig config = BridgeConfig.builder(location).name("idle")
            .listen("127.0.0.1:" + port).peer("127.0.0.1:" + (port + 1)).route(BridgeRoute.out("orders"))
            .replayCapacity(256 * 1024).termLength(256 * 1024)
            .idleStrategy(() -> new RecordingIdleStrategy(idlingThreads))
            .build();
        try (Region region = Region.create(RegionConfig.builder(location)
            .channel("orders", ChannelKind.ONE_TO_ONE, 64 * 1024).deleteOnClose(true).build());
            BridgeRunner bridge = BridgeRunner.start(config, failures::add))
        {
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            // The driver runs on a thread of its own (SHARED, the default): both threads must idle through ours.
            while (!(bridge.thread() != null && idlingThreads.contains(bridge.thread().getName()) &&
                idlingThreads.size() >= 2))
            {
                assertTrue(!region.isClosed() && !bridge.isClosed());
                assertTrue(System.nanoTime() - deadline < 0, "threads that idled with the configured strategy: " +
                    idlingThreads + ", bridge thread " + bridge.thread());
                LockSupport.parkNanos(1_000_000L);
            }
            assertTrue(failures.isEmpty(), failures.toString());
        }
        finally
        {
            Bridge.deleteHome(config.homeDirectory());
        }
    }

    /**
     * Notes which threads idle through it, then parks briefly.
     */
    private static final class RecordingIdleStrategy implements IdleStrategy
    {
        private final Set<String> threads;

        RecordingIdleStrategy(final Set<String> threads)
        {
            this.threads = threads;
        }

        @Override
        public void idle(final int workCount)
        {
            if (workCount <= 0)
            {
                idle();
            }
        }

        @Override
        public void idle()
        {
            threads.add(Thread.currentThread().getName());
            LockSupport.parkNanos(100_000L);
        }

        @Override
        public void reset()
        {
        }
    }
}
