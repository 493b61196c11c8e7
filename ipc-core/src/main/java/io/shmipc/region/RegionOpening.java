package io.shmipc.region;

import io.shmipc.ChannelSpec;
import io.shmipc.RegionConfig;
import io.shmipc.RegionLocation;
import io.shmipc.exceptions.CorruptRegionException;
import io.shmipc.exceptions.InvalidConfigurationException;
import io.shmipc.exceptions.RegionExistsException;
import io.shmipc.exceptions.RegionNotFoundException;
import io.shmipc.exceptions.RegionPermissionException;
import io.shmipc.exceptions.RegionStaleException;
import io.shmipc.exceptions.RegionTimeoutException;
import io.shmipc.exceptions.ShmIpcException;
import io.shmipc.layout.ChannelDescriptor;
import io.shmipc.layout.ChannelLayout;
import io.shmipc.layout.CountersDescriptor;
import io.shmipc.layout.LayoutReader;
import io.shmipc.layout.RegionLayout;
import io.shmipc.liveness.ProcessIdentity;
import io.shmipc.liveness.RegionLocks;
import io.shmipc.posix.Errno;
import io.shmipc.posix.FileStat;
import io.shmipc.posix.MappedSegment;
import io.shmipc.posix.Posix;
import io.shmipc.posix.PosixPlatform;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.locks.LockSupport;

import static io.shmipc.layout.RegionHeaderDescriptor.*;

/**
 * How a region comes to be mapped in this process: created (exclusive, preallocated, layout written, READY
 * published last) or attached (waiting for READY, then validating everything read). Each step's failure modes are
 * documented on {@code Region.create} and {@code Region.attach}.
 */
public final class RegionOpening
{
    private static final long MAX_ATTACH_BACKOFF_NS = 10_000_000L;

    private RegionOpening()
    {
    }

    /**
     * Create a region, failing if its name is taken; on any failure no file is left behind.
     *
     * @param config location, channels and permissions.
     * @return the region, READY for other processes to attach.
     */
    public static MappedRegion create(final RegionConfig config)
    {
        AgronaAccess.verify();
        PosixPlatform.ensureSupported();
        final RegionLocation location = config.location();
        final String name = location.toString();
        final RegionLayout layout = RegionLayout.plan(name, config.channels());
        // Mode 0 until fchmod sets the exact permissions, whatever the umask.
        final int fd;
        try
        {
            fd = RegionFiles.open(location, RegionFiles.READ_WRITE | PosixPlatform.O_CREAT | PosixPlatform.O_EXCL, 0);
        }
        catch (final RegionNotFoundException ex)
        {
            throw new RegionNotFoundException(ex.call(), name, ex.errno(), ex.getMessage() + ": the directory " +
                location.path().getParent() + " does not exist");
        }
        int probeFd = -1;
        MappedSegment segment = null;
        boolean ownsName = true;
        boolean done = false;
        try
        {
            // Exact permissions first: reopening through /proc checks them, and mode 0 refuses everyone but root.
            Posix.fchmod(fd, config.permissions(), name);
            probeFd = RegionFiles.reopenForProbes(fd, name);
            final RegionLocks locks = new RegionLocks(name, fd, probeFd);
            if (!locks.tryHold(INIT_LOCK_OFFSET) || !locks.holdShared(USERS_LOCK_OFFSET) ||
                !RegionFiles.isStillLinked(location, fd))
            {
                // A stale-region cleaner took this empty file in the instant before it was locked, and unlinked
                // it: the name is not ours any more, so it must not be unlinked on the way out.
                ownsName = false;
                throw new RegionExistsException("open", name, Errno.EEXIST,
                    "create lost a race with a stale-region cleaner: region=" + name + "; try again");
            }
            final long length = layout.regionLength();
            Posix.ftruncate(fd, length, name);
            Posix.fallocate(fd, length, name, usableSpace(location));
            segment = MappedSegment.map(fd, length, true, name);
            writeLayout(segment, layout);
            final int channelCount = layout.channels().size();
            layout.allocateCounters(
                segment.buffer(layout.countersMetadataOffset(), CountersDescriptor.metadataLength(channelCount)),
                segment.buffer(layout.countersValuesOffset(), CountersDescriptor.valuesLength(channelCount)));
            // READY goes last: everything above is visible to whoever reads READY.
            segment.buffer(0, HEADER_LENGTH).putIntRelease(STATE_OFFSET, STATE_READY);
            locks.release(INIT_LOCK_OFFSET);
            final MappedRegion region = new MappedRegion(location, fd, probeFd, locks, segment, layout, true);
            done = true;
            return region;
        }
        finally
        {
            if (!done)
            {
                abandonCreate(location, ownsName, fd, probeFd, segment);
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
        final long deadline = System.nanoTime() + timeout.toNanos();
        long backoffNs = 100_000L;
        while (true)
        {
            final MappedRegion region = tryAttach(location, name, deadline);
            if (region != null)
            {
                return region;
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
            fd = RegionFiles.open(location, RegionFiles.READ_WRITE, 0);
        }
        catch (final RegionNotFoundException ex)
        {
            if (expired)
            {
                throw ex;
            }
            return null;
        }
        catch (final RegionPermissionException ex)
        {
            // An empty file is a region its creator has not yet given its permissions (it starts at mode 0):
            // wait for them. Any other refusal is final.
            if (expired || !RegionFiles.isEmptyFile(location))
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
                if (expired)
                {
                    if (initialising)
                    {
                        throw new RegionTimeoutException(name, "region still being created after the attach " +
                            "timeout: region=" + name + " size=" + stat.size());
                    }
                    if (stat.size() == 0)
                    {
                        throw new RegionStaleException(name, "region is empty and no process is creating it (its " +
                            "creator died before sizing it): region=" + name);
                    }
                    throw new CorruptRegionException(name, "file.size", "at least the header length " +
                        HEADER_LENGTH + " (truncated)", Long.toString(stat.size()));
                }
                return null;
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
                if (state != STATE_NEW && state != STATE_INITIALISING)
                {
                    throw new CorruptRegionException(name, "header.state", STATE_NEW + ", " + STATE_INITIALISING +
                        " or " + STATE_READY, Integer.toString(state));
                }
                if (!initialising)
                {
                    throw new RegionStaleException(name, "region was never made READY and no process is " +
                        "creating it (its creator died): region=" + name + " state=" + state + "; delete it");
                }
                if (expired)
                {
                    throw new RegionTimeoutException(name, "region not READY within the attach timeout: region=" +
                        name + " state=" + state);
                }
                return null;
            }
            final LayoutReader.Header validated = LayoutReader.validateHeader(header, stat.size(), name);
            final RegionLayout layout = LayoutReader.readDirectory(
                segment.buffer(0, validated.metadataLength()), validated, name);
            if (!locks.holdShared(USERS_LOCK_OFFSET) || !RegionFiles.isStillLinked(location, fd))
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
            final MappedRegion region = new MappedRegion(location, fd, probeFd, locks, segment, layout, false);
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
     * the rest of the region stays usable).
     */
    private static void checkPositions(final MappedSegment segment, final RegionLayout layout, final String name)
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
            if (implausible != null)
            {
                throw new CorruptRegionException(name, "channel[" + channel.name() + "].positions",
                    "multiples of 8 from 0 to 2^62 within one capacity (" + channel.capacity() + ") of each other",
                    implausible);
            }
        }
    }

    private static void writeLayout(final MappedSegment segment, final RegionLayout layout)
    {
        final UnsafeBuffer metadata = segment.buffer(0, layout.metadataLength());
        metadata.putInt(STATE_OFFSET, STATE_INITIALISING);
        layout.writeTo(metadata);
        final ProcessIdentity self = ProcessIdentity.current();
        metadata.putInt(CREATOR_PID_OFFSET, self.pid());
        metadata.putLong(CREATOR_START_TIME_OFFSET, self.startTime());
        metadata.putLong(CREATOR_BOOT_ID_OFFSET, self.bootId().getMostSignificantBits());
        metadata.putLong(CREATOR_BOOT_ID_OFFSET + Long.BYTES, self.bootId().getLeastSignificantBits());
        final long now = System.currentTimeMillis();
        metadata.putLong(CREATION_TIME_OFFSET, now);
        metadata.putLong(OWNER_HEARTBEAT_OFFSET, now);
        // The channel buffers are zero from ftruncate: an empty Agrona ring or broadcast buffer.
    }

    private static long usableSpace(final RegionLocation location)
    {
        try
        {
            return Files.getFileStore(location.path().getParent()).getUsableSpace();
        }
        catch (final IOException | RuntimeException ex)
        {
            return -1;
        }
    }

    private static void abandonCreate(final RegionLocation location, final boolean ownsName, final int fd,
        final int probeFd, final MappedSegment segment)
    {
        try
        {
            if (ownsName)
            {
                RegionFiles.unlink(location);
            }
        }
        catch (final ShmIpcException ex)
        {
            // The creation failure is the error to report; a name that cannot be removed is left as it is.
        }
        closeQuietly(segment, probeFd, fd, location.toString());
    }

    private static void closeQuietly(final MappedSegment segment, final int probeFd, final int fd, final String name)
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
     * @throws InvalidConfigurationException naming the first channel that differs, and how.
     */
    public static void checkMatches(final MappedRegion region, final List<ChannelSpec> wanted)
    {
        for (final ChannelSpec channel : wanted)
        {
            final ChannelSpec found = find(region.layout(), channel.name());
            final String problem;
            if (found == null)
            {
                problem = "missing";
            }
            else if (found.kind() != channel.kind())
            {
                problem = "kind=" + found.kind() + " expected " + channel.kind();
            }
            else if (found.capacity() != channel.capacity())
            {
                problem = "capacity=" + found.capacity() + " expected " + channel.capacity();
            }
            else if (channel.maxMessageLength() != 0 && found.maxMessageLength() != channel.maxMessageLength())
            {
                problem = "maxMessageLength=" + found.maxMessageLength() + " expected " + channel.maxMessageLength();
            }
            else
            {
                continue;
            }
            throw new InvalidConfigurationException(region.name(), "region exists with a different layout: region=" +
                region.name() + " channel=" + channel.name() + " " + problem);
        }
    }

    private static ChannelSpec find(final RegionLayout layout, final String name)
    {
        for (final ChannelLayout channel : layout.channels())
        {
            if (channel.name().equals(name))
            {
                return channel.spec();
            }
        }
        return null;
    }
}
