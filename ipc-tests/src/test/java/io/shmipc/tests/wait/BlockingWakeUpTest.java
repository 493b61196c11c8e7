package io.shmipc.tests.wait;

import io.shmipc.tests.support.ChildJvms;
import io.shmipc.tests.support.IdleCpu;
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
            // The cost bounded is the blocked thread's own, beyond what the machine charges a thread of the same
            // process that only sleeps as often (see WaitSetProcessTest); the JVM's compiler and GC threads are left
            // out, their start-up work varying with the machine's load.
            LockSupport.parkNanos(Duration.ofSeconds(2).toNanos());
            final IdleCpu cpu = IdleCpu.measure(consumer.pid(), WakeUpPeer.IDLE_CONSUMER_THREAD,
                WakeUpPeer.REFERENCE_THREAD, Duration.ofSeconds(10));
            assertTrue(consumer.isAlive() && consumer.lines().size() == 1, "still blocked: " + consumer.output());
            assertTrue(cpu.beyondReference() < 0.01, "blocked consumer: " + cpu);
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
}
