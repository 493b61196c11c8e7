package io.shmipc.region;

import com.sun.jna.Memory;
import io.shmipc.RegionLocation;
import io.shmipc.directory.ChannelDirectory;
import io.shmipc.directory.DirectoryView;
import io.shmipc.exceptions.CorruptRegionException;
import io.shmipc.exceptions.InvalidConfigurationException;
import io.shmipc.exceptions.RegionClosedException;
import io.shmipc.handoff.HandoffGrant;
import io.shmipc.handoff.HandoffServer;
import io.shmipc.layout.CountersDescriptor;
import io.shmipc.layout.RegionLayout;
import io.shmipc.liveness.RegionLocks;
import io.shmipc.posix.MappedBuffer;
import io.shmipc.posix.MappedSegment;
import io.shmipc.posix.Posix;

/**
 * One region file opened by this process, mapped and validated: its two descriptors (one holding the locks, one
 * for probes that must see this process's own locks as another process would), its locks, its mapping and its
 * layout. {@link RegionOpening} makes one; the region handle and the endpoints it opens share it; {@link #close}
 * releases everything at once.
 */
public final class MappedRegion
{
    private final RegionLocation location;
    private final String name;
    private final int fd;
    private final int probeFd;
    private final RegionLocks locks;
    private final MappedSegment segment;
    private final RegionLayout layout;
    private final boolean created;
    private final ChannelDirectory directory;
    private final boolean sizeSealed;
    /** {@code struct stat} for {@link #truncation()}, used only under the locks' monitor; freed at close. */
    private final Memory sizeScratch = Posix.newStatBuffer();
    private HandoffServer handoffServer;
    /** Set, under this monitor, when {@link #close} takes the hand-off server away: no grant starts another. */
    private boolean handoffsStopped;

    MappedRegion(
        final RegionLocation location,
        final int fd,
        final int probeFd,
        final RegionLocks locks,
        final MappedSegment segment,
        final RegionLayout layout,
        final boolean created,
        final boolean sizeSealed)
    {
        this.location = location;
        this.name = location.toString();
        this.fd = fd;
        this.probeFd = probeFd;
        this.locks = locks;
        this.segment = segment;
        this.layout = layout;
        this.created = created;
        this.directory = new ChannelDirectory(name, new DirectoryView(name, segment.buffer(0, layout.metadataLength()),
            layout.header()), locks, segment, layout);
        this.sizeSealed = sizeSealed;
    }

    /**
     * Where the region lives.
     *
     * @return the location.
     */
    public RegionLocation location()
    {
        return location;
    }

    /**
     * The region's name, for messages.
     *
     * @return the location as text.
     */
    public String name()
    {
        return name;
    }

    /**
     * The layout validated when the region was opened: its limits, and the channels it held then (channels are
     * added and removed at runtime: ask the {@link #directory()}).
     *
     * @return the layout.
     */
    public RegionLayout layout()
    {
        return layout;
    }

    /**
     * The region's directory: channels now, added and removed.
     *
     * @return the directory.
     */
    public ChannelDirectory directory()
    {
        return directory;
    }

    /**
     * Whether this process created the region (rather than attached to it).
     *
     * @return true for the creator.
     */
    public boolean wasCreated()
    {
        return created;
    }

    /**
     * Whether the file's size is sealed ({@code F_SEAL_SHRINK} and {@code F_SEAL_GROW}, an anonymous region): no
     * process can truncate it, so the periodic size check is skipped.
     *
     * @return true for a sealed region.
     */
    public boolean isSizeSealed()
    {
        return sizeSealed;
    }

    /**
     * This process's descriptor of the region (the one its locks are held through).
     *
     * @return the descriptor, valid until {@link #close}.
     */
    public int descriptor()
    {
        return fd;
    }

    /**
     * Leave for one process, to be started, to attach this anonymous region: the hand-off server starts with the
     * first grant and stops when the region closes.
     *
     * @return the grant.
     * @throws InvalidConfigurationException for any region but an anonymous one.
     */
    public synchronized HandoffGrant grantHandoff()
    {
        // Once the close has begun, a server started now would serve a descriptor the close is about to release.
        if (handoffsStopped || segment.isClosed())
        {
            throw new RegionClosedException(name, "region is closed: region=" + name);
        }
        if (!location.isAnonymous())
        {
            throw new InvalidConfigurationException(name, "only an anonymous region (created here or handed to " +
                "this process) is handed on: region=" + name + (location.isNamed() ? " is opened by name" : ""));
        }
        if (handoffServer == null)
        {
            handoffServer = HandoffServer.start(name, location.anonymousLabel(), probeFd);
        }
        return handoffServer.grant();
    }

    /**
     * The region's OFD locks.
     *
     * @return the locks.
     */
    public RegionLocks locks()
    {
        return locks;
    }

    /**
     * A buffer over part of the mapping.
     *
     * @param offset from the start of the region.
     * @param length bytes.
     * @return a new buffer over that window.
     */
    public MappedBuffer buffer(final long offset, final int length)
    {
        return segment.buffer(offset, length);
    }

    /**
     * A buffer over the counters values of every directory entry.
     *
     * @return a new buffer.
     */
    public MappedBuffer counterValues()
    {
        return segment.buffer(layout.countersValuesOffset(),
            CountersDescriptor.valuesLength(layout.directoryCapacity()));
    }

    /**
     * Fail with the typed error when the file is now shorter than the region: another process truncated it under
     * the mapping. Touching a mapped page past the end of the file raises {@code SIGBUS}, which HotSpot does not
     * report reliably (interpreted code reads garbage and gets the {@link InternalError} only at some later
     * safepoint, compiled code gets it asynchronously), so endpoints ask {@code fstat} from time to time instead.
     *
     * @param statScratch a {@code struct stat} buffer of the caller's ({@link Posix#newStatBuffer()}), so the check
     *                    allocates nothing.
     * @throws CorruptRegionException on field {@code file.size} when the file was truncated.
     * @throws RegionClosedException  once the region is closing (its descriptors are, or are about to be, closed).
     */
    public void checkNotTruncated(final Memory statScratch)
    {
        if (sizeSealed)
        {
            return;
        }
        final long size;
        synchronized (locks)
        {
            ensureDescriptorsOpen();
            size = Posix.fileSize(fd, statScratch, name);
        }
        if (size < layout.regionLength())
        {
            throw truncated(size);
        }
    }

    /**
     * The typed error for a file truncated under the mapping, when it is: asks {@code fstat} now, into the region's
     * own scratch buffer (used under the locks' monitor), so a check that finds the file whole allocates nothing:
     * sleepers run it after every sleep.
     *
     * @return the error on field {@code file.size}, or null when the file is whole.
     * @throws RegionClosedException once the region is closing.
     */
    public CorruptRegionException truncation()
    {
        if (sizeSealed)
        {
            return null; // no process can shrink it
        }
        final long size;
        synchronized (locks)
        {
            ensureDescriptorsOpen();
            size = Posix.fileSize(fd, sizeScratch, name);
        }
        return size < layout.regionLength() ? truncated(size) : null;
    }

    /**
     * Stop using the file's pages after a truncation: the mapping is replaced, at the same addresses, by private
     * memory reading zeros (as at close), so that no thread of this process faults on it again. The descriptors and
     * locks stay until {@link #close(boolean)}.
     */
    public void releaseTruncatedMapping()
    {
        segment.close();
    }

    /**
     * Keep the mapping's addresses reserved for the life of the process once it is closed (see
     * {@link MappedSegment#keepAddresses()}).
     */
    public void keepAddressesAfterClose()
    {
        segment.keepAddresses();
    }

    /**
     * Whether the mapping's addresses stay reserved for the life of the process once closed.
     *
     * @return true once asked to keep them.
     */
    public boolean keepsAddressesAfterClose()
    {
        return segment.keepsAddresses();
    }

    /**
     * Whether the file has lost every name while this process has it open (its link count is 0). An anonymous
     * region never had a name to lose: false.
     *
     * @return true once unlinked.
     */
    public boolean isUnlinked()
    {
        return location.isNamed() && RegionFiles.linkCount(fd, name) == 0;
    }

    /**
     * A new read-only descriptor of the file (another open file description), named or not; the caller closes it.
     *
     * @return the descriptor.
     */
    public int reopenReadOnly()
    {
        return RegionFiles.reopenForProbes(fd, name);
    }

    /**
     * Flush a file-backed region to its file ({@code msync} with {@code MS_SYNC}): when it returns, every write made
     * through the mapping before the call is on the file's storage.
     */
    public void sync()
    {
        segment.sync();
    }

    /**
     * Release everything: stop lock probes, unmap, unlink the name if asked and it still names this region (checked
     * while this process holds the region open), then close both descriptors, which drops every lock. Close every
     * endpoint first.
     *
     * @param unlinkName whether to remove the region's name.
     */
    public void close(final boolean unlinkName)
    {
        final HandoffServer server;
        synchronized (this)
        {
            server = handoffServer;
            handoffServer = null;
            handoffsStopped = true;
        }
        if (server != null)
        {
            server.close();
        }
        locks.close();
        sizeScratch.close(); // after the monitor was taken and the locks closed: no check uses it any more
        segment.close();
        if (unlinkName)
        {
            RegionRemoval.unlinkIfStillLinked(location, fd);
        }
        Posix.close(probeFd, name);
        Posix.close(fd, name);
    }

    /**
     * Descriptors are closed only after {@link RegionLocks#close()}, which takes the same monitor: a system call made
     * under it after this check never meets a closed descriptor, nor a reused one that names another file.
     */
    private void ensureDescriptorsOpen()
    {
        if (locks.isClosed())
        {
            throw new RegionClosedException(name, "region is closed: region=" + name);
        }
    }

    private CorruptRegionException truncated(final long size)
    {
        return truncated(name, layout.regionLength(), size);
    }

    /**
     * The typed error for a region file truncated under a mapping of it, from this handle or another view of it.
     *
     * @param region       the region's name.
     * @param regionLength the length its layout needs.
     * @param size         the file's size now.
     * @return the error on field {@code file.size}.
     */
    public static CorruptRegionException truncated(final String region, final long regionLength, final long size)
    {
        return new CorruptRegionException(region, "file.size", "the region length " + regionLength +
            " (the file was truncated while mapped)", Long.toString(size));
    }
}
