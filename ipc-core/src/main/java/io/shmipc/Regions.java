package io.shmipc;

import io.shmipc.exceptions.ShmIpcException;
import io.shmipc.layout.DirectoryReader;
import io.shmipc.layout.LayoutReader;
import io.shmipc.layout.RegionLayout;
import io.shmipc.liveness.RegionLocks;
import io.shmipc.posix.FileStat;
import io.shmipc.posix.MappedSegment;
import io.shmipc.posix.Posix;
import io.shmipc.posix.PosixPlatform;
import io.shmipc.region.AgronaAccess;
import io.shmipc.region.AnonymousRegionScan;
import io.shmipc.region.RegionFiles;
import io.shmipc.region.RegionRemoval;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import static io.shmipc.layout.RegionHeaderDescriptor.*;

/**
 * Finding regions and removing stale ones, without a daemon: whether a region is in use is asked of the kernel's
 * OFD locks, so a region is never called stale while any process, in any container sharing the file, has it open.
 */
public final class Regions
{
    /** Where POSIX shared-memory objects live on Linux. */
    public static final Path SHM_DIRECTORY = Path.of("/dev/shm");

    private Regions()
    {
    }

    /**
     * Every shm-ipc region in a directory (files whose first bytes are the region magic). Other files are
     * ignored, and so are files this process may not read.
     *
     * @param directory {@link #SHM_DIRECTORY} or any directory of file-backed regions.
     * @return the regions, by name.
     * @throws UncheckedIOException when the directory cannot be read (it does not exist, or is not a directory).
     */
    public static List<RegionSummary> list(final Path directory)
    {
        AgronaAccess.verify();
        PosixPlatform.ensureSupported();
        final List<RegionSummary> regions = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(directory))
        {
            for (final Path entry : entries)
            {
                if (!Files.isRegularFile(entry, LinkOption.NOFOLLOW_LINKS))
                {
                    continue;
                }
                try
                {
                    final RegionSummary summary = summarize(locationOf(directory, entry));
                    if (summary != null)
                    {
                        regions.add(summary);
                    }
                }
                catch (final ShmIpcException ex)
                {
                    // Unreadable or vanished while listing: not ours to report.
                }
            }
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot list regions in " + directory, ex);
        }
        regions.sort(Comparator.comparing(summary -> summary.location().toString()));
        return regions;
    }

    /**
     * The anonymous regions of the running processes this process may look into, found through
     * {@code /proc/<pid>/fd} (links {@code /memfd:shmipc:<label>}): its own user's dumpable processes, or every
     * process when it runs as root. Holders make themselves undumpable by default, so other users' tools, and the
     * same user's, see them only as root. Each region is listed once, with every holder seen (each process once, with
     * its first descriptor of the region).
     *
     * @return the regions, in the order their first holder was found.
     */
    public static List<AnonymousRegionSummary> listAnonymous()
    {
        AgronaAccess.verify();
        PosixPlatform.ensureSupported();
        final List<AnonymousRegionSummary> regions = new ArrayList<>();
        for (final AnonymousRegionScan.Found found : AnonymousRegionScan.scan())
        {
            final List<AnonymousRegionSummary.Holder> holders = new ArrayList<>();
            long previousPid = -1;
            for (final AnonymousRegionScan.Descriptor descriptor : found.descriptors())
            {
                if (descriptor.pid() != previousPid) // a holder keeps two descriptors: its locks' and its probes'
                {
                    holders.add(new AnonymousRegionSummary.Holder(descriptor.pid(), descriptor.fd()));
                    previousPid = descriptor.pid();
                }
            }
            for (final AnonymousRegionSummary.Holder holder : holders)
            {
                try
                {
                    final RegionSummary summary = summarize(holder.location());
                    if (summary != null)
                    {
                        regions.add(new AnonymousRegionSummary(found.label(), summary, List.copyOf(holders)));
                    }
                    break;
                }
                catch (final ShmIpcException ex)
                {
                    // That holder closed its descriptor meanwhile: try the next.
                }
            }
        }
        return regions;
    }

    /**
     * Describe one region without attaching or mapping it (the header is read with {@code pread}): header state,
     * channel count, owner and liveness. A creator's file under a {@linkplain RegionFiles#isTemporaryName
     * temporary name} (on a file system without unnamed files) is described too, before its magic is written.
     *
     * @param location the region.
     * @return the summary, or {@code null} when the file is not a shm-ipc region.
     */
    public static RegionSummary summarize(final RegionLocation location)
    {
        final String name = location.toString();
        final int fd = RegionFiles.open(location, RegionFiles.READ_ONLY);
        try
        {
            final FileStat stat = Posix.fstat(fd, name);
            if (!stat.isRegularFile())
            {
                return null;
            }
            final UnsafeBuffer header = new UnsafeBuffer(
                Posix.readStart(fd, (int)Math.min(stat.size(), HEADER_LENGTH), name));
            final long magic = header.capacity() >= Long.BYTES ? header.getLong(MAGIC_OFFSET) : 0;
            final boolean temporary = location.isNamed() &&
                RegionFiles.isTemporaryName(location.path().getFileName().toString());
            if (magic != MAGIC && !(temporary && magic == 0))
            {
                return null;
            }
            final int state = header.capacity() >= HEADER_LENGTH ? header.getInt(STATE_OFFSET) : STATE_NEW;
            int channelCount = -1;
            if (state == STATE_READY)
            {
                channelCount = countChannels(fd, header, stat.size(), name);
            }
            final RegionLocks locks = new RegionLocks(name, fd, fd);
            final RegionLiveness liveness = locks.isHeld(USERS_LOCK_OFFSET) ? RegionLiveness.LIVE :
                locks.isHeld(INIT_LOCK_OFFSET) ? RegionLiveness.INITIALISING : RegionLiveness.STALE;
            return new RegionSummary(location, stat.size(), state, channelCount, stat.uid(), stat.permissions(),
                liveness);
        }
        finally
        {
            Posix.close(fd, name);
        }
    }

    /**
     * Delete every stale region in a directory; live and initialising ones are left alone.
     *
     * @param directory {@link #SHM_DIRECTORY} or any directory of file-backed regions.
     * @param dryRun    only report what would be deleted.
     * @return the regions deleted (or that would be).
     */
    public static List<RegionSummary> cleanStale(final Path directory, final boolean dryRun)
    {
        final List<RegionSummary> cleaned = new ArrayList<>();
        for (final RegionSummary summary : list(directory))
        {
            if (summary.liveness() == RegionLiveness.STALE &&
                (dryRun ? isProvenStale(summary.location()) : deleteIfStale(summary.location())))
            {
                cleaned.add(summary);
            }
        }
        return cleaned;
    }

    /**
     * Delete a region if, and only if, it is proven to be a shm-ipc region and no process has it open or is
     * creating it. Proven: a regular file with the region magic and this library's major version, READY (and no
     * process holds its users byte) or INITIALISING (and no process holds its init byte, so its creator died); a
     * creator's file under a temporary name counts before its magic is written. Race-safe: the check holds write
     * locks on the users and init bytes until the name is gone, and a process attaching meanwhile waits and then
     * finds no region. Anything else (a FIFO, another program's file, an empty file) is never deleted.
     *
     * @param location the region.
     * @return true when it was proven, stale, and is deleted; false also when this process may not write the file
     *         (it can neither prove it under the locks nor remove it), its file system is read-only, or a directory
     *         is at the name.
     * @throws io.shmipc.exceptions.RegionPermissionException for a symbolic link at the name, which is never
     *                                                        followed.
     */
    public static boolean deleteIfStale(final RegionLocation location)
    {
        return RegionRemoval.unlinkIfStale(location);
    }

    /**
     * Whether {@link #deleteIfStale} would delete a region now: the same proof, without deleting (a process may
     * attach, or the last one leave, a moment later).
     *
     * @param location the region.
     * @return true when it is proven a shm-ipc region, and stale.
     */
    public static boolean isProvenStale(final RegionLocation location)
    {
        return RegionRemoval.isProvenStale(location);
    }

    /**
     * The channels present now, or -1 when the header or directory does not validate.
     */
    private static int countChannels(final int fd, final UnsafeBuffer header, final long size, final String name)
    {
        try
        {
            final LayoutReader.Header validated = LayoutReader.validateHeader(header, size, name);
            try (MappedSegment directory = MappedSegment.map(fd, validated.metadataLength(), false, name))
            {
                return DirectoryReader.channels(directory.buffer(0, validated.metadataLength()), validated, name)
                    .size();
            }
        }
        catch (final ShmIpcException ex)
        {
            return -1;
        }
    }

    private static RegionLocation locationOf(final Path directory, final Path entry)
    {
        final String fileName = entry.getFileName().toString();
        if (directory.toAbsolutePath().normalize().equals(SHM_DIRECTORY) && RegionLayout.nameProblem(fileName) == null)
        {
            return RegionLocation.shm(fileName);
        }
        return RegionLocation.file(entry);
    }
}
