package io.shmipc.tests.wait;

import io.shmipc.tests.support.ChildJvms;
import io.shmipc.ChannelKind;
import io.shmipc.ChannelStatus;
import io.shmipc.EndpointStatus;
import io.shmipc.Publisher;
import io.shmipc.Region;
import io.shmipc.RegionInspector;
import io.shmipc.RegionLocation;
import io.shmipc.toolkit.ChildProcess;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Subscribers killed with SIGKILL while asleep on a channel's wake-up word leave their share of its wake-up
 * counts behind; it must be taken back, or every publisher would fence and make a {@code FUTEX_WAKE} system call
 * after every message for as long as the channel exists. The counts are read from shared memory with
 * {@link RegionInspector}, as {@code shm-ipc stat} shows them.
 */
class DeadSleeperTest
{
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final Pattern DONE = Pattern.compile(
        "DONE received=(\\d+) missedWakeups=(\\d+) outOfOrder=(\\d+) mechanism=(\\w+)");

    private final String name = "shmipc-sleeper-" + UUID.randomUUID();
    private final RegionLocation location = RegionLocation.shm(name);
    private final UnsafeBuffer message = new UnsafeBuffer(new byte[16]);

    @AfterEach
    void tearDown()
    {
        Region.delete(location);
    }

    /**
     * Two broadcast receivers asleep; one is killed. The transmitter, already running, takes the dead one's share
     * back in its housekeeping while it keeps sending, and the survivor still gets every message with no wake-up
     * lost.
     */
    @Test
    @Timeout(120)
    void aLivePublisherTakesBackTheShareOfAReceiverKilledAsleep()
    {
        try (Region region = Region.create(WakeUpPeer.config(location, ChannelKind.BROADCAST));
            Publisher publisher = region.publisher("c");
            ChildProcess victim = ChildJvms.start(WakeUpPeer.class, "sleep", name);
            ChildProcess survivor = ChildJvms.start(WakeUpPeer.class, "sleep", name))
        {
            victim.awaitLineStartingWith("WAITING", WAIT);
            survivor.awaitLineStartingWith("WAITING", WAIT);
            awaitChannel(channel -> channel.waiters() == 2 && channel.blockingSubscribers() == 2, "both asleep");

            victim.kill();
            final ChannelStatus afterKill = awaitChannel(channel -> channel.endpoints().stream()
                .anyMatch(endpoint -> !endpoint.alive() && endpoint.sleeping()), "the victim dead in its slot");
            assertEquals(2, afterKill.blockingSubscribers(), "the dead receiver is still counted before any repair");
            assertEquals(2, afterKill.waiters(), "the dead receiver is still counted before any repair");

            long sent = 0;
            final long deadline = System.nanoTime() + WAIT.toNanos();
            while (channel().blockingSubscribers() != 1)
            {
                assertTrue(System.nanoTime() - deadline < 0, "the dead receiver's share was never taken back");
                for (int i = 0; i < 256; i++)
                {
                    offer(publisher, sent++);
                }
            }
            final ChannelStatus repaired = channel();
            assertTrue(repaired.waiters() <= 1, "only the survivor may be asleep: " + repaired);
            final EndpointStatus dead = repaired.endpoints().stream().filter(endpoint -> !endpoint.alive())
                .findFirst().orElseThrow();
            assertFalse(dead.blocking() || dead.sleeping(), "the dead slot's wait state is cleared: " + dead);

            offer(publisher, -1);
            assertReceivedAll(survivor, sent);
        }
    }

    /**
     * A ring subscriber killed asleep, then a new one that falls asleep too: the counts are exactly the new one's,
     * neither the sum of both nor below it, and the new one is woken for every message.
     */
    @ParameterizedTest
    @EnumSource(value = ChannelKind.class, names = { "ONE_TO_ONE", "MANY_TO_ONE" })
    @Timeout(120)
    void aNewSubscriberTakesBackTheShareOfOneKilledAsleep(final ChannelKind kind)
    {
        try (Region region = Region.create(WakeUpPeer.config(location, kind));
            Publisher publisher = region.publisher("c"))
        {
            ChannelStatus afterKill = null;
            // A sleeper leaves its wait and enters it again between two slices of its sleep: one killed in that
            // instant leaves no share to take back, and another victim is needed (it takes the slot over).
            for (int attempt = 0; attempt < 5 && (afterKill == null || afterKill.waiters() == 0); attempt++)
            {
                try (ChildProcess victim = ChildJvms.start(WakeUpPeer.class, "sleep", name))
                {
                    victim.awaitLineStartingWith("WAITING", WAIT);
                    awaitChannel(channel -> channel.waiters() == 1 && channel.blockingSubscribers() == 1, "asleep");
                    victim.kill();
                }
                afterKill = awaitChannel(channel -> channel.endpoints().stream().noneMatch(endpoint ->
                    endpoint.alive() && endpoint.role().equals("subscriber")), "the victim dead");
            }
            assertEquals(1, afterKill.waiters(), "the dead subscriber is still counted before any repair");

            try (ChildProcess successor = ChildJvms.start(WakeUpPeer.class, "sleep", name))
            {
                successor.awaitLineStartingWith("WAITING", WAIT);
                final ChannelStatus asleep = awaitChannel(channel -> channel.endpoints().stream()
                    .anyMatch(endpoint -> endpoint.alive() && endpoint.sleeping()), "the successor asleep");
                assertEquals(1, asleep.blockingSubscribers(), "only the successor may block: " + asleep);
                assertEquals(1, asleep.waiters(), "only the successor is asleep: " + asleep);

                final int messages = 1000;
                for (int sequence = 0; sequence < messages; sequence++)
                {
                    offer(publisher, sequence);
                }
                offer(publisher, -1);
                assertReceivedAll(successor, messages);
            }
        }
    }

    private void offer(final Publisher publisher, final long sequence)
    {
        message.putLong(0, sequence);
        final long deadline = System.nanoTime() + WAIT.toNanos();
        while (publisher.offer(message, 0, message.capacity()) != Publisher.OK)
        {
            assertTrue(System.nanoTime() - deadline < 0, "back-pressured for " + WAIT);
            Thread.onSpinWait();
        }
    }

    private static void assertReceivedAll(final ChildProcess subscriber, final long sent)
    {
        final Matcher done = DONE.matcher(subscriber.awaitLineStartingWith("DONE", WAIT));
        assertTrue(done.matches(), subscriber.output());
        assertEquals(sent, Long.parseLong(done.group(1)), "every message arrives");
        assertEquals(0, Long.parseLong(done.group(2)), "no wake-up lost");
        assertEquals(0, Long.parseLong(done.group(3)), "in order");
        subscriber.awaitSuccess(WAIT);
    }

    private ChannelStatus channel()
    {
        try (RegionInspector inspector = RegionInspector.open(location))
        {
            return inspector.channels().get(0);
        }
    }

    /**
     * Read the channel until the condition holds: the state observed is what the children's progress is judged by.
     */
    private ChannelStatus awaitChannel(final Predicate<ChannelStatus> condition, final String what)
    {
        final long deadline = System.nanoTime() + WAIT.toNanos();
        while (true)
        {
            final ChannelStatus channel = channel();
            if (condition.test(channel))
            {
                return channel;
            }
            assertTrue(System.nanoTime() - deadline < 0, "never " + what + ": " + channel);
            LockSupport.parkNanos(1_000_000L);
        }
    }
}
