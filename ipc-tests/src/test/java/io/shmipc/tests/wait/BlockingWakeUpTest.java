package io.shmipc.tests.wait;

import io.shmipc.tests.support.ChildJvms;
import io.shmipc.ChannelKind;
import io.shmipc.Region;
import io.shmipc.RegionLocation;
import io.shmipc.toolkit.ChildProcess;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Blocking waits across real processes: nothing lost, no lost wake-up, near-zero idle CPU, dead peers noticed.
 */
class BlockingWakeUpTest
{
    private static final Duration WAIT = Duration.ofSeconds(60);
    /** Units of utime and stime in /proc/PID/stat: USER_HZ, 100 on every Linux architecture. */
    private static final int USER_HZ = 100;
    private static final Pattern DONE = Pattern.compile(
        "DONE received=(\\d+) missedWakeups=(\\d+) outOfOrder=(\\d+) mechanism=(\\w+)");

    private final String name = "shmipc-wake-" + UUID.randomUUID();

    @AfterEach
    void tearDown()
    {
        Region.delete(RegionLocation.shm(name));
    }

    /**
     * A producer sending bursts with random pauses of 0 to 5 ms for 20 s to a consumer that blocks whenever the
     * channel is empty. The consumer counts every blocking wait that slept its whole 1 s timeout while a message
     * was waiting: a lost wake-up. There must be none, and every message must arrive in order.
     */
    @ParameterizedTest
    @EnumSource(value = ChannelKind.class, names = { "ONE_TO_ONE", "MANY_TO_ONE" })
    @Timeout(150)
    void everyMessageArrivesAndNoWakeUpIsLost(final ChannelKind kind)
    {
        try (ChildProcess consumer = ChildJvms.start(WakeUpPeer.class, "consume", name, kind.name(), "1000"))
        {
            consumer.awaitLineStartingWith("READY", WAIT);
            final long seed = System.nanoTime();
            final ChildProcess producer =
                ChildJvms.start(WakeUpPeer.class, "produce", name, "20", Long.toString(seed));
            final String sentLine = producer.awaitLineStartingWith("SENT", Duration.ofSeconds(90));
            producer.awaitSuccess(WAIT);
            final long sent = Long.parseLong(sentLine.substring("SENT ".length()));
            assertTrue(sent > 1000, "the producer sent enough to test: " + sentLine);

            final Matcher done = DONE.matcher(consumer.awaitLineStartingWith("DONE", WAIT));
            assertTrue(done.matches(), consumer.output());
            assertEquals(sent, Long.parseLong(done.group(1)), "every message arrives (seed " + seed + ")");
            assertEquals(0, Long.parseLong(done.group(3)), "in order");
            assertEquals(0, Long.parseLong(done.group(2)), "no wake-up lost (seed " + seed + ")");
            assertEquals("FUTEX", done.group(4));
            consumer.awaitSuccess(WAIT);
        }
    }

    /**
     * A consumer blocked for 10 s uses less than 1% of one core, measured from its own /proc/PID/stat.
     */
    @Test
    @Timeout(90)
    void blockedConsumerUsesAlmostNoCpu() throws IOException
    {
        try (ChildProcess consumer = ChildJvms.start(WakeUpPeer.class, "idle", name))
        {
            consumer.awaitLineStartingWith("WAITING", WAIT);
            // Let the JVM's start-up work (JIT compilation) settle, then measure a 10 s window.
            LockSupport.parkNanos(Duration.ofSeconds(2).toNanos());
            final long before = cpuTicks(consumer.pid());
            final long start = System.nanoTime();
            LockSupport.parkNanos(Duration.ofSeconds(10).toNanos());
            final long ticks = cpuTicks(consumer.pid()) - before;
            final double seconds = (System.nanoTime() - start) / 1e9;
            final double coreFraction = ticks / (double)USER_HZ / seconds;
            assertTrue(consumer.isAlive() && consumer.lines().size() == 1, "still blocked: " + consumer.output());
            assertTrue(coreFraction < 0.01,
                "blocked consumer used " + String.format("%.3f%%", coreFraction * 100) + " of a core (" + ticks +
                " ticks in " + seconds + " s)");
        }
    }

    /**
     * A consumer blocked in polls with a 500 ms timeout notices that its only publisher died within one timeout.
     */
    @Test
    @Timeout(90)
    void blockedConsumerReturnsAndReportsDeadPublisher()
    {
        try (ChildProcess consumer = ChildJvms.start(WakeUpPeer.class, "watch", name, "500");
            ChildProcess publisher = ChildJvms.start(WakeUpPeer.class, "hold", name))
        {
            consumer.awaitLineStartingWith("WAITING", WAIT);
            publisher.awaitLineStartingWith("ATTACHED", WAIT);
            consumer.awaitLineStartingWith("PUBLISHERS 1", WAIT);
            final long killedAt = System.nanoTime();
            publisher.kill();
            consumer.awaitLineStartingWith("PUBLISHER DEAD", WAIT);
            final long noticedMs = (System.nanoTime() - killedAt) / 1_000_000;
            assertTrue(noticedMs < 5_000, "dead publisher noticed within a few timeouts, took " + noticedMs + " ms");
            assertTrue(consumer.output().contains("PUBLISHERS 0"), consumer.output());
            consumer.awaitSuccess(WAIT);
        }
    }

    private static long cpuTicks(final long pid) throws IOException
    {
        final String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
        final String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
    }
}
