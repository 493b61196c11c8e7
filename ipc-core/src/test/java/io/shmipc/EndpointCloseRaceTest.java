package io.shmipc;

import io.shmipc.exceptions.ShmIpcException;
import io.shmipc.testing.KernelWaits;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.time.Duration;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

import static org.junit.jupiter.api.Assertions.*;

/**
 * An endpoint, a wait set or a service client closed from another thread while its own thread uses it, many times
 * over: the outcomes docs/guarantees.md names, and nothing left wrong in shared memory (a channel marked failed, a
 * Waiter Count left raised, a sleeping subscriber left unwoken).
 */
@Timeout(120)
class EndpointCloseRaceTest
{
    private static final String CHANNEL = "c";
    private static final UnsafeBuffer MESSAGE = new UnsafeBuffer(new byte[16]);

    private static Region region(final String label, final ChannelKind kind)
    {
        return Region.create(RegionConfig.builder(RegionLocation.anonymous(label + "-" + ProcessHandle.current().pid()))
            .channel(CHANNEL, kind, 4096).maxChannels(8).dataAreaLength(4 << 20).build());
    }

    private static void spin(final long nanos)
    {
        final long until = System.nanoTime() + nanos;
        while (System.nanoTime() - until < 0)
        {
            Thread.onSpinWait();
        }
    }

    /**
     * One race: {@code use} runs on a thread of its own while this thread waits up to {@code maxDelayNs} (chosen at
     * random), then calls {@code close}.
     *
     * @return what {@code use} returned, or the exception it threw: the simple name of a library exception, else the
     *         whole text.
     */
    private static String closeDuring(final Callable<String> use, final Runnable close, final int maxDelayNs,
        final Random random) throws InterruptedException
    {
        final AtomicReference<String> outcome = new AtomicReference<>();
        final Thread using = new Thread(() ->
        {
            try
            {
                outcome.set(use.call());
            }
            catch (final ShmIpcException ex)
            {
                outcome.set(ex.getClass().getSimpleName());
            }
            catch (final Throwable ex)
            {
                outcome.set(ex.toString());
            }
        });
        using.start();
        spin(random.nextInt(maxDelayNs));
        close.run();
        using.join();
        return outcome.get();
    }

    /**
     * The close withdraws a claim another thread holds, and the subscriber skips its space; a commit that was
     * already under way then finds the record's header changed. That is the close, never a corrupt channel.
     */
    @ParameterizedTest
    @EnumSource(value = ChannelKind.class, names = {"ONE_TO_ONE", "MANY_TO_ONE"})
    void aCommitOvertakenByItsPublishersCloseIsTheCloseAndNeverFailsTheChannel(final ChannelKind kind)
        throws Exception
    {
        try (Region region = region("commit-close", kind))
        {
            final Subscriber subscriber = region.subscriber(CHANNEL);
            final AtomicBoolean stop = new AtomicBoolean();
            final AtomicReference<Throwable> subscriberFailure = new AtomicReference<>();
            final Thread polling = new Thread(() ->
            {
                try
                {
                    while (!stop.get())
                    {
                        subscriber.poll((buffer, offset, length) -> { }, 16);
                    }
                }
                catch (final Throwable ex)
                {
                    subscriberFailure.set(ex);
                }
            });
            polling.start();
            final Map<String, Integer> outcomes = new TreeMap<>();
            final Random random = new Random(11);
            for (int round = 0; round < 3000 && subscriberFailure.get() == null; round++)
            {
                final Publisher publisher = region.publisher(CHANNEL); // a failed channel refuses it
                outcomes.merge(closeDuring(() ->
                {
                    final Claim claim = new Claim();
                    long result;
                    while ((result = publisher.tryClaim(16, claim)) != Publisher.CLOSED)
                    {
                        if (result == Publisher.OK)
                        {
                            claim.buffer().putLong(claim.offset(), 1);
                            claim.commit();
                        }
                    }
                    return "CLOSED";
                }, publisher::close, 1_000_000, random), 1, Integer::sum);
            }
            stop.set(true);
            polling.join();
            assertNull(subscriberFailure.get(), () -> "the subscriber: " + subscriberFailure.get());
            assertTrue(Set.of("CLOSED", "RegionClosedException").containsAll(outcomes.keySet()), outcomes::toString);
            region.publisher(CHANNEL).close();
        }
    }

    /**
     * An offer that lands as its publisher is closed by another thread returns {@code CLOSED}, and still wakes a
     * subscriber asleep on the channel: no poll sleeps on with a message waiting, none counts a missed wake-up.
     */
    @ParameterizedTest
    @EnumSource(ChannelKind.class)
    void anOfferOvertakenByItsPublishersCloseStillWakesTheSleepingSubscriber(final ChannelKind kind)
        throws Exception
    {
        try (Region region = region("offer-close", kind))
        {
            final Subscriber subscriber = region.subscriber(CHANNEL);
            final Random random = new Random(1);
            for (int round = 0; round < 300; round++)
            {
                final Publisher publisher = region.publisher(CHANNEL);
                final AtomicBoolean stop = new AtomicBoolean();
                final Thread offering = new Thread(() ->
                {
                    while (publisher.offer(MESSAGE, 0, MESSAGE.capacity()) != Publisher.CLOSED && !stop.get())
                    {
                        Thread.onSpinWait();
                    }
                });
                final Thread polling = new Thread(() ->
                {
                    while (!stop.get())
                    {
                        subscriber.poll((buffer, offset, length) -> { }, 1, Duration.ofMillis(20)); // sleeps often
                    }
                });
                polling.start();
                offering.start();
                // Parked, not spinning: a third busy thread on a small machine could hold the offering thread off
                // its core between its commit and its wake-up for a whole sleep, a late wake-up, not a lost one.
                LockSupport.parkNanos(random.nextInt(3_000_000));
                publisher.close();
                offering.join();
                stop.set(true);
                polling.join();
                while (subscriber.poll((buffer, offset, length) -> { }, 1000) > 0)
                {
                    Thread.onSpinWait();
                }
            }
            assertEquals(0, subscriber.missedWakeups(), "a poll slept on past a message the close's offer wrote");
        }
    }

    /**
     * Two threads close a wait set while a third waits in it: both closes return once the wait has left, so neither
     * takes its members away under it.
     */
    @Test
    void aWaitSetClosedByTwoThreadsAtOnceLeavesItsMembersAsTheWaitFoundThem() throws Exception
    {
        try (Region region = region("waitset-closes", ChannelKind.ONE_TO_ONE))
        {
            final Subscriber subscriber = region.subscriber(CHANNEL);
            for (int round = 0; round < 50; round++)
            {
                final WaitSet waitSet = new WaitSet();
                waitSet.add(subscriber);
                final AtomicReference<Object> outcome = new AtomicReference<>();
                final Thread waiting = new Thread(() ->
                {
                    try
                    {
                        outcome.set(waitSet.await(Duration.ofHours(1)));
                    }
                    catch (final Throwable ex)
                    {
                        outcome.set(ex);
                    }
                }, "waitset-closed");
                waiting.start();
                KernelWaits.awaitBlockedIn(waiting, KernelWaits.FUTEX_WAITV, KernelWaits.FUTEX);
                final Thread first = new Thread(waitSet::close);
                final Thread second = new Thread(waitSet::close);
                first.start();
                second.start();
                first.join();
                second.join();
                waiting.join();
                assertEquals(0, outcome.get(), "round " + round + ": ended by the close, nothing ready");
                try (RegionInspector inspector = RegionInspector.of(region))
                {
                    assertEquals(0, inspector.channels().get(0).waiters(), "round " + round + ": Waiter Count");
                }
            }
        }
    }

    /**
     * A server closed by another thread while its thread responds (the first response opens the client's reply
     * channel): every response returns {@code OK} or {@code CLOSED}, and throws nothing.
     */
    @Test
    void aResponseRacingItsServersCloseReturnsClosedAndNeverThrows() throws Exception
    {
        final ServiceConfig service = ServiceConfig.builder("svc").requestCapacity(4096).replyCapacity(4096).build();
        final Map<String, Integer> outcomes = new TreeMap<>();
        final Random random = new Random(21);
        try (Region region = region("respond-close", ChannelKind.ONE_TO_ONE))
        {
            for (int round = 0; round < 600; round++)
            {
                final ServiceClient client = ServiceClient.open(region, service);
                final ServiceServer server = ServiceServer.open(region, service);
                assertTrue(client.request(MESSAGE, 0, 8, Duration.ofSeconds(5)) > 0);
                final long[] asked = new long[2];
                while (server.poll(request ->
                {
                    asked[0] = request.clientId();
                    asked[1] = request.correlationId();
                }, 1) == 0)
                {
                    Thread.onSpinWait();
                }
                outcomes.merge(closeDuring(() ->
                {
                    long result = Publisher.OK;
                    for (int i = 0; i < 20 && result != Publisher.CLOSED; i++)
                    {
                        result = server.respond((int)asked[0], asked[1], MESSAGE, 0, 8, false);
                    }
                    return result == Publisher.CLOSED ? "CLOSED" : result == Publisher.OK ? "OK" : "returned " + result;
                }, server::close, 200_000, random), 1, Integer::sum);
                client.close();
            }
        }
        assertTrue(Set.of("OK", "CLOSED").containsAll(outcomes.keySet()), outcomes::toString);
    }

    /**
     * A service client closed as its region closes, from two threads: the client's close returns, as a close racing
     * its region's does.
     */
    @Test
    void aClientClosedAsItsRegionClosesReturns() throws Exception
    {
        final ServiceConfig service = ServiceConfig.builder("svc").build();
        final Map<String, Integer> outcomes = new TreeMap<>();
        for (int round = 0; round < 200; round++)
        {
            final Region region = region("client-close", ChannelKind.ONE_TO_ONE);
            final ServiceClient client = ServiceClient.open(region, service);
            final Thread closing = new Thread(region::close);
            closing.start();
            try
            {
                client.close();
                outcomes.merge("returned", 1, Integer::sum);
            }
            catch (final Throwable ex)
            {
                outcomes.merge(ex.toString(), 1, Integer::sum);
            }
            closing.join();
        }
        assertEquals(Set.of("returned"), outcomes.keySet(), outcomes::toString);
    }
}
