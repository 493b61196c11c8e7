package io.shmipc;

import io.shmipc.layout.LogBufferDescriptor;
import io.shmipc.testing.KernelWaits;
import io.shmipc.testing.Resources;
import io.shmipc.wait.FutexWaitv;
import io.shmipc.wait.MultiWait;
import org.agrona.BitUtil;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.file.Path;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.*;

/**
 * A wait set on the subscribers of one region, with every mechanism it can use: it wakes for the member that got a
 * message and names it, times out, ends on a wake-up or a close from another thread, and reports channel list changes.
 */
class WaitSetTest
{
    private static final int CHANNELS = 16;

    @TempDir
    Path directory;

    private final Resources resources = new Resources();
    private String threadName;

    /**
     * The test's thread, which waits, gets a name of its own, which the kernel shows ({@link #whenAsleep}).
     */
    @BeforeEach
    void nameTheWaiter()
    {
        threadName = Thread.currentThread().getName();
        Thread.currentThread().setName("waitset-waiter");
    }

    @AfterEach
    void close() throws Exception
    {
        Thread.currentThread().setName(threadName);
        resources.closeAll();
    }

    private <T extends AutoCloseable> T track(final T resource)
    {
        return resources.track(resource);
    }

    private Region region()
    {
        final RegionConfig.Builder builder = RegionConfig.builder(RegionLocation.file(directory.resolve("wait")))
            .maxChannels(CHANNELS + 1).dataAreaLength(1 << 20);
        for (int i = 0; i < CHANNELS; i++)
        {
            builder.channel("c" + i, ChannelKind.values()[i % 3], 4096);
        }
        return track(Region.create(builder.build()));
    }

    private static WaitSet waitSet(final MultiWait.Mechanism mechanism)
    {
        return mechanism == MultiWait.Mechanism.FUTEX_WAITV ? new WaitSet() : new WaitSet(mechanism);
    }

    private static void send(final Publisher publisher, final int value)
    {
        final UnsafeBuffer message = new UnsafeBuffer(new byte[Integer.BYTES]);
        message.putInt(0, value);
        assertEquals(Publisher.OK, publisher.offer(message, 0, Integer.BYTES));
    }

    @ParameterizedTest
    @EnumSource(MultiWait.Mechanism.class)
    @Timeout(60)
    void aSecondThreadIsRefusedWhileOneWaitsAndTheSetClosesCleanly(final MultiWait.Mechanism mechanism)
        throws Exception
    {
        final Region region = region();
        final WaitSet waitSet = waitSet(mechanism);
        waitSet.add(region.subscriber("c0"));
        final AtomicInteger first = new AtomicInteger(-2);
        final Thread waiting = new Thread(() ->
        {
            while (first.get() == -2)
            {
                try
                {
                    first.set(waitSet.await(ChronoUnit.FOREVER.getDuration()));
                }
                catch (final IllegalStateException refusedWhileTheTestLooks)
                {
                    Thread.yield(); // the test's own look was in the set: try again
                }
            }
        }, "first-waiter");
        waiting.start();
        IllegalStateException refused = null;
        final long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (refused == null)
        {
            assertTrue(waiting.isAlive());
            assertTrue(System.nanoTime() - deadline < 0, "a second thread's await was never refused");
            try
            {
                assertEquals(0, waitSet.await(0), "nothing ready, before the first waiter is in");
            }
            catch (final IllegalStateException ex)
            {
                refused = ex;
            }
        }
        assertTrue(refused.getMessage().contains("'first-waiter' is waiting"), refused.getMessage());
        waitSet.close(); // wakes the one waiter, then releases the set's memory
        waiting.join();
        assertEquals(0, first.get(), "the first wait returns what it found: nothing");
        try (RegionInspector inspector = RegionInspector.of(region))
        {
            assertEquals(0, inspector.channels().get(0).waiters(), "every registration undone");
        }
    }

    @ParameterizedTest
    @EnumSource(MultiWait.Mechanism.class)
    @Timeout(60)
    void wakesForEachMemberAndNamesIt(final MultiWait.Mechanism mechanism) throws Exception
    {
        final Region region = region();
        final Publisher[] publishers = new Publisher[CHANNELS];
        final Subscriber[] subscribers = new Subscriber[CHANNELS];
        final WaitSet waitSet = track(waitSet(mechanism));
        final int[] keys = new int[CHANNELS];
        for (int i = 0; i < CHANNELS; i++)
        {
            subscribers[i] = region.subscriber("c" + i);
            publishers[i] = region.publisher("c" + i);
            keys[i] = waitSet.add(subscribers[i]);
        }
        assertEquals(0, waitSet.await(Duration.ofMillis(30)), "nothing to do: a timeout");
        for (final int channel : new int[] {7, 0, 15, 3, 11, 1, 2, 4, 5, 6, 8, 9, 10, 12, 13, 14})
        {
            final Thread sender = whenAsleep(Thread.currentThread(), () -> send(publishers[channel], channel));
            final long start = System.nanoTime();
            assertEquals(1, waitSet.await(Duration.ofSeconds(30)), "channel " + channel);
            assertTrue(System.nanoTime() - start < Duration.ofSeconds(10).toNanos(), "woken, not timed out");
            assertTrue(waitSet.isReady(keys[channel]), "ready " + waitSet.nextReady(-1) + " for " + channel);
            assertEquals(keys[channel], waitSet.nextReady(-1));
            assertEquals(-1, waitSet.nextReady(keys[channel]));
            final AtomicInteger received = new AtomicInteger(-1);
            // A limit above what waits: a broadcast subscriber that filled its limit is reported once more.
            assertEquals(1, subscribers[channel].poll((buffer, offset, length) -> received.set(buffer.getInt(offset)),
                10));
            assertEquals(channel, received.get());
            sender.join();
        }
        if (mechanism == MultiWait.Mechanism.FUTEX_WAITV)
        {
            assertEquals(FutexWaitv.isAvailable() ? WaitSet.Mechanism.FUTEX_WAITV : WaitSet.Mechanism.FUTEX_SLICES,
                waitSet.mechanism());
        }
    }

    @ParameterizedTest
    @EnumSource(MultiWait.Mechanism.class)
    @Timeout(60)
    void aWakeUpOrAClosingRegionEndsTheWaitFromAnotherThread(final MultiWait.Mechanism mechanism) throws Exception
    {
        final Region region = region();
        final Subscriber subscriber = region.subscriber("c0");
        final WaitSet waitSet = track(waitSet(mechanism));
        final int member = waitSet.add(subscriber);
        final int list = waitSet.addChannelList(region);

        final Thread waker = whenAsleep(Thread.currentThread(), waitSet::wakeUp);
        final long start = System.nanoTime();
        assertEquals(0, waitSet.await(Duration.ofSeconds(20)), "woken, nothing ready");
        assertTrue(System.nanoTime() - start < Duration.ofSeconds(10).toNanos());
        waker.join();

        waitSet.wakeUp();
        assertEquals(0, waitSet.await(Duration.ofSeconds(20)), "a wake-up while nobody waits ends the next wait");

        final int[] others = {waitSet.add(region.subscriber("c1")), waitSet.add(region.subscriber("c2"))};
        final Thread closer = whenAsleep(Thread.currentThread(), region::close);
        final long closing = System.nanoTime();
        assertEquals(4, waitSet.await(Duration.ofSeconds(20)),
            "the close ends the wait, every member of the region reported in it");
        assertTrue(System.nanoTime() - closing < Duration.ofSeconds(10).toNanos());
        assertTrue(waitSet.isReady(member) && waitSet.isReady(list) && waitSet.isReady(others[0]) &&
            waitSet.isReady(others[1]));
        closer.join();
        assertTrue(subscriber.isClosed());
        assertEquals(4, waitSet.await(Duration.ofSeconds(20)), "and again, without sleeping");
    }

    @ParameterizedTest
    @EnumSource(MultiWait.Mechanism.class)
    @Timeout(60)
    void theChannelListIsReadyOnceForEachChangeAnotherHandleMakes(final MultiWait.Mechanism mechanism)
        throws Exception
    {
        final Region region = region();
        final Region other = track(Region.attach(region.location(), Duration.ofSeconds(5)));
        final WaitSet waitSet = track(waitSet(mechanism));
        final int list = waitSet.addChannelList(region);
        assertEquals(0, waitSet.await(Duration.ofMillis(20)));
        final Thread adder = whenAsleep(Thread.currentThread(), () ->
            other.directory().openOrCreateChannel(new ChannelSpec("late", ChannelKind.ONE_TO_ONE, 4096, 0)));
        assertEquals(1, waitSet.await(Duration.ofSeconds(20)));
        assertTrue(waitSet.isReady(list));
        adder.join();
        assertTrue(region.directory().channelList().contains("late"));
        assertEquals(0, waitSet.await(Duration.ofMillis(20)), "reported once");
        waitSet.remove(list);
        other.directory().removeChannel("late");
        assertEquals(0, waitSet.await(Duration.ofMillis(20)), "a member removed is not reported");
    }

    @ParameterizedTest
    @EnumSource(MultiWait.Mechanism.class)
    @Timeout(60)
    void aTimeoutPastTheLongestIsForeverANegativeOneNone(final MultiWait.Mechanism mechanism) throws Exception
    {
        final WaitSet waitSet = track(waitSet(mechanism)); // on channel c0 of a region of 16
        final Region region = region();
        final Subscriber subscriber = region.subscriber("c0");
        final int member = waitSet.add(subscriber);
        final Publisher publisher = region.publisher("c0");
        for (final Runnable wait : new Runnable[] {
            () -> assertEquals(0, waitSet.await(Long.MAX_VALUE), "woken"),
            () -> assertEquals(0, waitSet.await(ChronoUnit.FOREVER.getDuration()), "woken"),
            () -> assertEquals(0, waitSet.await(Duration.ofSeconds(Long.MAX_VALUE)), "woken")})
        {
            final Thread waker = whenAsleep(Thread.currentThread(), waitSet::wakeUp);
            wait.run();
            waker.join();
        }
        final long start = System.nanoTime();
        assertEquals(0, waitSet.await(Long.MIN_VALUE));
        assertEquals(0, waitSet.await(Duration.ofNanos(Long.MIN_VALUE)));
        assertEquals(0, subscriber.poll((buffer, offset, length) -> fail("nothing sent"), 1,
            Duration.ofNanos(Long.MIN_VALUE)));
        assertTrue(System.nanoTime() - start < Duration.ofSeconds(10).toNanos(), "a negative timeout waits not at all");

        final Thread sender = whenAsleep(Thread.currentThread(), () -> send(publisher, 7));
        assertEquals(1, waitSet.await(ChronoUnit.FOREVER.getDuration()));
        assertTrue(waitSet.isReady(member));
        assertEquals(1, subscriber.poll((buffer, offset, length) -> assertEquals(7, buffer.getInt(offset)), 1,
            ChronoUnit.FOREVER.getDuration()));
        sender.join();
    }

    @ParameterizedTest
    @EnumSource(MultiWait.Mechanism.class)
    @Timeout(60)
    void aCloseFromAnotherThreadEndsTheWaitWhichLeavesItsMembersAsItFoundThem(final MultiWait.Mechanism mechanism)
        throws Exception
    {
        final Region region = region();
        final Subscriber subscriber = region.subscriber("c0");
        final WaitSet waitSet = waitSet(mechanism);
        waitSet.add(subscriber);
        waitSet.addChannelList(region);
        final Thread closer = whenAsleep(Thread.currentThread(), waitSet::close);
        assertEquals(0, waitSet.await(Duration.ofHours(1)), "ended by the close, nothing ready");
        closer.join();
        try (RegionInspector inspector = RegionInspector.of(region))
        {
            final ChannelStatus channel = inspector.channels().stream()
                .filter(status -> status.spec().name().equals("c0")).findFirst().orElseThrow();
            assertEquals(0, channel.waiters(), "the wait left its member's Waiter Count");
        }
        final IllegalStateException refused = assertThrows(IllegalStateException.class,
            () -> waitSet.await(Duration.ofSeconds(1)));
        assertEquals("the wait set is closed", refused.getMessage());
        waitSet.close();

        final Publisher publisher = region.publisher("c0");
        final Thread sender = whenAsleep(Thread.currentThread(), () -> send(publisher, 9));
        assertEquals(1, subscriber.poll((buffer, offset, length) -> assertEquals(9, buffer.getInt(offset)), 1,
            Duration.ofHours(1)), "the member sleeps and wakes alone after");
        sender.join();
    }

    /**
     * A log publisher that wraps releases its padding record before it stores the tail, so an untethered subscriber
     * that read the padding is ahead of the tail while the publisher holds the claim after it (as one stopped or dead
     * there does): nothing to poll, and not ready. It used to be reported ready on every wait, which then spun.
     */
    @Test
    void anUntetheredLogSubscriberPastAPaddingRecordIsNotReadyUntilTheClaimAfterItIsCommitted()
    {
        final Region region = track(Region.create(RegionConfig.builder(RegionLocation.file(directory.resolve("log")))
            .channel("log", ChannelKind.PUBLISH_SUBSCRIBE, 4096).build()));
        final Publisher publisher = track(region.publisher("log"));
        final Subscriber subscriber = track(region.subscriber("log", SubscriberOptions.defaults().untethered()));
        final AtomicInteger delivered = new AtomicInteger();
        final UnsafeBuffer message = new UnsafeBuffer(new byte[64]);
        final int recordLength = BitUtil.align(message.capacity() + LogBufferDescriptor.HEADER_LENGTH,
            LogBufferDescriptor.ALIGNMENT);
        final int sent = 4096 / recordLength - 1; // then less than a claim of 256 bytes is left before the end
        for (int i = 0; i < sent; i++)
        {
            assertEquals(Publisher.OK, publisher.offer(message, 0, message.capacity()));
            assertEquals(1, subscriber.poll((buffer, offset, length) -> delivered.incrementAndGet(), 1));
        }
        final Claim claim = new Claim();
        assertEquals(Publisher.OK, publisher.tryClaim(256, claim), "a claim that wraps: padding to the end first");
        subscriber.poll((buffer, offset, length) -> delivered.incrementAndGet(), 1); // reads the padding
        final WaitSet waitSet = track(new WaitSet());
        final int key = waitSet.add(subscriber);
        assertEquals(0, waitSet.await(Duration.ofMillis(50)), "nothing to poll while the claim is held");
        assertFalse(waitSet.isReady(key));
        claim.commit();
        assertEquals(1, waitSet.await(Duration.ofSeconds(5)));
        assertEquals(1, subscriber.poll((buffer, offset, length) -> delivered.incrementAndGet(), 1));
        assertEquals(sent + 1, delivered.get());
    }

    /**
     * A wait that is looking at its members, not asleep, while another thread closes their region reports all of
     * them, never some: one mark makes every endpoint and the channel list of the handle closing at once, and a wait
     * that finds one closing looks at the others again. It used to report the ones marked so far, and the rest in the
     * next wait.
     */
    @Test
    @Timeout(60)
    void aRegionClosedByAnotherThreadIsReportedWholeEvenToAWaitThatWasLooking() throws Exception
    {
        for (int round = 0; round < 200; round++)
        {
            final Region region = Region.create(RegionConfig.builder(RegionLocation.file(directory.resolve("r" +
                round))).maxChannels(8).dataAreaLength(1 << 20).build());
            try (WaitSet waitSet = new WaitSet())
            {
                for (int i = 0; i < 8; i++)
                {
                    region.directory().openOrCreateChannel(new ChannelSpec("c" + i, ChannelKind.ONE_TO_ONE, 4096, 0));
                    waitSet.add(region.subscriber("c" + i));
                }
                waitSet.addChannelList(region);
                final CountDownLatch looking = new CountDownLatch(1);
                final Thread closer = new Thread(() ->
                {
                    try
                    {
                        looking.await();
                    }
                    catch (final InterruptedException ex)
                    {
                        Thread.currentThread().interrupt();
                    }
                    region.close();
                });
                closer.start();
                looking.countDown();
                int ready;
                while ((ready = waitSet.await(0)) == 0)
                {
                    Thread.onSpinWait(); // the race itself: looks without sleeping while the close runs
                }
                closer.join();
                assertEquals(9, ready, "round " + round);
            }
            finally
            {
                region.close();
            }
        }
    }

    @Test
    void aClosedWaitSetTakesNoMember()
    {
        final Region region = region();
        final WaitSet waitSet = new WaitSet();
        waitSet.close();
        final IllegalStateException refused = assertThrows(IllegalStateException.class,
            () -> waitSet.add(region.subscriber("c0")));
        assertEquals("the wait set is closed", refused.getMessage());
        assertThrows(IllegalStateException.class, () -> waitSet.addChannelList(region));
    }

    @Test
    void aKeyBelowMinusOneIsRefusedNamingIt()
    {
        try (WaitSet waitSet = new WaitSet())
        {
            assertEquals(-1, waitSet.nextReady(-1));
            assertEquals(-1, waitSet.nextReady(WaitSet.MAX_MEMBERS + 5), "past the last: none");
            assertEquals(-1, waitSet.nextReady(Integer.MAX_VALUE), "the largest key: none, no overflow");
            final IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                () -> waitSet.nextReady(-5));
            assertEquals("a key, or -1 to start, not -5", refused.getMessage());
            assertFalse(waitSet.isReady(-5));
        }
    }

    /**
     * A thread that acts once the waiter is asleep in the kernel (a wait set sleeps in {@code futex_waitv}, or in
     * {@code futex} slices or parks).
     */
    private static Thread whenAsleep(final Thread waiter, final Runnable action)
    {
        final Thread actor = new Thread(() ->
        {
            KernelWaits.awaitBlockedIn(waiter, KernelWaits.FUTEX_WAITV, KernelWaits.FUTEX);
            action.run();
        });
        actor.start();
        return actor;
    }
}
