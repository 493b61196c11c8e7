package io.shmipc.region;

import io.shmipc.RegionConfig;
import io.shmipc.RegionLocation;
import io.shmipc.exceptions.InvalidConfigurationException;
import io.shmipc.exceptions.NativeCallException;
import io.shmipc.exceptions.RegionNoSpaceException;
import io.shmipc.exceptions.RegionNotFoundException;
import io.shmipc.exceptions.ShmIpcException;
import io.shmipc.layout.CountersDescriptor;
import io.shmipc.layout.RegionLayout;
import io.shmipc.liveness.ProcessIdentity;
import io.shmipc.liveness.RegionLocks;
import io.shmipc.posix.Errno;
import io.shmipc.posix.MappedSegment;
import io.shmipc.posix.MemoryFiles;
import io.shmipc.posix.Posix;
import io.shmipc.posix.PosixErrors;
import io.shmipc.posix.PosixPlatform;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;

import static io.shmipc.layout.RegionHeaderDescriptor.*;

/**
 * Creating a region atomically: the region is built where no other process can see it, complete and READY, and
 * only then given its name with {@code linkat}, which never replaces a file. A file at a region's name is therefore
 * always a complete region or not one this library made, and a creator that dies at any point leaves nothing at the
 * name. (An anonymous region is built the same way in an anonymous memory file, sealed against any change of size,
 * and never given a name.)
 * <p>
 * The region is built in an unnamed file ({@code O_TMPFILE}), which the kernel frees if the creator dies. A file
 * system without unnamed files gets a file under a {@linkplain RegionFiles#isTemporaryName temporary name} in the
 * same directory instead; a creator that dies leaves that file behind, locked by nobody, and stale-region cleanup
 * removes it ({@link RegionRemoval#unlinkIfStale}).
 */
public final class RegionCreation
{
    /** What an anonymous region's memory file is called: {@code /proc/<pid>/fd} shows {@code /memfd:shmipc:<label>}. */
    public static final String MEMORY_FILE_PREFIX = "shmipc:";
    /** Temporary files a stale-region cleaner may take before their creator locks them, retried so often. */
    private static final int MAX_TEMPORARY_ATTEMPTS = 8;

    private RegionCreation()
    {
    }

    /**
     * Create a region, failing if its name is taken; on any failure nothing is left at its name or beside it.
     *
     * @param config location, channels and permissions.
     * @return the region, READY for other processes to attach.
     * @throws io.shmipc.exceptions.RegionExistsException when the name is taken (by anything).
     */
    public static MappedRegion create(final RegionConfig config)
    {
        return create(config, true);
    }

    /**
     * Create a region, in an unnamed file when {@code unnamed} is set and the file system has them, else under a
     * temporary name.
     *
     * @param config  location, channels and permissions.
     * @param unnamed try an unnamed file first; false builds under a temporary name.
     * @return the region, READY for other processes to attach.
     */
    public static MappedRegion create(final RegionConfig config, final boolean unnamed)
    {
        AgronaAccess.verify();
        PosixPlatform.ensureSupported();
        final RegionLocation location = config.location();
        final String name = location.toString();
        final RegionLayout layout = RegionLayout.plan(name, config.channels(), config.maxChannels(),
            config.dataAreaLength());
        if (location.isAnonymous())
        {
            return createAnonymous(config, layout);
        }
        if (location.isDescriptor())
        {
            throw new InvalidConfigurationException(name, "a region is not created at a process's descriptor: " +
                "region=" + name + " (create an anonymous region instead)");
        }
        refuseTakenName(location);
        final int unnamedFd = unnamed ? openUnnamed(location) : -1;
        if (unnamedFd >= 0)
        {
            final MappedRegion region = build(config, layout, unnamedFd, null);
            if (region == null)
            {
                throw new IllegalStateException("an unnamed file was taken by a cleaner: region=" + name);
            }
            return region;
        }
        for (int attempt = 1; ; attempt++)
        {
            final Path temporary = RegionFiles.newTemporaryPath(location);
            final int fd = RegionFiles.openTemporary(temporary, name);
            final MappedRegion region = build(config, layout, fd, temporary);
            if (region != null)
            {
                return region;
            }
            if (attempt >= MAX_TEMPORARY_ATTEMPTS)
            {
                throw new NativeCallException("fcntl(F_OFD_SETLK)", name, Errno.EAGAIN, "create lost " + attempt +
                    " temporary files in a row to stale-region cleaners: region=" + name + "; try again");
            }
        }
    }

    /**
     * Create an anonymous region: an anonymous memory file ({@code memfd_create}), sized, allocated and sealed
     * against any change of size before its layout is written. This process is made undumpable first unless the
     * configuration keeps it dumpable.
     */
    private static MappedRegion createAnonymous(final RegionConfig config, final RegionLayout layout)
    {
        final String name = config.location().toString();
        if (!config.keepProcessDumpable())
        {
            MemoryFiles.makeProcessUndumpable(name);
        }
        final int fd = MemoryFiles.create(MEMORY_FILE_PREFIX + config.location().anonymousLabel(), name);
        final MappedRegion region = build(config, layout, fd, null);
        if (region == null)
        {
            throw new IllegalStateException("an anonymous memory file's init byte was taken: region=" + name);
        }
        return region;
    }

    /**
     * Build the region in a new file and give it its name (link), or for an anonymous region its seals.
     *
     * @param fd        the new file, mode 0, owned by this call from now on.
     * @param temporary the file's temporary name, or null when it has none.
     * @return the region, or null when a stale-region cleaner took the temporary file before it was locked.
     */
    private static MappedRegion build(
        final RegionConfig config, final RegionLayout layout, final int fd, final Path temporary)
    {
        final RegionLocation location = config.location();
        final String name = location.toString();
        int probeFd = -1;
        MappedSegment segment = null;
        boolean done = false;
        try
        {
            // Exact permissions first: reopening through /proc checks them, and mode 0 refuses everyone but root.
            Posix.fchmod(fd, config.permissions(), name);
            probeFd = RegionFiles.reopenForProbes(fd, name);
            final RegionLocks locks = new RegionLocks(name, fd, probeFd);
            if (!locks.tryHold(INIT_LOCK_OFFSET) || !locks.holdShared(USERS_LOCK_OFFSET) ||
                temporary != null && !RegionFiles.isStillLinked(temporary, fd, name))
            {
                return null; // a cleaner took the temporary file before it was locked, and removes it
            }
            final long length = layout.regionLength();
            Posix.ftruncate(fd, length, name);
            allocate(fd, length, location);
            if (location.isAnonymous())
            {
                MemoryFiles.addSeals(fd, MemoryFiles.REGION_SEALS, name);
            }
            segment = MappedSegment.map(fd, length, true, name);
            writeLayout(segment, layout);
            // READY goes last: everything above is visible to whoever reads READY.
            segment.buffer(0, HEADER_LENGTH).putIntRelease(STATE_OFFSET, STATE_READY);
            if (location.isNamed())
            {
                RegionFiles.link(fd, location);
            }
            if (temporary != null)
            {
                unlinkTemporary(temporary, fd, name);
            }
            locks.release(INIT_LOCK_OFFSET);
            final MappedRegion region = new MappedRegion(location, fd, probeFd, locks, segment, layout, true,
                location.isAnonymous());
            done = true;
            return region;
        }
        finally
        {
            if (!done)
            {
                abandon(temporary, fd, probeFd, segment, name);
            }
        }
    }

    private static int openUnnamed(final RegionLocation location)
    {
        try
        {
            return RegionFiles.openUnnamed(location);
        }
        catch (final RegionNotFoundException ex)
        {
            throw new RegionNotFoundException(ex.call(), location.toString(), ex.errno(), ex.getMessage() +
                ": the directory " + location.path().getParent() + " does not exist");
        }
    }

    /**
     * Fail before building anything when the name is taken, so that processes racing to open or create a large
     * region do not each allocate it; the link at the end stays the check that counts.
     */
    private static void refuseTakenName(final RegionLocation location)
    {
        if (Files.isDirectory(location.path(), LinkOption.NOFOLLOW_LINKS))
        {
            throw PosixErrors.error("create", location.toString(), Errno.EISDIR);
        }
        if (Files.exists(location.path(), LinkOption.NOFOLLOW_LINKS))
        {
            throw PosixErrors.error("create", location.toString(), Errno.EEXIST);
        }
    }

    /**
     * Allocate the file's backing store now, so a full file system fails here rather than with {@code SIGBUS}
     * later. When it is full because another process created the region meanwhile, the name is taken: that is
     * the error to report.
     */
    private static void allocate(final int fd, final long length, final RegionLocation location)
    {
        try
        {
            Posix.fallocate(fd, length, location.toString(), usableSpace(location));
        }
        catch (final RegionNoSpaceException ex)
        {
            if (location.isNamed())
            {
                refuseTakenName(location);
            }
            throw ex;
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
        final int entries = layout.directoryCapacity();
        layout.allocateCounters(
            segment.buffer(layout.countersMetadataOffset(), CountersDescriptor.metadataLength(entries)),
            segment.buffer(layout.countersValuesOffset(), CountersDescriptor.valuesLength(entries)));
        // The channel buffers are zero from ftruncate: an empty Agrona ring or broadcast buffer.
    }

    private static long usableSpace(final RegionLocation location)
    {
        try
        {
            // An anonymous memory file takes its pages from the same memory as /dev/shm, within its own limits.
            return Files.getFileStore(location.isNamed() ? location.path().getParent() : Path.of("/dev/shm"))
                .getUsableSpace();
        }
        catch (final IOException | RuntimeException ex)
        {
            return -1;
        }
    }

    private static void unlinkTemporary(final Path temporary, final int fd, final String name)
    {
        try
        {
            if (RegionFiles.isStillLinked(temporary, fd, name))
            {
                RegionFiles.unlink(temporary, name);
            }
        }
        catch (final ShmIpcException ex)
        {
            // The region is at its name; a temporary name left beside it is removed by stale-region cleanup.
        }
    }

    private static void abandon(
        final Path temporary, final int fd, final int probeFd, final MappedSegment segment, final String name)
    {
        if (temporary != null)
        {
            unlinkTemporary(temporary, fd, name);
        }
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
}
