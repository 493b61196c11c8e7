package io.shmipc;

import io.shmipc.testing.KernelWaits;
import io.shmipc.exceptions.ChannelInUseException;
import io.shmipc.exceptions.ChannelMismatchException;
import io.shmipc.exceptions.InvalidConfigurationException;
import io.shmipc.exceptions.NoSuchChannelException;
import io.shmipc.exceptions.RegionClosedException;
import io.shmipc.exceptions.RegionFullException;
import io.shmipc.layout.DirectoryDescriptor;
import io.shmipc.layout.RegionHeaderDescriptor;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Channels added to and removed from a live region through the API, with two handles of one region standing for
 * two processes (each has its own open file descriptions, so their locks meet as two processes' do).
 */
class RuntimeChannelsTest
{
    private static final ChannelSpec PINGS = new ChannelSpec("pings", ChannelKind.ONE_TO_ONE, 4096, 0);

    @TempDir
    Path directory;

    private final List<Region> regions = new ArrayList<>();

    @AfterEach
    void closeRegions()
    {
        regions.forEach(Region::close);
    }

    private RegionConfig.Builder config()
    {
        return RegionConfig.builder(RegionLocation.file(directory.resolve("runtime"))).maxChannels(8)
            .dataAreaLength(1 << 20);
    }

    private Region track(final Region region)
    {
        regions.add(region);
        return region;
    }

    private static void send(final Publisher publisher, final long value)
    {
        final UnsafeBuffer message = new UnsafeBuffer(new byte[Long.BYTES]);
        message.putLong(0, value);
        assertEquals(Publisher.OK, publisher.offer(message, 0, Long.BYTES));
    }

    private static long receive(final Subscriber subscriber)
    {
        final long[] value = new long[1];
        assertEquals(1, subscriber.poll((buffer, offset, length) -> value[0] = buffer.getLong(offset), 1,
            Duration.ofSeconds(5)));
        return value[0];
    }

    /**
     * A channel whose removal holds its in-use lock (a remover stopped while it decides) cannot be opened; the open
     * says the channel is being removed, not that the region has no such channel while listing it.
     */
    @Test
    void anOpenWhileARemovalHoldsTheChannelSaysItIsBeingRemoved() throws Exception
    {
        final Region region = track(Region.create(config().build()));
        region.directory().openOrCreateChannel(PINGS);
        try (FileChannel file = FileChannel.open(directory.resolve("runtime"), StandardOpenOption.READ,
            StandardOpenOption.WRITE);
            FileLock removal = file.lock(DirectoryDescriptor.inUseLockOffset(0), 1, false))
        {
            assertTrue(removal.isValid());
            final NoSuchChannelException refused = assertThrows(NoSuchChannelException.class,
                () -> region.publisher("pings"));
            assertTrue(refused.getMessage().startsWith("channel is being removed: region=" + region.location() +
                " channel=pings "), refused.getMessage());
        }
        region.publisher("pings").close();
    }

    @Test
    void aRegionCreatedEmptyTakesChannelsAtRuntime()
    {
        final Region creator = track(Region.create(config().build()));
        final Region other = track(Region.attach(creator.location(), Duration.ofSeconds(5)));
        assertEquals(List.of(), creator.channels());
        assertEquals(8, other.directory().maxChannels());
        assertEquals(1 << 20, other.directory().dataAreaLength());

        final ChannelSpec added = other.directory().openOrCreateChannel(PINGS);
        assertEquals(new ChannelSpec("pings", ChannelKind.ONE_TO_ONE, 4096, 512), added);
        try (Publisher publisher = creator.publisher("pings"); Subscriber subscriber = other.subscriber(PINGS))
        {
            send(publisher, 42);
            assertEquals(42, receive(subscriber));
        }
        assertEquals(List.of(added), creator.channels());
        assertEquals(1, creator.directory().channelList().changeCount());
    }

    /**
     * A removal of a channel in use tries again for a while before it says so; between tries it holds nothing, not
     * even the handle, so the process's other threads open and close endpoints meanwhile.
     */
    @Test
    void aRemovalWaitingForAChannelInUseHoldsNotTheHandleBetweenItsTries() throws Exception
    {
        final Region region = track(Region.create(config().channel(PINGS).build()));
        final Subscriber subscriber = region.subscriber("pings");
        final AtomicReference<Throwable> outcome = new AtomicReference<>();
        final Thread removing = new Thread(() ->
        {
            try
            {
                region.directory().removeChannel("pings");
            }
            catch (final Throwable ex)
            {
                outcome.set(ex);
            }
        });
        int pausesTakenPast = 0;
        removing.start();
        while (removing.isAlive())
        {
            if (removing.getState() == Thread.State.TIMED_WAITING)
            {
                synchronized (region) // what every operation of the handle holds
                {
                    if (removing.getState() == Thread.State.TIMED_WAITING)
                    {
                        pausesTakenPast++; // the handle taken while the removal pauses between two tries
                    }
                }
            }
        }
        assertInstanceOf(ChannelInUseException.class, outcome.get());
        assertTrue(pausesTakenPast > 0, "the removal held the handle through every pause between its tries");
        subscriber.close();
        assertTrue(region.directory().removeChannel("pings"));
    }

    @Test
    void aChannelIsRemovedOnlyOnceNoEndpointUsesItAndItsNameCanBeUsedAgain()
    {
        final Region creator = track(Region.create(config().channel(PINGS).build()));
        final Region other = track(Region.attach(creator.location(), Duration.ofSeconds(5)));
        final Subscriber subscriber = other.subscriber("pings");
        assertThrows(ChannelInUseException.class, () -> creator.directory().removeChannel("pings"));
        subscriber.close();
        assertTrue(creator.directory().removeChannel("pings"));
        assertFalse(creator.directory().removeChannel("pings"));
        final NoSuchChannelException gone = assertThrows(NoSuchChannelException.class,
            () -> other.publisher("pings"));
        assertTrue(gone.getMessage().contains("channel=pings channels=[]"), gone.getMessage());

        // The other handle knew the old channel; the name now stands for another, larger one.
        final ChannelSpec bigger = new ChannelSpec("pings", ChannelKind.MANY_TO_ONE, 1 << 16, 0);
        creator.directory().createChannel(bigger);
        try (Publisher publisher = other.publisher("pings"))
        {
            assertEquals(ChannelKind.MANY_TO_ONE, publisher.kind());
            assertEquals((1 << 16) / 8, publisher.maxMessageLength());
        }
    }

    @Test
    void openOrCreateAddsTheChannelsAnExistingRegionLacksAndRefusesADifferentSpec() throws Exception
    {
        track(Region.create(config().channel(PINGS).build()));
        final ChannelSpec pongs = new ChannelSpec("pongs", ChannelKind.ONE_TO_ONE, 4096, 0);
        final Region second = track(Region.openOrCreate(config().channel(PINGS).channel(pongs).build()));
        assertFalse(second.wasCreated());
        assertEquals(List.of("pings", "pongs"), second.channels().stream().map(ChannelSpec::name).toList());

        final ChannelMismatchException mismatch = assertThrows(ChannelMismatchException.class,
            () -> Region.openOrCreate(config().deleteOnClose(true)
            .channel(new ChannelSpec("pongs", ChannelKind.BROADCAST, 4096, 0)).build()));
        assertEquals(List.of("kind=ONE_TO_ONE expected BROADCAST"), mismatch.differences());
        assertTrue(Files.exists(directory.resolve("runtime")), "a mismatch never removes another's region");
    }

    @Test
    void aFullRegionNamesItsLimit()
    {
        final Region region = track(Region.create(RegionConfig.builder(RegionLocation.file(directory.resolve("f")))
            .maxChannels(1).dataAreaLength(RegionDirectory.channelAreaLength(ChannelKind.ONE_TO_ONE, 4096)).build()));
        region.directory().openOrCreateChannel(PINGS);
        final RegionFullException full = assertThrows(RegionFullException.class,
            () -> region.directory().openOrCreateChannel(new ChannelSpec("more", ChannelKind.ONE_TO_ONE, 4096, 0)));
        assertEquals(RegionFullException.Limit.CHANNELS, full.limit());
        region.directory().removeChannel("pings");
        region.directory().openOrCreateChannel(new ChannelSpec("more", ChannelKind.ONE_TO_ONE, 4096, 0));
    }

    @Test
    void aChannelAreaOfAnInvalidCapacityIsRefusedNamingIt()
    {
        for (final int capacity : new int[] {3, 0, -4096, 512, 4095, Integer.MAX_VALUE})
        {
            final InvalidConfigurationException refused = assertThrows(InvalidConfigurationException.class,
                () -> RegionDirectory.channelAreaLength(ChannelKind.ONE_TO_ONE, capacity));
            assertTrue(refused.getMessage().contains("capacity=" + capacity), refused.getMessage());
        }
        assertEquals("kind", assertThrows(NullPointerException.class,
            () -> RegionDirectory.channelAreaLength(null, 4096)).getMessage());
    }

    @Test
    void trafficOnOneChannelGoesOnWhileOthersComeAndGo()
    {
        final Region creator = track(Region.create(config().channel(PINGS).build()));
        final Region other = track(Region.attach(creator.location(), Duration.ofSeconds(5)));
        try (Publisher publisher = creator.publisher("pings"); Subscriber subscriber = other.subscriber("pings"))
        {
            for (int round = 0; round < 200; round++)
            {
                final ChannelSpec extra = new ChannelSpec("extra-" + (round % 3), ChannelKind.BROADCAST, 8192, 0);
                (round % 2 == 0 ? creator : other).directory().openOrCreateChannel(extra);
                send(publisher, round);
                assertEquals(round, receive(subscriber));
                assertTrue((round % 2 == 0 ? other : creator).directory().removeChannel(extra.name()));
            }
        }
        assertEquals(400, creator.directory().channelList().changeCount(),
            "channels made with the region are no change");
    }

    @Test
    @Timeout(30)
    void aWaiterLearnsOfEachChangeFromAnotherHandle() throws Exception
    {
        final Region creator = track(Region.create(config().build()));
        final Region other = track(Region.attach(creator.location(), Duration.ofSeconds(5)));
        final ChannelList before = other.directory().channelList();
        final AtomicReference<ChannelList> seen = new AtomicReference<>();
        final Thread waiter = new Thread(() -> seen.set(other.directory().awaitChannelChange(before.changeCount(),
            Duration.ofSeconds(20))));
        waiter.start();
        creator.directory().openOrCreateChannel(PINGS);
        waiter.join();
        assertTrue(seen.get().contains("pings"));
        assertNotEquals(before.changeCount(), seen.get().changeCount());
        final ChannelList quiet = other.directory().awaitChannelChange(seen.get().changeCount(), Duration.ofMillis(20));
        assertEquals(seen.get(), quiet, "the same list when nothing changed");
    }
    @Test
    @Timeout(30)
    void aCloseFromAnotherThreadEndsAWaitForAChangeWithTheTypedError() throws Exception
    {
        final Region creator = track(Region.create(config().channel(PINGS).build()));
        final ChannelList before = creator.directory().channelList();
        final AtomicReference<Throwable> thrown = new AtomicReference<>();
        final AtomicReference<ChannelList> returned = new AtomicReference<>();
        final CountDownLatch waiting = new CountDownLatch(1);
        final Thread waiter = new Thread(() ->
        {
            try
            {
                waiting.countDown();
                returned.set(creator.directory().awaitChannelChange(before.changeCount(), Duration.ofSeconds(20)));
            }
            catch (final Throwable ex)
            {
                thrown.set(ex);
            }
        }, "change-waiter");
        waiter.start();
        waiting.await();
        KernelWaits.awaitBlockedIn(waiter, KernelWaits.FUTEX); // asleep on the change count
        final long start = System.nanoTime();
        creator.close();
        waiter.join();
        assertTrue(System.nanoTime() - start < Duration.ofSeconds(10).toNanos(), "woken by the close, not timed out");
        assertNull(returned.get(), "no list read from a closed handle");
        assertInstanceOf(RegionClosedException.class, thrown.get(), String.valueOf(thrown.get()));
    }

    /**
     * An addition waiting for the directory lock, which another process holds (here a POSIX lock of this JVM on the
     * lock's byte, which an OFD lock of the handle meets as another process's), holds the handle's monitor; a close
     * from another thread makes it give up at once with the typed error instead of waiting out the lock's 10 s
     * timeout, and the close goes on.
     */
    @Test
    @Timeout(30)
    void aCloseFromAnotherThreadEndsAnAdditionWaitingForTheDirectoryLock() throws Exception
    {
        final Region creator = track(Region.create(config().build()));
        final AtomicReference<Throwable> thrown = new AtomicReference<>();
        try (FileChannel file = FileChannel.open(directory.resolve("runtime"), StandardOpenOption.READ,
            StandardOpenOption.WRITE);
            FileLock held = file.lock(RegionHeaderDescriptor.DIRECTORY_LOCK_OFFSET, 1, false))
        {
            assertTrue(held.isValid());
            final Thread adder = new Thread(() ->
            {
                try
                {
                    creator.directory().createChannel(PINGS);
                }
                catch (final Throwable ex)
                {
                    thrown.set(ex);
                }
            }, "channel-adder");
            adder.start();
            KernelWaits.awaitBlockedIn(adder, KernelWaits.FUTEX); // parked between two tries at the lock
            final long start = System.nanoTime();
            creator.close();
            adder.join();
            assertTrue(System.nanoTime() - start < Duration.ofSeconds(5).toNanos(),
                "the close ended the wait, which would have lasted until the lock's 10 s timeout");
        }
        final RegionClosedException closed = assertInstanceOf(RegionClosedException.class, thrown.get(),
            String.valueOf(thrown.get()));
        assertTrue(closed.getMessage().startsWith("region handle closed while waiting for the directory lock"),
            closed.getMessage());
        try (Region later = Region.attach(creator.location(), Duration.ofSeconds(5)))
        {
            assertNull(later.directory().channelList().find(PINGS.name()), "nothing was added");
        }
    }
}
