package io.shmipc.directory;

import io.shmipc.wait.Timeouts;
import com.sun.jna.Memory;
import io.shmipc.exceptions.CorruptRegionException;
import io.shmipc.layout.ChannelLayout;
import io.shmipc.layout.DirectoryDescriptor;
import io.shmipc.layout.DirectoryReader;
import io.shmipc.layout.LayoutReader;
import io.shmipc.wait.Futex;
import io.shmipc.wait.InterruptHook;
import org.agrona.concurrent.UnsafeBuffer;

import java.util.List;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

import static io.shmipc.layout.RegionHeaderDescriptor.DIRECTORY_CHANGE_COUNT_OFFSET;

/**
 * The directory of a live region as readers see it, without its lock: the channels READY now, one by name, whether
 * a channel read earlier is still the same, and the Directory Change Count, on which a reader may sleep until a
 * channel is added or removed. Works over a read-only mapping (tools) as over a read-write one.
 */
public final class DirectoryView
{
    /** Longest sleep between two looks at the change count where no futex is available. */
    private static final long PARK_SLICE_NS = 1_000_000L;
    /**
     * Longest futex sleep between two looks at the stop condition. A close wakes the sleepers, but a thread about to
     * sleep as the mapping is replaced by its placeholder sleeps on the placeholder, which nobody wakes: it must look
     * again well within the placeholder's linger.
     */
    private static final long STOP_LOOK_NS = 100_000_000L;

    private final String region;
    private final UnsafeBuffer metadata;
    private final LayoutReader.Header header;
    private final long changeCountAddress;

    /**
     * A view of one region's directory.
     *
     * @param region   the region, for messages.
     * @param metadata a buffer over the header and directory.
     * @param header   the header, validated when the region was opened.
     */
    public DirectoryView(final String region, final UnsafeBuffer metadata, final LayoutReader.Header header)
    {
        this.region = region;
        this.metadata = metadata;
        this.header = header;
        this.changeCountAddress = metadata.addressOffset() + DIRECTORY_CHANGE_COUNT_OFFSET;
    }

    /**
     * The channels present now and the change count they go with: the same count read before and after every
     * entry, so the list is the directory as it was after that many changes.
     *
     * @param changeCount the Directory Change Count.
     * @param channels    the READY channels, in entry order.
     */
    public record Listing(int changeCount, List<ChannelLayout> channels)
    {
    }

    /**
     * The header fields validated when the region was opened.
     *
     * @return the header.
     */
    public LayoutReader.Header header()
    {
        return header;
    }

    /**
     * The buffer over the header and directory.
     *
     * @return the buffer.
     */
    UnsafeBuffer metadata()
    {
        return metadata;
    }

    /**
     * How many channels have been added or removed since the region was created (wrapping at 2^32).
     *
     * @return the count, loaded with acquire semantics.
     */
    public int changeCount()
    {
        return metadata.getIntAcquire(DIRECTORY_CHANGE_COUNT_OFFSET);
    }

    /**
     * The READY channels now, as one consistent snapshot.
     *
     * @return the channels, in entry order.
     * @throws io.shmipc.exceptions.CorruptRegionException naming the first invalid field.
     */
    public List<ChannelLayout> channels()
    {
        return DirectoryReader.channels(metadata, header, region);
    }

    /**
     * The channels now with the change count they go with.
     *
     * @return the listing.
     * @throws io.shmipc.exceptions.CorruptRegionException naming the first invalid field;
     *                                                     {@link DirectoryReader.Unsettled} when changes overtook
     *                                                     every read.
     */
    public Listing listing()
    {
        for (int attempt = 0; attempt < DirectoryReader.MAX_ATTEMPTS; attempt++)
        {
            final int before = changeCount();
            final List<ChannelLayout> channels = channels();
            final int after = changeCount();
            if (before == after)
            {
                return new Listing(after, channels);
            }
        }
        throw DirectoryReader.unsettled(region, "directoryChangeCount");
    }

    /**
     * A READY channel by name, read now.
     *
     * @param name the channel name.
     * @return the channel, or {@code null} when there is none of that name.
     * @throws io.shmipc.exceptions.CorruptRegionException naming the field of the first invalid entry met.
     */
    public ChannelLayout find(final String name)
    {
        return DirectoryReader.find(metadata, header, name, region);
    }

    /**
     * Whether a channel read earlier is still in its entry, unchanged (not removed, nor removed and added again).
     * The entry is read and validated again: a field changed under an unchanged status is damage.
     *
     * @param channel the channel as read.
     * @return true when its entry's status is the one it was read under.
     * @throws io.shmipc.exceptions.CorruptRegionException naming the field when the entry is invalid now, or holds
     *                                                     other values under the same status.
     */
    public boolean isCurrent(final ChannelLayout channel)
    {
        if (DirectoryReader.status(metadata, channel.index()) != channel.entryStatus())
        {
            return false;
        }
        final ChannelLayout now = DirectoryReader.entry(metadata, header, channel.index(), region);
        if (now == null || now.entryStatus() != channel.entryStatus())
        {
            return false;
        }
        if (!now.equals(channel))
        {
            throw new CorruptRegionException(region, "directory[" + channel.index() + "]", channel.toString(),
                now + " under the same entry status");
        }
        return true;
    }

    /**
     * Whether an entry is FREE now.
     *
     * @param index the entry index.
     * @return true when it holds no channel.
     */
    boolean isFree(final int index)
    {
        return DirectoryDescriptor.state(DirectoryReader.status(metadata, index)) == DirectoryDescriptor.ENTRY_FREE;
    }

    /**
     * Sleep until the change count is no longer {@code seen}, for at most {@code timeoutNs}, or until {@code stop}
     * says so (checked after every wake-up, see {@link #wakeWaiters()}, and at least every 100 ms), or until the
     * thread is interrupted (its status stays set). The interrupt wakes the word without changing it (the count is
     * the directory's), so one that comes just before the sleep begins is seen at the next look, within 100 ms.
     *
     * @param seen      the count last seen.
     * @param timeoutNs longest wait.
     * @param stop      whether to stop waiting at once.
     * @return the count now: {@code seen} when the timeout passed without a change.
     */
    public int awaitChange(final int seen, final long timeoutNs, final BooleanSupplier stop)
    {
        final long deadline = System.nanoTime() + Timeouts.nanos(timeoutNs);
        final InterruptHook interruptHook = new InterruptHook(this::wakeWaiters);
        try (Memory timespec = Futex.isAvailable() ? Futex.newTimespec() : null)
        {
            while (true)
            {
                final int now = changeCount();
                final long remaining = deadline - System.nanoTime();
                if (now != seen || remaining <= 0 || stop.getAsBoolean() || Thread.currentThread().isInterrupted())
                {
                    return now;
                }
                if (timespec != null)
                {
                    Futex.await(changeCountAddress, seen, Math.min(remaining, STOP_LOOK_NS), timespec, interruptHook);
                }
                else
                {
                    LockSupport.parkNanos(Math.min(remaining, PARK_SLICE_NS));
                }
            }
        }
    }

    /**
     * Wake every thread asleep in {@link #awaitChange}, of any process (the others find nothing changed and sleep
     * again), so that one whose stop condition turned true leaves. Without a futex the sleepers look every
     * {@code PARK_SLICE_NS}.
     */
    public void wakeWaiters()
    {
        if (Futex.isAvailable())
        {
            Futex.wake(changeCountAddress, Integer.MAX_VALUE);
        }
    }

    /**
     * The address of the change count, a futex word.
     *
     * @return the address.
     */
    public long changeCountAddress()
    {
        return changeCountAddress;
    }
}
