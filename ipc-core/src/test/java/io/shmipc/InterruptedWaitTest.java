package io.shmipc;

import io.shmipc.exceptions.ServiceException;
import io.shmipc.exceptions.WaitInterruptedException;
import io.shmipc.testing.KernelWaits;
import io.shmipc.testing.Resources;
import io.shmipc.wait.MultiWait;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.*;

/**
 * {@link Thread#interrupt()} ends every call that waits, at once, with the thread's interrupt status left set: the
 * waits are given an hour, the waiting thread is interrupted once the kernel shows it asleep, and it must be back
 * within seconds. Without the interrupt hook the thread sleeps on in {@code futex} and each test fails on its join.
 */
@Timeout(60)
class InterruptedWaitTest
{
    private static final Duration HOUR = Duration.ofHours(1);
    private static final long BACK_WITHIN_MS = 10_000;
    private static final AtomicInteger THREADS = new AtomicInteger();
    private static final ServiceConfig ECHO = ServiceConfig.builder("echo").requestCapacity(1 << 16)
        .replyCapacity(1 << 14).build();

    @TempDir
    Path directory;

    private final Resources resources = new Resources();

    @AfterEach
    void close() throws Exception
    {
        Thread.interrupted(); // a failed assertion must not leave the test thread interrupted for the next test
        resources.closeAll();
    }

    private Region region(final ChannelKind kind)
    {
        return resources.track(Region.create(RegionConfig.builder(RegionLocation.file(directory.resolve("r")))
            .maxChannels(40).dataAreaLength(4 << 20).channel("c", kind, 4096).build()));
    }

    /** What a waiting thread got back, and whether it was still interrupted then. */
    private record Outcome<T>(T value, Throwable thrown, boolean interrupted)
    {
    }

    /**
     * Run {@code wait} on a thread of its own, interrupt it once the kernel shows it asleep, and return what it got.
     */
    private static <T> Outcome<T> interruptedWhileAsleep(final Callable<T> wait) throws Exception
    {
        return interruptedWhileAsleep(wait, () -> true);
    }

    /**
     * Run the wait in a thread and interrupt it once {@code reached} holds and the thread is asleep in the kernel.
     * A futex alone does not tell the library's sleep from the JVM's own (a class initialisation, a safepoint), so
     * a wait that does something first (a call sends its request) names what must be done before the interrupt.
     */
    private static <T> Outcome<T> interruptedWhileAsleep(final Callable<T> wait, final BooleanSupplier reached)
        throws Exception
    {
        final String name = "intr-wait-" + THREADS.incrementAndGet(); // within the kernel's 15 characters
        final Object[] result = new Object[3];
        final Thread thread = new Thread(() ->
        {
            try
            {
                result[0] = wait.call();
            }
            catch (final Throwable ex)
            {
                result[1] = ex;
            }
            result[2] = Thread.currentThread().isInterrupted();
        }, name);
        thread.start();
        while (!reached.getAsBoolean())
        {
            assertTrue(thread.isAlive(), "the wait ended before it reached the point to interrupt it at");
            Thread.yield();
        }
        KernelWaits.awaitBlockedIn(thread, KernelWaits.FUTEX, KernelWaits.FUTEX_WAITV);
        thread.interrupt();
        thread.join(BACK_WITHIN_MS);
        assertFalse(thread.isAlive(), "the interrupted wait is still asleep after " + BACK_WITHIN_MS + " ms");
        @SuppressWarnings("unchecked")
        final Outcome<T> outcome = new Outcome<>((T)result[0], (Throwable)result[1], (Boolean)result[2]);
        return outcome;
    }

    private static void send(final Publisher publisher, final int value)
    {
        final UnsafeBuffer message = new UnsafeBuffer(new byte[4]);
        message.putInt(0, value);
        assertEquals(Publisher.OK, publisher.offer(message, 0, 4));
    }

    @ParameterizedTest
    @EnumSource(ChannelKind.class)
    void aBlockingPollEndsAtOnceWhenItsThreadIsInterruptedAndWorksOnAfter(final ChannelKind kind) throws Exception
    {
        final Region region = region(kind);
        final Subscriber subscriber = region.subscriber("c");
        final Publisher publisher = region.publisher("c");
        for (int round = 0; round < 2; round++) // the second round needs a new registration: the first used it up
        {
            final Outcome<Integer> outcome = interruptedWhileAsleep(
                () -> subscriber.poll((buffer, offset, length) -> fail("nothing was sent"), 10, HOUR));
            assertNull(outcome.thrown());
            assertEquals(0, outcome.value(), "returns as at its timeout");
            assertTrue(outcome.interrupted(), "the interrupt status stays set");
        }
        send(publisher, 7);
        final AtomicInteger got = new AtomicInteger();
        assertEquals(1, subscriber.poll((buffer, offset, length) -> got.set(buffer.getInt(offset)), 10,
            Duration.ofSeconds(10)));
        assertEquals(7, got.get());
        assertEquals(0, subscriber.missedWakeups());
    }

    @ParameterizedTest
    @EnumSource(MultiWait.Mechanism.class)
    void aWaitSetOnManyChannelsEndsAtOnceWhenItsThreadIsInterrupted(final MultiWait.Mechanism mechanism)
        throws Exception
    {
        final Region region = region(ChannelKind.ONE_TO_ONE);
        final WaitSet waitSet = resources.track(mechanism == MultiWait.Mechanism.FUTEX_WAITV ? new WaitSet() :
            new WaitSet(mechanism));
        waitSet.add(region.subscriber("c"));
        for (int i = 0; i < 15; i++)
        {
            waitSet.add(region.subscriber(region.directory().openOrCreateChannel(
                new ChannelSpec("m" + i, ChannelKind.MANY_TO_ONE, 4096, 0))));
        }
        waitSet.addChannelList(region);
        final Outcome<Integer> outcome = interruptedWhileAsleep(() -> waitSet.await(HOUR));
        assertNull(outcome.thrown());
        assertEquals(0, outcome.value(), "nothing ready");
        assertTrue(outcome.interrupted());
        send(region.publisher("c"), 1);
        assertEquals(1, waitSet.await(Duration.ofSeconds(10)), "the set still wakes for a message");
    }

    @Test
    void aServiceCallWithdrawsItsRequestWhenItsThreadIsInterrupted() throws Exception
    {
        final Region serverRegion = region(ChannelKind.ONE_TO_ONE);
        final Region clientRegion = resources.track(Region.attach(serverRegion.location(), Duration.ofSeconds(10)));
        final ServiceServer server = resources.track(ServiceServer.open(serverRegion, ECHO)); // not polled until below
        final ServiceClient client = resources.track(ServiceClient.open(clientRegion, ECHO));
        final UnsafeBuffer request = new UnsafeBuffer(new byte[] {'q'});
        final Outcome<Integer> outcome = interruptedWhileAsleep(() -> client.call(request, 0, 1, new NoResponse(),
            HOUR), () -> requestChannelPosition(serverRegion) > 0);
        final WaitInterruptedException thrown = assertInstanceOf(WaitInterruptedException.class, outcome.thrown());
        assertTrue(thrown.getMessage().contains("service=echo") && thrown.getMessage().contains("withdrawn"),
            thrown.getMessage());
        assertTrue(outcome.interrupted());
        assertEquals(0, client.pendingRequests(), "withdrawn");

        assertEquals(1, server.poll(asked -> asked.complete(asked.buffer(), asked.offset(), asked.length()), 10,
            Duration.ofSeconds(10)));
        final Outcome<Integer> polled = interruptedWhileAsleep(() -> client.poll(new NoResponse(), 10, HOUR));
        assertEquals(0, polled.value());
        assertTrue(polled.interrupted());
        assertEquals(1, client.lateResponses(), "the response came, for a request no longer pending");
    }

    /** Where the service's request channel has been written to: above 0 once a request was sent. */
    private static long requestChannelPosition(final Region region)
    {
        try (RegionInspector inspector = RegionInspector.of(region))
        {
            return inspector.channels().stream().filter(channel -> channel.spec().name().equals(ECHO.name()))
                .findFirst().orElseThrow().producerPosition();
        }
    }

    /** Fails on anything: the withdrawn request's response is late, and nothing else was asked. */
    private static final class NoResponse implements ResponseHandler
    {
        @Override
        public void onResponse(final long id, final DirectBuffer buffer, final int offset, final int length,
            final boolean last)
        {
            fail("a response reached the handler: correlationId=" + id);
        }

        @Override
        public void onFailure(final long id, final ServiceException failure)
        {
            fail("nothing failed: " + failure);
        }
    }

    @Test
    void aChannelListWaitAndAnAttachEndWhenTheirThreadIsInterrupted() throws Exception
    {
        final Region region = region(ChannelKind.ONE_TO_ONE);
        final int seen = region.directory().channelList().changeCount();
        final Outcome<ChannelList> listed = interruptedWhileAsleep(
            () -> region.directory().awaitChannelChange(seen, HOUR));
        assertNull(listed.thrown());
        assertEquals(seen, listed.value().changeCount(), "returns as at its timeout");
        assertTrue(listed.interrupted());

        final RegionLocation missing = RegionLocation.file(directory.resolve("never"));
        final Outcome<Region> attached = interruptedWhileAsleep(() -> Region.attach(missing, HOUR));
        final WaitInterruptedException thrown = assertInstanceOf(WaitInterruptedException.class, attached.thrown());
        assertTrue(thrown.getMessage().contains("region=" + missing), thrown.getMessage());
        assertTrue(attached.interrupted());
    }

    @Test
    void anOfferWaitingForSpaceEndsWhenItsThreadIsInterrupted() throws Exception
    {
        final Region region = region(ChannelKind.ONE_TO_ONE);
        final Publisher publisher = region.publisher("c");
        region.subscriber("c"); // attached, never polled: the ring fills
        final UnsafeBuffer message = new UnsafeBuffer(new byte[64]);
        while (publisher.offer(message, 0, 64) == Publisher.OK)
        {
            assertTrue(publisher.offer(message, 0, 0) != Publisher.CLOSED);
        }
        final Outcome<Long> outcome = interruptedWhileAsleep(() -> publisher.offer(message, 0, 64,
            new BackoffIdleStrategy(1, 1, 1_000_000, 100_000_000), HOUR.toNanos()));
        assertNull(outcome.thrown());
        assertEquals(Publisher.BACK_PRESSURED, outcome.value());
        assertTrue(outcome.interrupted());
    }

    @Test
    void aThreadInterruptedBeforeItsCallDoesNotSleep()
    {
        final Region region = region(ChannelKind.MANY_TO_ONE);
        final Subscriber subscriber = region.subscriber("c");
        final WaitSet waitSet = resources.track(new WaitSet());
        waitSet.add(subscriber);
        Thread.currentThread().interrupt();
        assertEquals(0, subscriber.poll((buffer, offset, length) -> fail("nothing was sent"), 10, HOUR));
        assertEquals(0, waitSet.await(HOUR));
        final int seen = region.directory().channelList().changeCount();
        assertEquals(seen, region.directory().awaitChannelChange(seen, HOUR).changeCount());
        assertThrows(WaitInterruptedException.class,
            () -> Region.attach(RegionLocation.file(directory.resolve("never")), HOUR));
        assertTrue(Thread.interrupted(), "still interrupted after every call");
        send(region.publisher("c"), 3);
        assertEquals(1, subscriber.poll((buffer, offset, length) -> { }, 10, HOUR), "not interrupted: polls");
    }
}
