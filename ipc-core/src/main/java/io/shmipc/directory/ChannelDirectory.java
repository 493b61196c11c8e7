package io.shmipc.directory;

import io.shmipc.wait.Timeouts;
import io.shmipc.ChannelSpec;
import io.shmipc.exceptions.ChannelExistsException;
import io.shmipc.exceptions.ChannelInUseException;
import io.shmipc.exceptions.ChannelMismatchException;
import io.shmipc.exceptions.CorruptRegionException;
import io.shmipc.exceptions.RegionClosedException;
import io.shmipc.exceptions.RegionFullException;
import io.shmipc.exceptions.RegionTimeoutException;
import io.shmipc.exceptions.WaitInterruptedException;
import io.shmipc.layout.ChannelDescriptor;
import io.shmipc.layout.ChannelLayout;
import io.shmipc.layout.CountersDescriptor;
import io.shmipc.layout.DirectoryReader;
import io.shmipc.layout.LayoutReader;
import io.shmipc.layout.RegionLayout;
import io.shmipc.liveness.RegionLocks;
import io.shmipc.posix.MappedSegment;
import io.shmipc.wait.Futex;
import org.agrona.concurrent.UnsafeBuffer;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;

import static io.shmipc.layout.DirectoryDescriptor.*;
import static io.shmipc.layout.RegionHeaderDescriptor.DIRECTORY_CHANGE_COUNT_OFFSET;
import static io.shmipc.layout.RegionHeaderDescriptor.DIRECTORY_LOCK_OFFSET;

/**
 * Adds and removes the channels of a live region, one process at a time under the directory lock, following the
 * protocol of docs/layout.md ("Channels at runtime"): abandoned additions taken back, every READY entry validated,
 * space from the {@link SpaceAllocator} zeroed before use, READY stored last, the change count bumped and woken.
 * It also gives endpoints the channel's in-use lock, which makes a removal race-free against an open.
 */
public final class ChannelDirectory
{
    /**
     * What one try at a removal did.
     */
    public enum Removal
    {
        /** The channel is gone from the directory. */
        REMOVED,
        /** The region has no channel of that name. */
        ABSENT,
        /** An endpoint, in some process, holds the channel's in-use lock. */
        IN_USE
    }

    /** How long an addition or removal waits for another process's change to finish. */
    public static final long LOCK_TIMEOUT_NS = 10_000_000_000L;
    /**
     * How long a removal keeps trying while the channel's in-use lock is held, before it calls the channel in use: an
     * open that read the entry before it changed (another channel's, in the entry before this one) takes and drops
     * the lock in a moment. Between tries it holds no lock.
     */
    static final long IN_USE_SETTLE_NS = 50_000_000L;
    private static final long MIN_BACKOFF_NS = 100_000L;
    private static final long MAX_BACKOFF_NS = 1_000_000L;

    private final String region;
    private final DirectoryView view;
    private final UnsafeBuffer metadata;
    private final RegionLocks locks;
    private final MappedSegment segment;
    private final UnsafeBuffer countersMetadata;
    private final UnsafeBuffer countersValues;
    /** Set by a close of the handle: a change waiting for the directory lock gives up rather than hold the close. */
    private volatile boolean abandoned;

    /**
     * The writable directory of one region.
     *
     * @param region  the region, for messages.
     * @param view    its directory view.
     * @param locks   its locks.
     * @param segment its mapping, read-write.
     * @param layout  the layout validated when the region was opened (for the counters area).
     */
    public ChannelDirectory(final String region, final DirectoryView view, final RegionLocks locks,
        final MappedSegment segment, final RegionLayout layout)
    {
        this.region = region;
        this.view = view;
        this.metadata = view.metadata();
        this.locks = locks;
        this.segment = segment;
        final int capacity = layout.directoryCapacity();
        this.countersMetadata = segment.buffer(layout.countersMetadataOffset(),
            CountersDescriptor.metadataLength(capacity));
        this.countersValues = segment.buffer(layout.countersValuesOffset(), CountersDescriptor.valuesLength(capacity));
    }

    /**
     * The read side.
     *
     * @return the view.
     */
    public DirectoryView view()
    {
        return view;
    }

    /**
     * Open a channel, adding it if the region has none of that name.
     *
     * @param request   the channel; a message limit of 0 asks for the largest its capacity allows.
     * @param mustAdd   fail if a channel of that name exists.
     * @param timeoutNs longest wait for the directory lock.
     * @return the channel as it is in the directory.
     * @throws ChannelMismatchException when a channel of that name exists with another spec.
     * @throws ChannelExistsException   when {@code mustAdd} and the name exists.
     * @throws RegionFullException      when the directory or the data area is full.
     * @throws RegionTimeoutException   when another process held the directory lock for the whole timeout.
     */
    public ChannelLayout openOrAdd(final ChannelSpec request, final boolean mustAdd, final long timeoutNs)
    {
        final ChannelSpec spec = RegionLayout.resolve(region, request);
        final ChannelLayout found = readSettled(() -> view.find(spec.name()));
        if (found != null)
        {
            return matching(found, request, mustAdd);
        }
        holdLock(timeoutNs);
        try
        {
            requireUnusedUnlessReady();
            final List<ChannelLayout> channels = channelsUnderLock();
            for (final ChannelLayout channel : channels)
            {
                if (channel.name().equals(spec.name()))
                {
                    return matching(channel, request, mustAdd);
                }
            }
            return add(spec, channels);
        }
        finally
        {
            locks.release(DIRECTORY_LOCK_OFFSET);
        }
    }

    /**
     * Remove a channel no live endpoint uses; its space can then be given to another.
     *
     * @param name      the channel name.
     * @param timeoutNs longest wait for the directory lock.
     * @return true when removed, false when the region has no channel of that name.
     * @throws ChannelInUseException  when an endpoint, in any process, uses the channel.
     * @throws RegionTimeoutException when another process held the directory lock for the whole timeout.
     */
    public boolean remove(final String name, final long timeoutNs)
    {
        return removeSettled(name, () -> removeOnce(name, timeoutNs));
    }

    /**
     * Remove a channel, trying again while it is found in use for up to {@link #IN_USE_SETTLE_NS}: an open that read
     * the entry before it changed (another channel's, in the entry before this one) takes and drops the in-use lock
     * in a moment. Between tries nothing is held: neither the directory lock, nor what {@code attempt} takes around
     * its try (a region handle's monitor), so other changes and other threads' opens go on meanwhile.
     *
     * @param name    the channel name.
     * @param attempt one try, {@link #removeOnce} within whatever the caller holds for it.
     * @return true when removed, false when the region has no channel of that name.
     * @throws ChannelInUseException when an endpoint, in any process, uses the channel.
     */
    public boolean removeSettled(final String name, final Supplier<Removal> attempt)
    {
        final long settleDeadline = System.nanoTime() + IN_USE_SETTLE_NS;
        while (true)
        {
            final Removal outcome = attempt.get();
            if (outcome != Removal.IN_USE)
            {
                return outcome == Removal.REMOVED;
            }
            if (System.nanoTime() - settleDeadline >= 0)
            {
                throw new ChannelInUseException(region, "channel in use: region=" + region + " channel=" + name +
                    "; close its publishers and subscribers (in every process) before removing it");
            }
            LockSupport.parkNanos(MIN_BACKOFF_NS);
        }
    }

    /**
     * One try at removing a channel no live endpoint uses (its space can then be given to another), under the
     * directory lock, taking the channel's in-use lock only if it is free now (see {@link #removeSettled}).
     *
     * @param name      the channel name.
     * @param timeoutNs longest wait for the directory lock.
     * @return what happened.
     * @throws RegionTimeoutException when another process held the directory lock for the whole timeout.
     */
    public Removal removeOnce(final String name, final long timeoutNs)
    {
        holdLock(timeoutNs);
        try
        {
            for (final ChannelLayout channel : channelsUnderLock())
            {
                if (!channel.name().equals(name))
                {
                    continue;
                }
                final long inUse = channel.inUseLockOffset();
                if (!locks.tryHold(inUse))
                {
                    return Removal.IN_USE;
                }
                try
                {
                    storeStatus(channel.index(), next(channel.entryStatus(), ENTRY_FREE));
                }
                finally
                {
                    locks.release(inUse);
                }
                changed();
                return Removal.REMOVED;
            }
            return Removal.ABSENT;
        }
        finally
        {
            locks.release(DIRECTORY_LOCK_OFFSET);
        }
    }

    /**
     * Take this process's share of a channel's in-use lock for one more endpoint, and check that the channel is
     * still the one read (not removed, nor removed and added again, since). An entry that already changed is left
     * alone: its lock may be another channel's now, whose removal must not find it held. One that changes between
     * that look and the lock holds it only until the look after.
     *
     * @param channel the channel as read.
     * @return true when held for the channel; false when it is being removed or is gone (read it again).
     * @throws io.shmipc.exceptions.CorruptRegionException when its entry is damaged (nothing is held then).
     */
    public boolean holdInUse(final ChannelLayout channel)
    {
        if (DirectoryReader.status(metadata, channel.index()) != channel.entryStatus())
        {
            return false;
        }
        final long offset = channel.inUseLockOffset();
        if (!locks.acquireShared(offset))
        {
            return false;
        }
        boolean current = false;
        try
        {
            current = view.isCurrent(channel);
        }
        finally
        {
            if (!current)
            {
                locks.releaseShared(offset);
            }
        }
        return current;
    }

    /**
     * One endpoint no longer needs the channel; the last of this process releases the in-use lock.
     *
     * @param channel the channel.
     */
    public void releaseInUse(final ChannelLayout channel)
    {
        locks.releaseShared(channel.inUseLockOffset());
    }

    private ChannelLayout add(final ChannelSpec spec, final List<ChannelLayout> channels)
    {
        final LayoutReader.Header header = view.header();
        int index = -1;
        for (int i = 0; i < header.directoryCapacity() && index < 0; i++)
        {
            if (view.isFree(i))
            {
                index = i;
            }
        }
        if (index < 0)
        {
            throw new RegionFullException(region, RegionFullException.Limit.CHANNELS, header.directoryCapacity(), 1,
                0, "region full: region=" + region + " channel=" + spec.name() + " maxChannels=" +
                header.directoryCapacity() +
                " all hold channels; remove unused channels, or create the region with a larger maxChannels");
        }
        final long length = ChannelDescriptor.channelLength(spec.kind(), spec.capacity(),
            ChannelDescriptor.DEFAULT_ENDPOINT_SLOTS);
        final SpaceAllocator allocator = new SpaceAllocator(header.dataAreaOffset(), header.dataAreaLength(), channels);
        final long offset = allocator.firstFit(length);
        if (offset < 0)
        {
            throw new RegionFullException(region, RegionFullException.Limit.DATA_AREA, header.dataAreaLength(), length,
                allocator.largestFreeExtent(), "region full: region=" + region + " channel=" + spec.name() +
                " needs=" + length + " bytes freeBytes=" + allocator.freeBytes() + " largestFreeExtent=" +
                allocator.largestFreeExtent() + " dataAreaLength=" + header.dataAreaLength() + "; remove unused " +
                "channels, or create the region with a larger dataAreaLength");
        }
        final long free = DirectoryReader.status(metadata, index);
        final long initialising = next(free, ENTRY_INITIALISING);
        final long ready = next(initialising, ENTRY_READY);
        final ChannelLayout channel = ChannelLayout.place(index, spec, offset, ready);
        RegionLayout.writeEntry(metadata, channel);
        storeStatus(index, initialising);
        segment.buffer(offset, (int)length).setMemory(0, (int)length, (byte)0);
        CountersDescriptor.resetEntry(countersMetadata, countersValues, index, spec.name());
        storeStatus(index, ready);
        changed();
        return channel;
    }

    /**
     * Check, under the directory lock and before an addition gives out an entry or space, that no entry which is not
     * READY is in use: an endpoint holds the in-use lock of its channel's entry from its open to its close, and a
     * channel is removed only once that lock is free, so a FREE or INITIALISING entry whose lock is held is a READY
     * one whose status was damaged. Giving its entry or its space to a new channel would hand the live channel's
     * memory to the new one's endpoints. An open that read the entry before it changed takes and drops the lock in a
     * moment: a lock held longer than {@link #IN_USE_SETTLE_NS} is the damage. One probe per entry not READY.
     *
     * @throws CorruptRegionException naming {@code directory[i].status} for such an entry.
     */
    private void requireUnusedUnlessReady()
    {
        final int capacity = view.header().directoryCapacity();
        long deadline = 0;
        for (int index = 0; index < capacity; index++)
        {
            final long status = DirectoryReader.status(metadata, index);
            if (state(status) == ENTRY_READY)
            {
                continue;
            }
            final long inUse = inUseLockOffset(index);
            while (locks.isHeld(inUse))
            {
                final long now = System.nanoTime();
                if (deadline == 0)
                {
                    deadline = now + IN_USE_SETTLE_NS;
                }
                else if (now - deadline >= 0)
                {
                    throw new CorruptRegionException(region, "directory[" + index + "].status", "READY (the entry's " +
                        "in-use lock is held: an endpoint uses its channel, which cannot have been removed)",
                        "0x" + Long.toHexString(status) + " (state " + state(status) + ", not READY)");
                }
                LockSupport.parkNanos(MIN_BACKOFF_NS);
            }
        }
    }

    /**
     * The READY channels, read by the holder of the directory lock after taking back every addition whose adder
     * died holding it (an INITIALISING entry: additions happen only under the lock, which this process holds now).
     */
    private List<ChannelLayout> channelsUnderLock()
    {
        for (int index = 0; index < view.header().directoryCapacity(); index++)
        {
            final long status = DirectoryReader.status(metadata, index);
            if (state(status) == ENTRY_INITIALISING)
            {
                storeStatus(index, next(status, ENTRY_FREE));
            }
        }
        return new ArrayList<>(view.channels());
    }

    private ChannelLayout matching(final ChannelLayout found, final ChannelSpec request, final boolean mustAdd)
    {
        if (mustAdd)
        {
            throw new ChannelExistsException(region, "channel exists: region=" + region + " channel=" +
                found.name() + " kind=" + found.kind() + " capacity=" + found.capacity());
        }
        final List<String> differences = differences(found.spec(), request);
        if (!differences.isEmpty())
        {
            throw new ChannelMismatchException(region, found.name(), differences);
        }
        return found;
    }

    /**
     * How a channel found differs from one asked for: kind, capacity, and the message limit when one is asked for.
     *
     * @param found  the channel in the directory.
     * @param wanted the channel asked for.
     * @return each field that differs, as {@code field=found expected wanted}; empty when they match.
     */
    public static List<String> differences(final ChannelSpec found, final ChannelSpec wanted)
    {
        final List<String> differences = new ArrayList<>();
        if (found.kind() != wanted.kind())
        {
            differences.add("kind=" + found.kind() + " expected " + wanted.kind());
        }
        if (found.capacity() != wanted.capacity())
        {
            differences.add("capacity=" + found.capacity() + " expected " + wanted.capacity());
        }
        if (wanted.maxMessageLength() != 0 && found.maxMessageLength() != wanted.maxMessageLength())
        {
            differences.add("maxMessageLength=" + found.maxMessageLength() + " expected " + wanted.maxMessageLength());
        }
        return differences;
    }

    private void storeStatus(final int index, final long status)
    {
        metadata.putLongRelease(entryOffset(index) + ENTRY_STATUS_OFFSET, status);
    }

    private void changed()
    {
        metadata.getAndAddInt(DIRECTORY_CHANGE_COUNT_OFFSET, 1);
        if (Futex.isAvailable())
        {
            Futex.wake(view.changeCountAddress(), Integer.MAX_VALUE);
        }
    }

    /**
     * Read the directory without its lock, as readers do, and when changes overtook every lock-free read (a slow
     * reader among fast writers), once more holding the Directory Lock shared, which no change can overtake: a
     * change takes it exclusively. Shared, so that readers do not hold each other up, and so that a read-only
     * descriptor (the inspection tools') can take it.
     *
     * @param read the read.
     * @param <T>  what it reads.
     * @return what it read.
     * @throws RegionTimeoutException when another process held the directory lock for {@link #LOCK_TIMEOUT_NS}.
     */
    public <T> T readSettled(final Supplier<T> read)
    {
        return readSettled(locks, region, read, this);
    }

    /**
     * {@link #readSettled(Supplier)} for a region whose directory is not open yet (an attach reading it).
     *
     * @param locks  the region's locks.
     * @param region the region, for messages.
     * @param read   the read.
     * @param <T>    what it reads.
     * @return what it read.
     */
    public static <T> T readSettled(final RegionLocks locks, final String region, final Supplier<T> read)
    {
        return readSettled(locks, region, read, null);
    }

    private static <T> T readSettled(final RegionLocks locks, final String region, final Supplier<T> read,
        final ChannelDirectory directory)
    {
        try
        {
            return read.get();
        }
        catch (final DirectoryReader.Unsettled overtaken)
        {
            holdLock(locks, region, LOCK_TIMEOUT_NS, true, directory);
            try
            {
                return read.get();
            }
            finally
            {
                locks.releaseShared(DIRECTORY_LOCK_OFFSET);
            }
        }
    }

    private void holdLock(final long timeoutNs)
    {
        holdLock(locks, region, timeoutNs, false, this);
    }

    /**
     * The handle is closing: a change or read waiting for the directory lock stops waiting and throws
     * {@link RegionClosedException}, so that the close, which waits for it, is not held for the lock's whole
     * timeout by another process's change. One that holds the lock already finishes.
     */
    public void abandonWaits()
    {
        abandoned = true;
    }

    /**
     * Take the Directory Lock, exclusively for a change or shared for a read, waiting while it is held otherwise.
     * The wait ends with {@link RegionClosedException} once {@code directory}'s handle starts closing
     * ({@link #abandonWaits()}); a reader with no handle of its own (an inspector, an opening) passes null and
     * waits until the lock's timeout.
     */
    private static void holdLock(final RegionLocks locks, final String region, final long timeoutNs,
        final boolean shared, final ChannelDirectory directory)
    {
        final long deadline = System.nanoTime() + Timeouts.nanos(timeoutNs);
        long backoffNs = MIN_BACKOFF_NS;
        while (!(shared ? locks.acquireShared(DIRECTORY_LOCK_OFFSET) : locks.tryHold(DIRECTORY_LOCK_OFFSET)))
        {
            if (System.nanoTime() - deadline >= 0)
            {
                throw new RegionTimeoutException(region, "directory lock held by another change for longer than " +
                    timeoutNs / 1_000_000 + " ms: region=" + region + " (a process adding or removing a channel)");
            }
            if (Thread.currentThread().isInterrupted())
            {
                throw new WaitInterruptedException(region, "interrupted while waiting for the directory lock: " +
                    "region=" + region + " (a process adding or removing a channel holds it)");
            }
            if (directory != null && directory.abandoned)
            {
                throw new RegionClosedException(region, "region handle closed while waiting for the directory " +
                    "lock: region=" + region + " (a process adding or removing a channel holds it)");
            }
            LockSupport.parkNanos(backoffNs);
            backoffNs = Math.min(backoffNs * 2, MAX_BACKOFF_NS);
        }
    }
}
