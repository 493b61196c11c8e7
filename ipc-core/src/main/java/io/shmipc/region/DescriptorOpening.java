package io.shmipc.region;

import io.shmipc.RegionLocation;
import io.shmipc.directory.ChannelDirectory;
import io.shmipc.exceptions.CorruptRegionException;
import io.shmipc.exceptions.RegionStaleException;
import io.shmipc.handoff.HandoffClient;
import io.shmipc.handoff.HandoffProtocol;
import io.shmipc.layout.LayoutReader;
import io.shmipc.layout.RegionLayout;
import io.shmipc.liveness.RegionLocks;
import io.shmipc.posix.FileStat;
import io.shmipc.posix.MappedSegment;
import io.shmipc.posix.MemoryFiles;
import io.shmipc.posix.Posix;
import io.shmipc.posix.PosixPlatform;
import org.agrona.concurrent.UnsafeBuffer;

import java.time.Duration;

import static io.shmipc.layout.RegionHeaderDescriptor.*;

/**
 * Attaching to a region that has no name: the anonymous region handed to this process (its descriptor received
 * from the process that started this one), or a region reached through a running process's descriptor
 * ({@code /proc/<pid>/fd/<fd>}). Either way this process opens the file again for an open file description of its
 * own, so that its OFD locks, and with them its endpoints' liveness, are its own and die with it. An anonymous
 * region must carry its seals; then, as for any region, every header and directory field is validated before use.
 */
public final class DescriptorOpening
{
    private static final int SIZE_SEALS = PosixPlatform.F_SEAL_SHRINK | PosixPlatform.F_SEAL_GROW;

    private DescriptorOpening()
    {
    }

    /**
     * Attach a region that has no name.
     *
     * @param location            an anonymous or a descriptor location.
     * @param timeout             longest wait for the hand-off's answer.
     * @param keepProcessDumpable leave this process dumpable; otherwise it is made undumpable before an anonymous
     *                            region is received.
     * @return the region.
     */
    public static MappedRegion attach(final RegionLocation location, final Duration timeout,
        final boolean keepProcessDumpable)
    {
        AgronaAccess.verify();
        PosixPlatform.ensureSupported();
        final String name = location.toString();
        final int fd;
        if (location.isAnonymous())
        {
            final String label = location.anonymousLabel();
            final String handoff = System.getenv(HandoffProtocol.environmentVariable(label));
            if (handoff != null && !keepProcessDumpable)
            {
                MemoryFiles.makeProcessUndumpable(name);
            }
            final int received = HandoffClient.receive(label, handoff, timeout, name);
            try
            {
                fd = RegionFiles.reopen(received, PosixPlatform.O_RDWR, name);
            }
            finally
            {
                Posix.close(received, name);
            }
        }
        else
        {
            fd = RegionFiles.open(location, RegionFiles.READ_WRITE);
        }
        return attachOpenFile(location, fd);
    }

    private static MappedRegion attachOpenFile(final RegionLocation location, final int fd)
    {
        final String name = location.toString();
        int probeFd = -1;
        MappedSegment segment = null;
        boolean done = false;
        try
        {
            probeFd = RegionFiles.reopenForProbes(fd, name);
            final RegionLocks locks = new RegionLocks(name, fd, probeFd);
            final FileStat stat = RegionFiles.regularFileStat(fd, name);
            final int seals = MemoryFiles.seals(fd, name);
            if (location.isAnonymous() && (seals & MemoryFiles.REGION_SEALS) != MemoryFiles.REGION_SEALS)
            {
                throw new CorruptRegionException(name, "file.seals", "F_SEAL_SHRINK|F_SEAL_GROW|F_SEAL_SEAL (" +
                    MemoryFiles.REGION_SEALS + ")", Integer.toString(seals));
            }
            if (stat.size() < HEADER_LENGTH)
            {
                throw new CorruptRegionException(name, "file.size", "at least the header length " + HEADER_LENGTH,
                    Long.toString(stat.size()));
            }
            segment = MappedSegment.map(fd, stat.size(), true, name);
            final UnsafeBuffer header = segment.buffer(0, HEADER_LENGTH);
            final int state = header.getIntAcquire(STATE_OFFSET);
            LayoutReader.checkMagicAndVersion(header, name);
            if (state != STATE_READY)
            {
                throw new CorruptRegionException(name, "header.state", STATE_READY + " (a region is handed on READY)",
                    Integer.toString(state));
            }
            final LayoutReader.Header validated = LayoutReader.validateHeader(header, stat.size(), name);
            final MappedSegment mapping = segment;
            final RegionLayout layout = ChannelDirectory.readSettled(locks, name, () -> LayoutReader.readDirectory(
                mapping.buffer(0, validated.metadataLength()), validated, name));
            if (!locks.holdShared(USERS_LOCK_OFFSET))
            {
                throw new RegionStaleException(name, "region is being deleted as stale: region=" + name);
            }
            RegionOpening.checkPositions(segment, layout, name);
            final MappedRegion region = new MappedRegion(location, fd, probeFd, locks, segment, layout, false,
                (seals & SIZE_SEALS) == SIZE_SEALS);
            done = true;
            return region;
        }
        finally
        {
            if (!done)
            {
                RegionOpening.closeQuietly(segment, probeFd, fd, name);
            }
        }
    }
}
