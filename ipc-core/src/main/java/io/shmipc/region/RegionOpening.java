package io.shmipc.region;

import io.shmipc.wait.Timeouts;
import io.shmipc.ChannelSpec;
import io.shmipc.RegionConfig;
import io.shmipc.RegionLocation;
import io.shmipc.directory.ChannelDirectory;
import io.shmipc.exceptions.ChannelMismatchException;
import io.shmipc.exceptions.CorruptRegionException;
import io.shmipc.exceptions.NoSuchChannelException;
import io.shmipc.exceptions.RegionExistsException;
import io.shmipc.exceptions.RegionNotFoundException;
import io.shmipc.exceptions.RegionStaleException;
import io.shmipc.exceptions.RegionTimeoutException;
import io.shmipc.exceptions.ShmIpcException;
import io.shmipc.exceptions.WaitInterruptedException;
import io.shmipc.handoff.HandoffProtocol;
import io.shmipc.layout.ChannelDescriptor;
import io.shmipc.layout.ChannelLayout;
import io.shmipc.layout.DirectoryReader;
import io.shmipc.layout.LayoutReader;
import io.shmipc.layout.RegionLayout;
import io.shmipc.liveness.RegionLocks;
import io.shmipc.posix.FileStat;
import io.shmipc.posix.MappedSegment;
import io.shmipc.posix.Posix;
import io.shmipc.posix.PosixPlatform;
import org.agrona.concurrent.UnsafeBuffer;

import java.lang.invoke.VarHandle;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.locks.LockSupport;

import static io.shmipc.layout.RegionHeaderDescriptor.*;

/**
 * Attaching to a region: opening it by name, waiting while it is missing (or, for a region an earlier version
 * creates at its name, not READY yet), then validating everything read; and open-or-create, which races with
 * other processes doing the same. {@link RegionCreation} creates regions, {@link DescriptorOpening} attaches those
 * without a name. Each step's failure modes are documented on {@code Region.attach} and {@code Region.openOrCreate}.
 */
public final class RegionOpening
{
    private static final long MAX_ATTACH_BACKOFF_NS = 10_000_000L;
    private static final int MAX_OPEN_OR_CREATE_ATTEMPTS = 8;

    private RegionOpening()
    {
    }

    /**
     * Attach with a configuration's timeout, and check that each channel it names exists with the same kind,
     * capacity and message limit.
     *
     * @param config the configuration.
     * @return the region.
     */
    public static MappedRegion attach(final RegionConfig config)
    {
        final MappedRegion mapped = attach(config.location(), config.attachTimeout(), config.keepProcessDumpable());
        try
        {
            checkMatches(mapped, config.channels());
        }
        catch (final RuntimeException ex)
        {
            // A mismatch must not remove another's region: only a region that matches becomes this handle's to delete.
            mapped.close(false);
            throw ex;
        }
        return mapped;
    }

    /**
     * Attach to a region wherever it lives: by name, or without one ({@link DescriptorOpening}).
     *
     * @param location            where the region lives.
     * @param timeout             longest wait.
     * @param keepProcessDumpable for an anonymous region: leave this process dumpable.
     * @return the region.
     */
    public static MappedRegion attach(final RegionLocation location, final Duration timeout,
        final boolean keepProcessDumpable)
    {
        return location.isNamed() ? attach(location, timeout) :
            DescriptorOpening.attach(location, timeout, keepProcessDumpable);
    }

    /**
     * Create the region, or attach to it if it exists: of any number of processes racing, exactly one creates. A
     * region whose creator died before READY is replaced, and a READY one nobody uses when the configuration asks;
     * an anonymous region is attached when it was handed to this process, else created. The channels of the
     * configuration are not checked here: the caller opens each, adding those the region lacks.
     *
     * @param config the configuration.
     * @return the region.
     */
    public static MappedRegion openOrCreate(final RegionConfig config)
    {
        final RegionLocation location = config.location();
        if (location.isAnonymous())
        {
            return System.getenv(HandoffProtocol.environmentVariable(location.anonymousLabel())) != null ?
                attach(location, config.attachTimeout(), config.keepProcessDumpable()) : RegionCreation.create(config);
        }
        if (location.isDescriptor())
        {
            return attach(location, config.attachTimeout(), config.keepProcessDumpable());
        }
        for (int attempt = 1; ; attempt++)
        {
            try
            {
                return RegionCreation.create(config);
            }
            catch (final RegionExistsException exists)
            {
                if (config.replaceStale() && RegionRemoval.unlinkIfStale(location))
                {
                    continue;
                }
                try
                {
                    return attach(location, config.attachTimeout(), config.keepProcessDumpable());
                }
                catch (final RegionStaleException stale)
                {
                    // Its creator died before making it READY: unusable, so always replaced.
                    if (!RegionRemoval.unlinkIfStale(location) && attempt >= MAX_OPEN_OR_CREATE_ATTEMPTS)
                    {
                        throw stale;
                    }
                }
                catch (final RegionNotFoundException gone)
                {
                    if (attempt >= MAX_OPEN_OR_CREATE_ATTEMPTS)
                    {
                        throw gone;
                    }
                }
            }
        }
    }

    /**
     * Attach to a region, waiting up to {@code timeout} for it to exist and be READY, and validate it.
     *
     * @param location where the region lives.
     * @param timeout  longest wait.
     * @return the region.
     */
    public static MappedRegion attach(final RegionLocation location, final Duration timeout)
    {
        AgronaAccess.verify();
        PosixPlatform.ensureSupported();
        final String name = location.toString();
        final long deadline = System.nanoTime() + Timeouts.nanos(timeout);
        long backoffNs = 100_000L;
        while (true)
        {
            final MappedRegion region = tryAttach(location, name, deadline);
            if (region != null)
            {
                return region;
            }
            if (Thread.currentThread().isInterrupted())
            {
                throw new WaitInterruptedException(name, "attach interrupted while waiting for the region to " +
                    "appear or become READY: region=" + name);
            }
            LockSupport.parkNanos(backoffNs);
            backoffNs = Math.min(backoffNs * 2, MAX_ATTACH_BACKOFF_NS);
        }
    }

    /**
     * One attempt: open, check state, and either return the region, return null to wait, or throw.
     */
    private static MappedRegion tryAttach(
        final RegionLocation location, final String name, final long deadline)
    {
        final boolean expired = System.nanoTime() - deadline >= 0;
        final int fd;
        try
        {
            fd = RegionFiles.open(location, RegionFiles.READ_WRITE);
        }
        catch (final RegionNotFoundException ex)
        {
            if (expired)
            {
                throw ex;
            }
            return null;
        }
        int probeFd = -1;
        MappedSegment segment = null;
        boolean done = false;
        try
        {
            probeFd = RegionFiles.reopenForProbes(fd, name);
            final RegionLocks locks = new RegionLocks(name, fd, probeFd);
            final FileStat stat = RegionFiles.regularFileStat(fd, name);
            final boolean initialising = locks.isHeld(INIT_LOCK_OFFSET);
            if (stat.size() < HEADER_LENGTH)
            {
                return awaitEarlierCreator(initialising, expired, name, "size=" + stat.size(),
                    new CorruptRegionException(name, "file.size", "at least the header length " + HEADER_LENGTH +
                    " (a region is at its name only when complete)", Long.toString(stat.size())));
            }
            segment = MappedSegment.map(fd, stat.size(), true, name);
            final UnsafeBuffer header = segment.buffer(0, HEADER_LENGTH);
            final int state = header.getIntAcquire(STATE_OFFSET);
            final long magic = header.getLong(MAGIC_OFFSET);
            if (magic != 0 || state == STATE_READY)
            {
                LayoutReader.checkMagicAndVersion(header, name);
            }
            if (state != STATE_READY)
            {
                // Only States NEW and INITIALISING are a creator's to leave behind for a while: any other is corrupt
                // at once, whoever holds the init byte.
                return awaitEarlierCreator(initialising && (state == STATE_NEW || state == STATE_INITIALISING),
                    expired, name, "state=" + state, notReady(name, state, magic));
            }
            final LayoutReader.Header validated = LayoutReader.validateHeader(header, stat.size(), name);
            final MappedSegment mapping = segment;
            final RegionLayout layout = ChannelDirectory.readSettled(locks, name, () -> LayoutReader.readDirectory(
                mapping.buffer(0, validated.metadataLength()), validated, name));
            if (!locks.holdShared(USERS_LOCK_OFFSET) || !RegionFiles.isStillLinked(location.path(), fd, name))
            {
                // A cleaner holds the users byte exclusively, or has already unlinked the name: the region is being
                // deleted as stale. Start again from the name.
                if (expired)
                {
                    throw new RegionTimeoutException(name, "region was being deleted as stale during the attach " +
                        "timeout: region=" + name);
                }
                return null;
            }
            checkPositions(segment, layout, name);
            final MappedRegion region = new MappedRegion(location, fd, probeFd, locks, segment, layout, false,
                false);
            done = true;
            return region;
        }
        finally
        {
            if (!done)
            {
                closeQuietly(segment, probeFd, fd, name);
            }
        }
    }

    /**
     * Check every channel's positions, except those of a channel already marked failed (its endpoints are refused,
     * the rest of the region stays usable), or no longer in the directory as read: another process may have removed
     * it since, and given its space to a channel whose positions these are not.
     *
     * @param segment the region's mapping.
     * @param layout  its validated layout.
     * @param name    the region's name, for the error.
     * @throws CorruptRegionException naming the first channel whose positions are impossible.
     */
    static void checkPositions(final MappedSegment segment, final RegionLayout layout, final String name)
    {
        for (final ChannelLayout channel : layout.channels())
        {
            if (segment.buffer(channel.controlOffset(), ChannelDescriptor.CONTROL_LENGTH)
                .getIntVolatile(ChannelDescriptor.CHANNEL_FAILURE_OFFSET) != 0)
            {
                continue;
            }
            final String implausible = ChannelDescriptor.implausiblePositions(channel.kind(),
                segment.buffer(channel.bufferOffset(), channel.bufferLength()), channel.capacity());
            if (implausible != null && isStillListed(segment, layout, channel))
            {
                throw new CorruptRegionException(name, "channel[" + channel.name() + "].positions",
                    "multiples of 8 from 0 to 2^62 within one capacity (" + channel.capacity() + ") of each other",
                    implausible);
            }
        }
    }

    /**
     * Whether a channel's directory entry still has the status it was read under, loaded after its positions.
     */
    private static boolean isStillListed(final MappedSegment segment, final RegionLayout layout,
        final ChannelLayout channel)
    {
        VarHandle.acquireFence(); // the positions were read before the status
        return DirectoryReader.status(segment.buffer(0, layout.metadataLength()), channel.index()) ==
            channel.entryStatus();
    }

    /**
     * A file at the name that is not a complete region: this library links a region to its name only once it is
     * READY, so it is a region an earlier version's creator is still building at its name (its init byte is
     * locked: wait for it) or not a region one can use (the error given).
     */
    private static MappedRegion awaitEarlierCreator(final boolean initialising, final boolean expired,
        final String name, final String found, final ShmIpcException notARegion)
    {
        if (!initialising)
        {
            throw notARegion;
        }
        if (expired)
        {
            throw new RegionTimeoutException(name, "region still being created after the attach timeout: region=" +
                name + " " + found);
        }
        return null;
    }

    private static ShmIpcException notReady(final String name, final int state, final long magic)
    {
        if (state != STATE_NEW && state != STATE_INITIALISING)
        {
            return new CorruptRegionException(name, "header.state", STATE_NEW + ", " + STATE_INITIALISING + " or " +
                STATE_READY, Integer.toString(state));
        }
        if (magic == 0)
        {
            return new CorruptRegionException(name, "header.magic", "0x" + Long.toHexString(MAGIC) +
                " (\"SHM-IPC!\")", "0x0 (no process is writing a region here)");
        }
        return new RegionStaleException(name, "region was never made READY and no process is creating it (its " +
            "creator died): region=" + name + " state=" + state + "; delete it");
    }

    static void closeQuietly(final MappedSegment segment, final int probeFd, final int fd, final String name)
    {
        if (segment != null)
        {
            segment.close();
        }
        if (probeFd >= 0)
        {
            Posix.close(probeFd, name);
        }
        Posix.close(fd, name);
    }

    /**
     * Check that a region found by attach has each channel a configuration names, with the same kind, capacity and
     * (when the configuration gives one) message limit.
     *
     * @param region the attached region.
     * @param wanted the channels of the configuration.
     * @throws NoSuchChannelException   naming the first channel that is missing.
     * @throws ChannelMismatchException naming the first channel that differs, and each difference.
     */
    public static void checkMatches(final MappedRegion region, final List<ChannelSpec> wanted)
    {
        for (final ChannelSpec channel : wanted)
        {
            final ChannelLayout found = region.directory().readSettled(() -> region.directory().view()
                .find(channel.name()));
            if (found == null)
            {
                throw new NoSuchChannelException(region.name(), "region exists with a different layout: region=" +
                    region.name() + " channel=" + channel.name() + " missing");
            }
            final List<String> differences = ChannelDirectory.differences(found.spec(), channel);
            if (!differences.isEmpty())
            {
                throw new ChannelMismatchException(region.name(), channel.name(), differences);
            }
        }
    }
}
