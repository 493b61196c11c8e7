package io.shmipc.directory;

import io.shmipc.ChannelKind;
import io.shmipc.ChannelSpec;
import io.shmipc.RegionConfig;
import io.shmipc.RegionLocation;
import io.shmipc.exceptions.ChannelExistsException;
import io.shmipc.exceptions.ChannelInUseException;
import io.shmipc.exceptions.ChannelMismatchException;
import io.shmipc.exceptions.CorruptRegionException;
import io.shmipc.exceptions.RegionFullException;
import io.shmipc.exceptions.RegionTimeoutException;
import io.shmipc.layout.ChannelLayout;
import io.shmipc.layout.CountersDescriptor;
import io.shmipc.layout.DirectoryReader;
import io.shmipc.layout.RegionLayout;
import io.shmipc.liveness.RegionLocks;
import io.shmipc.posix.Posix;
import io.shmipc.region.MappedRegion;
import io.shmipc.region.RegionCreation;
import io.shmipc.region.RegionOpening;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.status.CountersReader;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

import static io.shmipc.layout.DirectoryDescriptor.*;
import static io.shmipc.layout.RegionHeaderDescriptor.DIRECTORY_LOCK_OFFSET;
import static org.junit.jupiter.api.Assertions.*;

/**
 * The runtime directory protocol on a real region file: one handle creates it, another attaches, each with its own
 * open file descriptions, so their OFD locks meet exactly as two processes' would. Channel areas are 16384 bytes for
 * a ONE_TO_ONE channel of capacity 1024, 24576 for capacity 8192.
 */
class ChannelDirectoryTest
{
    private static final long TIMEOUT_NS = Duration.ofSeconds(5).toNanos();
    private static final long SMALL = 16384;
    private static final ChannelSpec ORDERS = new ChannelSpec("orders", ChannelKind.ONE_TO_ONE, 1024, 0);

    @TempDir
    Path directory;

    private final List<MappedRegion> handles = new ArrayList<>();
    private MappedRegion creator;
    private MappedRegion other;

    @BeforeEach
    void createRegion()
    {
        final RegionConfig config = RegionConfig.builder(RegionLocation.file(directory.resolve("region")))
            .maxChannels(3).dataAreaLength(3 * SMALL).build();
        creator = track(RegionCreation.create(config));
        other = track(RegionOpening.attach(config.location(), Duration.ofSeconds(5)));
    }

    @AfterEach
    void closeHandles()
    {
        handles.forEach(handle -> handle.close(false));
    }

    private MappedRegion track(final MappedRegion handle)
    {
        handles.add(handle);
        return handle;
    }

    private static ChannelSpec spec(final String name, final int capacity)
    {
        return new ChannelSpec(name, ChannelKind.ONE_TO_ONE, capacity, 0);
    }

    private UnsafeBuffer metadata()
    {
        return creator.buffer(0, creator.layout().metadataLength());
    }

    @Test
    void aChannelAddedByOneHandleIsFoundByTheOtherAndCounted()
    {
        final DirectoryView view = other.directory().view();
        assertEquals(List.of(), view.channels(), "a region may be created with no channel");
        assertEquals(0, view.changeCount());

        final ChannelLayout added = creator.directory().openOrAdd(ORDERS, false, TIMEOUT_NS);
        assertEquals(0, added.index());
        assertEquals(creator.layout().dataAreaOffset(), added.channelOffset(), "first fit: the data area's start");
        assertEquals(ENTRY_READY, state(added.entryStatus()));
        assertEquals(2, generation(added.entryStatus()), "FREE 0, INITIALISING 1, READY 2");
        assertEquals(128, added.maxMessageLength(), "the limit in force");

        assertEquals(1, view.changeCount());
        assertEquals(added, view.find("orders"));
        assertEquals(List.of(added), view.channels());
        assertTrue(view.isCurrent(added));
    }

    @Test
    void theSameSpecOpensTheChannelAndAnotherFailsNamingEachDifference()
    {
        final ChannelLayout added = creator.directory().openOrAdd(ORDERS, false, TIMEOUT_NS);
        assertEquals(added, other.directory().openOrAdd(ORDERS, false, TIMEOUT_NS));
        assertEquals(added, other.directory().openOrAdd(new ChannelSpec("orders", ChannelKind.ONE_TO_ONE, 1024, 128),
            false, TIMEOUT_NS), "the limit in force, given explicitly, is the same spec");
        assertEquals(1, other.directory().view().changeCount(), "opening changes nothing");

        final ChannelMismatchException mismatch = assertThrows(ChannelMismatchException.class,
            () -> other.directory().openOrAdd(new ChannelSpec("orders", ChannelKind.MANY_TO_ONE, 2048, 64), false,
            TIMEOUT_NS));
        assertEquals(List.of("kind=ONE_TO_ONE expected MANY_TO_ONE", "capacity=1024 expected 2048",
            "maxMessageLength=128 expected 64"), mismatch.differences());
        assertTrue(mismatch.getMessage().contains("channel exists with another spec: region=" +
            creator.name() + " channel=orders kind=ONE_TO_ONE expected MANY_TO_ONE"), mismatch.getMessage());

        final ChannelExistsException exists = assertThrows(ChannelExistsException.class,
            () -> other.directory().openOrAdd(ORDERS, true, TIMEOUT_NS));
        assertTrue(exists.getMessage().contains("channel exists: region=" + creator.name() + " channel=orders"),
            exists.getMessage());
    }

    @Test
    void aFullDirectoryAndAFullDataAreaAreNamedWithTheirValues()
    {
        final ChannelDirectory channels = creator.directory();
        channels.openOrAdd(spec("a", 1024), false, TIMEOUT_NS);
        channels.openOrAdd(spec("b", 1024), false, TIMEOUT_NS);
        final RegionFullException noSpace = assertThrows(RegionFullException.class,
            () -> channels.openOrAdd(spec("big", 8192), false, TIMEOUT_NS));
        assertEquals(RegionFullException.Limit.DATA_AREA, noSpace.limit());
        assertEquals(3 * SMALL, noSpace.limitValue());
        assertEquals(24576, noSpace.requested());
        assertEquals(SMALL, noSpace.available());
        assertTrue(noSpace.getMessage().contains("channel=big needs=24576 bytes freeBytes=16384 largestFreeExtent=" +
            "16384 dataAreaLength=49152; remove unused channels, or create the region with a larger dataAreaLength"),
            noSpace.getMessage());

        channels.openOrAdd(spec("c", 1024), false, TIMEOUT_NS);
        final RegionFullException noEntry = assertThrows(RegionFullException.class,
            () -> channels.openOrAdd(spec("d", 1024), false, TIMEOUT_NS));
        assertEquals(RegionFullException.Limit.CHANNELS, noEntry.limit());
        assertEquals(3, noEntry.limitValue());
        assertTrue(noEntry.getMessage().contains("maxChannels=3 all hold channels; remove unused channels, or " +
            "create the region with a larger maxChannels"), noEntry.getMessage());
        assertEquals(3, channels.view().changeCount(), "refused additions change nothing");
    }

    @Test
    void removedSpaceIsZeroedAndItsEntryAndCountersUsedAgain()
    {
        final ChannelDirectory channels = creator.directory();
        final ChannelLayout first = channels.openOrAdd(spec("first-of-a-longer-name", 1024), false, TIMEOUT_NS);
        final ChannelLayout second = channels.openOrAdd(spec("second", 1024), false, TIMEOUT_NS);
        final UnsafeBuffer area = creator.buffer(first.channelOffset(), (int)first.channelLength());
        area.setMemory(0, area.capacity(), (byte)0x5A);
        final UnsafeBuffer values = creator.counterValues();
        values.putLong(CountersReader.counterOffset(CountersDescriptor.counterId(first.index(), 0)), 42);

        assertTrue(other.directory().remove("first-of-a-longer-name", TIMEOUT_NS));
        assertFalse(other.directory().remove("first-of-a-longer-name", TIMEOUT_NS), "nothing left to remove");
        assertEquals(List.of(second), channels.view().channels());
        assertEquals(ENTRY_FREE, state(DirectoryReader.status(metadata(), first.index())));

        final ChannelLayout third = channels.openOrAdd(spec("third", 1024), false, TIMEOUT_NS);
        assertEquals(first.index(), third.index(), "the lowest free entry");
        assertEquals(first.channelOffset(), third.channelOffset(), "the first fit: the space given back");
        assertEquals(5, generation(third.entryStatus()), "READY 2, FREE 3, INITIALISING 4, READY 5");
        for (int i = "third".length(); i < MAX_NAME_LENGTH; i++)
        {
            assertEquals(0, metadata().getByte(entryOffset(third.index()) + NAME_OFFSET + i),
                "the name zero padded after its length, at " + i);
        }
        for (int i = 0; i < area.capacity(); i += Long.BYTES)
        {
            assertEquals(0, area.getLong(i), "zeroed before use, at " + i);
        }
        assertEquals(0, values.getLong(CountersReader.counterOffset(CountersDescriptor.counterId(third.index(), 0))));
        assertEquals(4, channels.view().changeCount());
    }

    @Test
    void aReadThatChangesOvertookEveryTimeIsReadOnceMoreUnderTheLock()
    {
        // A slow reader among fast writers: every lock-free read is overtaken by a change. Under the Directory Lock,
        // which every change takes, none can be. The reader holds it shared: another reader is not held up.
        final List<Boolean> lockedAtRead = new ArrayList<>();
        final List<Boolean> anotherReaderAtRead = new ArrayList<>();
        final String read = creator.directory().readSettled(() ->
        {
            final boolean locked = other.locks().isHeld(DIRECTORY_LOCK_OFFSET);
            lockedAtRead.add(locked);
            if (!locked)
            {
                throw DirectoryReader.unsettled("test", "directory");
            }
            anotherReaderAtRead.add(other.locks().acquireShared(DIRECTORY_LOCK_OFFSET));
            other.locks().releaseShared(DIRECTORY_LOCK_OFFSET);
            return "settled";
        });
        assertEquals("settled", read);
        assertEquals(List.of(false, true), lockedAtRead, "lock-free first, then under the lock");
        assertEquals(List.of(true), anotherReaderAtRead, "held shared");
        assertTrue(other.locks().tryHold(DIRECTORY_LOCK_OFFSET), "and the lock was released");
        other.locks().release(DIRECTORY_LOCK_OFFSET);

        assertThrows(CorruptRegionException.class, () -> creator.directory().readSettled(() ->
        {
            throw new CorruptRegionException("test", "directory[0].name", "a name", "");
        }), "damage is not read again");
    }

    @Test
    void aReadOnlyDescriptorTakesTheLockForItsLastTry()
    {
        // The inspection tools open the file read-only: a write lock cannot be taken through such a descriptor, a
        // read lock can, and it holds every change off as well.
        final int readOnly = other.reopenReadOnly();
        try
        {
            final RegionLocks locks = new RegionLocks("inspector", readOnly, readOnly);
            final List<Boolean> changeRefused = new ArrayList<>();
            final String read = ChannelDirectory.readSettled(locks, "inspector", () ->
            {
                if (changeRefused.isEmpty() && !other.locks().isHeld(DIRECTORY_LOCK_OFFSET))
                {
                    changeRefused.add(false);
                    throw DirectoryReader.unsettled("inspector", "directory");
                }
                changeRefused.add(!creator.locks().tryHold(DIRECTORY_LOCK_OFFSET));
                return "settled";
            });
            assertEquals("settled", read);
            assertEquals(List.of(false, true), changeRefused, "lock-free first, then holding changes off");
            assertTrue(creator.locks().tryHold(DIRECTORY_LOCK_OFFSET), "and the lock was released");
            creator.locks().release(DIRECTORY_LOCK_OFFSET);
        }
        finally
        {
            Posix.close(readOnly, "inspector");
        }
    }

    @Test
    void aRemovalWaitsOutAnOpenThatOnlyPassesThroughTheInUseLock() throws InterruptedException
    {
        // An open that read an entry before it changed takes the entry's in-use lock, finds the entry changed and
        // drops it: a removal meanwhile of the channel now in that entry must not call it in use.
        final ChannelLayout orders = creator.directory().openOrAdd(ORDERS, false, TIMEOUT_NS);
        assertTrue(other.locks().acquireShared(orders.inUseLockOffset()));
        final AtomicReference<Object> outcome = new AtomicReference<>();
        final Thread removing = new Thread(() ->
        {
            try
            {
                outcome.set(creator.directory().remove("orders", TIMEOUT_NS));
            }
            catch (final RuntimeException ex)
            {
                outcome.set(ex);
            }
        });
        removing.start();
        while (removing.getState() != Thread.State.TIMED_WAITING && removing.isAlive())
        {
            Thread.onSpinWait(); // until the removal waits for the lock, or has given up
        }
        boolean directoryFree = false;
        for (int look = 0; look < 100 && !directoryFree && removing.isAlive(); look++)
        {
            directoryFree = other.locks().tryHold(DIRECTORY_LOCK_OFFSET); // other changes go on meanwhile
        }
        if (directoryFree)
        {
            other.locks().release(DIRECTORY_LOCK_OFFSET);
        }
        other.locks().releaseShared(orders.inUseLockOffset());
        removing.join();
        assertEquals(Boolean.TRUE, outcome.get());
        assertTrue(directoryFree, "the removal waits without the directory lock");
        assertNull(creator.directory().view().find("orders"));
    }

    @Test
    void aChannelAnEndpointHoldsIsNotRemovedInAnyProcess()
    {
        final ChannelLayout orders = creator.directory().openOrAdd(ORDERS, false, TIMEOUT_NS);
        assertTrue(other.directory().holdInUse(orders));
        final ChannelInUseException inUse = assertThrows(ChannelInUseException.class,
            () -> creator.directory().remove("orders", TIMEOUT_NS));
        assertTrue(inUse.getMessage().contains("channel in use: region=" + creator.name() + " channel=orders"),
            inUse.getMessage());
        assertThrows(ChannelInUseException.class, () -> other.directory().remove("orders", TIMEOUT_NS),
            "nor by the process holding it");

        assertTrue(other.directory().holdInUse(orders), "a second endpoint of the same process shares the lock");
        other.directory().releaseInUse(orders);
        assertThrows(ChannelInUseException.class, () -> creator.directory().remove("orders", TIMEOUT_NS),
            "held until the last endpoint of the process lets go");
        other.directory().releaseInUse(orders);
        assertTrue(creator.directory().remove("orders", TIMEOUT_NS));
    }

    @Test
    void aChannelRemovedOrReplacedSinceItWasReadCannotBeHeld()
    {
        final ChannelLayout old = creator.directory().openOrAdd(ORDERS, false, TIMEOUT_NS);
        assertTrue(creator.directory().remove("orders", TIMEOUT_NS));
        assertFalse(other.directory().holdInUse(old), "removed");
        final ChannelLayout again = creator.directory().openOrAdd(ORDERS, false, TIMEOUT_NS);
        assertEquals(old.index(), again.index());
        assertEquals(old.channelOffset(), again.channelOffset());
        assertFalse(other.directory().holdInUse(old), "the same name and place, but another channel");
        assertFalse(other.directory().view().isCurrent(old));
        assertTrue(other.directory().holdInUse(again));
        other.directory().releaseInUse(again);
    }

    @Test
    void anEntryDamagedSinceItWasReadIsReportedWhenItIsHeldAndNothingIsHeld()
    {
        final ChannelLayout orders = creator.directory().openOrAdd(ORDERS, false, TIMEOUT_NS);
        final int at = entryOffset(orders.index()) + MAX_MESSAGE_LENGTH_OFFSET;
        metadata().putInt(at, -8);
        final CorruptRegionException invalid = assertThrows(CorruptRegionException.class,
            () -> other.directory().holdInUse(orders), "invalid now, under the same status");
        assertTrue(invalid.field().startsWith("directory[0]"), invalid.field());

        metadata().putInt(at, 64);
        final CorruptRegionException changed = assertThrows(CorruptRegionException.class,
            () -> other.directory().holdInUse(orders), "valid, but not what was read, under the same status");
        assertEquals("directory[0]", changed.field());

        metadata().putInt(at, orders.maxMessageLength());
        assertTrue(creator.directory().remove("orders", TIMEOUT_NS), "no in-use lock was left held");
    }

    @Test
    void anAdditionWhoseAdderDiedHoldingTheLockIsTakenBack()
    {
        // What an adder killed between INITIALISING and READY leaves: its entry's fields, dirty space, no lock.
        final ChannelLayout abandoned = ChannelLayout.place(0, RegionLayout.resolve("test", spec("dead", 1024)),
            creator.layout().dataAreaOffset());
        RegionLayout.writeEntry(metadata(), abandoned);
        metadata().putLongRelease(entryOffset(0) + ENTRY_STATUS_OFFSET, next(0, ENTRY_INITIALISING));
        creator.buffer(abandoned.channelOffset(), (int)SMALL).setMemory(0, (int)SMALL, (byte)7);
        assertEquals(List.of(), other.directory().view().channels(), "not a channel");

        final ChannelLayout orders = other.directory().openOrAdd(ORDERS, false, TIMEOUT_NS);
        assertEquals(0, orders.index(), "the entry is free again");
        assertEquals(abandoned.channelOffset(), orders.channelOffset(), "and so is its space");
        assertEquals(4, generation(orders.entryStatus()), "INITIALISING 1, FREE 2, INITIALISING 3, READY 4");
        final UnsafeBuffer area = creator.buffer(orders.channelOffset(), (int)SMALL);
        for (int i = 0; i < area.capacity(); i += Long.BYTES)
        {
            assertEquals(0, area.getLong(i), "zeroed, at " + i);
        }
    }

    @Test
    void aChangeWaitsForTheDirectoryLockThenTimesOut()
    {
        assertTrue(other.locks().tryHold(DIRECTORY_LOCK_OFFSET));
        final long start = System.nanoTime();
        final RegionTimeoutException timeout = assertThrows(RegionTimeoutException.class,
            () -> creator.directory().openOrAdd(ORDERS, false, Duration.ofMillis(50).toNanos()));
        assertTrue(System.nanoTime() - start >= Duration.ofMillis(50).toNanos(), "waited for the holder");
        assertTrue(timeout.getMessage().contains("directory lock held by another change"), timeout.getMessage());
        assertNull(creator.directory().view().find("orders"));
        other.locks().release(DIRECTORY_LOCK_OFFSET);
        assertNotNull(creator.directory().openOrAdd(ORDERS, false, TIMEOUT_NS));
    }

    @Test
    void aCorruptEntryRefusesEveryChangeAndNothingIsWritten()
    {
        final ChannelLayout orders = creator.directory().openOrAdd(ORDERS, false, TIMEOUT_NS);
        metadata().putInt(entryOffset(orders.index()) + CAPACITY_OFFSET, 1000);
        final CorruptRegionException refused = assertThrows(CorruptRegionException.class,
            () -> other.directory().openOrAdd(spec("next", 1024), false, TIMEOUT_NS));
        assertEquals("directory[0].capacity", refused.field());
        assertEquals("1000", refused.actual());
        assertThrows(CorruptRegionException.class, () -> other.directory().remove("orders", TIMEOUT_NS));
        assertEquals(ENTRY_FREE, state(DirectoryReader.status(metadata(), 1)), "no entry taken");
        assertEquals(1, creator.directory().view().changeCount());
        assertTrue(other.locks().tryHold(DIRECTORY_LOCK_OFFSET), "the lock was released");
        other.locks().release(DIRECTORY_LOCK_OFFSET);
    }

    @Test
    void aWaiterLearnsOfAChangeAndATimeoutReturnsTheSameCount() throws Exception
    {
        final DirectoryView view = other.directory().view();
        assertEquals(0, view.awaitChange(0, Duration.ofMillis(20).toNanos(), () -> false), "nothing changed");
        final Thread adder = new Thread(() -> creator.directory().openOrAdd(ORDERS, false, TIMEOUT_NS));
        final long start = System.nanoTime();
        adder.start();
        assertEquals(1, view.awaitChange(0, Duration.ofSeconds(10).toNanos(), () -> false));
        assertTrue(System.nanoTime() - start < Duration.ofSeconds(5).toNanos(), "woken, not timed out");
        adder.join();
        assertEquals(1, view.listing().changeCount());
        assertEquals(List.of("orders"), view.listing().channels().stream().map(ChannelLayout::name).toList());
    }
}
