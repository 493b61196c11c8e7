package io.shmipc;

import io.shmipc.exceptions.RegionClosedException;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;

import static org.junit.jupiter.api.Assertions.*;

/**
 * {@link Region#close()} racing every operation of its endpoints, many times over, with each race's outcome
 * checked against the table of docs/guarantees.md ("Closing while other threads use the region"): {@code offer},
 * {@code tryClaim} and batched offers return {@code OK} or {@code CLOSED} and throw nothing; a poll returns what it
 * delivered or throws {@link RegionClosedException}; a held claim's {@code buffer()}, {@code commit()} and
 * {@code abort()} work or throw {@link RegionClosedException}, and a write into a buffer obtained before the close
 * lands or throws {@link IndexOutOfBoundsException}; the liveness queries answer or say 0 and false. Anything else
 * (a {@code NativeCallException} from a system call on a closed descriptor, {@code IllegalStateException}, a
 * corruption report) fails the test.
 * <p>
 * Each round creates the region, attaches a second handle, races it and closes it. A held claim of another
 * publisher keeps the {@code MANY_TO_ONE} ring stuck, so the subscriber's stuck-ring check makes its liveness
 * probes about once a millisecond while the close runs.
 */
@Timeout(120)
class CloseRaceTest
{
    private static final int ROUNDS = 150;
    private static final String CHANNEL = "c";

    private final RegionLocation location = RegionLocation.shm("shmipc-close-race-" + UUID.randomUUID());
    private final Map<String, Set<String>> outcomes = new ConcurrentHashMap<>();
    private final List<Throwable> unexpected = new ArrayList<>();

    @AfterEach
    void deleteRegion()
    {
        if (Region.delete(location))
        {
            System.out.println("deleted a region left by a failed round");
        }
    }

    /**
     * A channel added through a handle that another thread closes meanwhile (its space is being zeroed, tens of
     * milliseconds for 64 MiB) is either added, and found by another handle, or the add throws
     * {@link RegionClosedException}: never reported added when it is not there.
     */
    @Test
    void aChannelAddedWhileItsHandleClosesIsThereUnlessTheAddSaysClosed() throws Exception
    {
        final ChannelSpec big = new ChannelSpec("big", ChannelKind.ONE_TO_ONE, 64 << 20, 0);
        final RegionConfig config = RegionConfig.builder(location).dataAreaLength(80L << 20).build();
        int added = 0;
        int closed = 0;
        for (int round = 0; round < 8; round++)
        {
            try (Region owner = Region.create(config))
            {
                final Region adder = Region.attach(location, Duration.ofSeconds(5));
                final Object[] outcome = new Object[1];
                final Thread adding = new Thread(() ->
                {
                    try
                    {
                        outcome[0] = adder.directory().openOrCreateChannel(big);
                    }
                    catch (final RuntimeException ex)
                    {
                        outcome[0] = ex;
                    }
                });
                adding.start();
                // The race itself, not synchronisation: the close lands at a different moment of the add each round.
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5L * round));
                adder.close();
                adding.join();
                final boolean present = owner.directory().channelList().contains("big");
                if (outcome[0] instanceof RegionClosedException)
                {
                    closed++;
                    assertFalse(present, "the add said closed, and the channel is there");
                }
                else
                {
                    assertEquals(big.name(), ((ChannelSpec)outcome[0]).name(), () -> "round " + outcome[0]);
                    added++;
                    assertTrue(present, "the add returned the channel, and the region has none of that name");
                }
            }
            Region.delete(location);
        }
        System.out.println("adds racing close: " + added + " added, " + closed + " refused as closed");
    }

    @ParameterizedTest
    @EnumSource(ChannelKind.class)
    void everyOperationRacingCloseHasItsDocumentedOutcome(final ChannelKind kind) throws Exception
    {
        for (int round = 0; round < ROUNDS; round++)
        {
            try (Region owner = Region.create(RegionConfig.builder(location).channel(CHANNEL, kind, 64 * 1024)
                .build()))
            {
                final Claim stuck = new Claim();
                if (kind == ChannelKind.MANY_TO_ONE)
                {
                    assertEquals(Publisher.OK, owner.publisher(CHANNEL).tryClaim(8, stuck));
                }
                raceOnce(kind);
            }
            Region.delete(location);
        }
        synchronized (unexpected)
        {
            if (!unexpected.isEmpty())
            {
                final AssertionError error = new AssertionError(unexpected.size() + " undocumented outcomes: " +
                    unexpected.get(0) + "; outcomes seen: " + outcomes);
                unexpected.forEach(error::addSuppressed);
                throw error;
            }
        }
        System.out.println(kind + ": " + outcomes);
        assertTrue(outcomes.get("poll").contains("RegionClosedException"), "a poll met the close: " + outcomes);
        assertTrue(outcomes.get("offer").contains("CLOSED"), "an offer met the close: " + outcomes);
    }

    private void raceOnce(final ChannelKind kind) throws InterruptedException
    {
        final Region region = Region.attach(location, Duration.ofSeconds(5));
        final Subscriber subscriber = region.subscriber(CHANNEL);
        final Subscriber blocked = kind == ChannelKind.BROADCAST ? region.subscriber(CHANNEL) : null;
        final Publisher publisher = region.publisher(CHANNEL);
        final BatchingPublisher batching = kind == ChannelKind.BROADCAST ? null : publisher.batching(1024);
        final AtomicBoolean stop = new AtomicBoolean();
        final CountDownLatch started = new CountDownLatch(3);
        final List<Thread> threads = new ArrayList<>();
        threads.add(racer("poll", started, stop, () -> pollOnce(subscriber)));
        threads.add(racer("offer", started, stop, () -> offerOnce(publisher, batching)));
        threads.add(racer("query", started, stop, () -> query(publisher, subscriber)));
        if (blocked != null)
        {
            threads.add(racer("blockingPoll", null, stop, () -> blockingPollOnce(blocked)));
        }
        threads.forEach(Thread::start);
        started.await();
        final long pauseNs = ThreadLocalRandom.current().nextLong(TimeUnit.MILLISECONDS.toNanos(3));
        final long until = System.nanoTime() + pauseNs;
        while (System.nanoTime() - until < 0)
        {
            Thread.onSpinWait();
        }
        try
        {
            region.close();
        }
        catch (final RuntimeException ex)
        {
            record("close", ex);
        }
        // Each racer runs until it has seen the close (or a bounded number of operations after it).
        stop.set(true);
        for (final Thread thread : threads)
        {
            thread.join(TimeUnit.SECONDS.toMillis(20));
            assertFalse(thread.isAlive(), thread.getName() + " still running after the close");
        }
    }

    private interface Operation
    {
        void run() throws Exception;
    }

    private Thread racer(final String name, final CountDownLatch started, final AtomicBoolean stop,
        final Operation operation)
    {
        return new Thread(() ->
        {
            if (started != null)
            {
                started.countDown();
            }
            int afterStop = 0;
            while (afterStop < 1000)
            {
                if (stop.get())
                {
                    afterStop++;
                }
                try
                {
                    operation.run();
                }
                catch (final Throwable ex)
                {
                    record(name, ex);
                }
            }
        }, name);
    }

    private void pollOnce(final Subscriber subscriber)
    {
        subscriber.poll((buffer, offset, length) -> buffer.getByte(offset), 16);
        outcome("poll", "returned");
    }

    private void blockingPollOnce(final Subscriber subscriber)
    {
        subscriber.poll((buffer, offset, length) -> buffer.getByte(offset), 16, Duration.ofMillis(50));
        outcome("blockingPoll", "returned");
    }

    private void offerOnce(final Publisher publisher, final BatchingPublisher batching)
    {
        final UnsafeBuffer message = new UnsafeBuffer(new byte[16]);
        final long offered = publisher.offer(message, 0, message.capacity());
        outcome("offer", describe(offered));
        final Claim claim = new Claim();
        final long claimed = publisher.tryClaim(16, claim);
        outcome("tryClaim", describe(claimed));
        if (claimed == Publisher.OK)
        {
            try
            {
                claim.buffer().putLong(claim.offset(), 42L);
            }
            catch (final RegionClosedException | IndexOutOfBoundsException ex)
            {
                outcome("claimWrite", ex.getClass().getSimpleName());
            }
            try
            {
                if (ThreadLocalRandom.current().nextBoolean())
                {
                    claim.commit();
                }
                else
                {
                    claim.abort();
                }
                outcome("claimEnd", "done");
            }
            catch (final RegionClosedException ex)
            {
                outcome("claimEnd", "RegionClosedException");
            }
        }
        if (batching != null)
        {
            outcome("batchOffer", describe(batching.offer(message, 0, message.capacity())));
            outcome("batchFlush", describe(batching.flush()));
        }
    }

    private void query(final Publisher publisher, final Subscriber subscriber)
    {
        outcome("connectedSubscribers", publisher.connectedSubscribers() > 0 ? "some" : "0");
        outcome("connectedPublishers", subscriber.connectedPublishers() > 0 ? "some" : "0");
        outcome("isConsumerAlive", Boolean.toString(publisher.isConsumerAlive()));
    }

    private static String describe(final long result)
    {
        return result == Publisher.OK ? "OK" : result == Publisher.BACK_PRESSURED ? "BACK_PRESSURED" :
            result == Publisher.CLOSED ? "CLOSED" : "unknown " + result;
    }

    private void outcome(final String operation, final String outcome)
    {
        if (outcome.startsWith("unknown "))
        {
            synchronized (unexpected)
            {
                unexpected.add(new AssertionError(operation + " returned " + outcome + ", not a documented result"));
            }
        }
        outcomes.computeIfAbsent(operation, key -> ConcurrentHashMap.newKeySet()).add(outcome);
    }

    private void record(final String operation, final Throwable ex)
    {
        if (ex instanceof RegionClosedException && !operation.equals("close") && !operation.equals("offer") &&
            !operation.equals("query"))
        {
            outcome(operation, "RegionClosedException");
            return;
        }
        synchronized (unexpected)
        {
            unexpected.add(new AssertionError(operation + " threw " + ex, ex));
        }
    }
}
