package io.shmipc;

import io.shmipc.wait.Timeouts;
import io.shmipc.channel.ChannelPeek;
import io.shmipc.directory.ChannelDirectory;
import io.shmipc.directory.DirectoryView;
import io.shmipc.exceptions.CorruptRegionException;
import io.shmipc.exceptions.NoSuchChannelException;
import io.shmipc.exceptions.RegionClosedException;
import io.shmipc.exceptions.RegionStaleException;
import io.shmipc.layout.ChannelDescriptor;
import io.shmipc.layout.ChannelLayout;
import io.shmipc.layout.CountersDescriptor;
import io.shmipc.layout.LayoutReader;
import io.shmipc.layout.RegionLayout;
import io.shmipc.liveness.RegionLocks;
import io.shmipc.posix.FileStat;
import io.shmipc.posix.MappedSegment;
import io.shmipc.posix.Posix;
import io.shmipc.posix.PosixPlatform;
import io.shmipc.region.AgronaAccess;
import io.shmipc.region.MappedRegion;
import io.shmipc.region.RegionFiles;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.status.CountersReader;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import static io.shmipc.layout.EndpointDescriptor.*;
import static io.shmipc.layout.RegionHeaderDescriptor.*;

/**
 * A read-only view of a region for tools: the file is opened {@code O_RDONLY} and mapped {@code PROT_READ}, and
 * nothing is written, so inspecting never changes the region or anyone's view of it. The one lock taken is the
 * Directory Lock, shared, for the last try of a directory read that faster changes overtook 1000 times in a row
 * (it holds changes off for that one read: docs/layout.md, "Discovery"). Every
 * value is validated as in {@link Region#attach(RegionLocation, java.time.Duration)}. The directory is read again
 * by every call, so a tool follows channels as they are added and removed ({@link #awaitChannelChange}).
 * Thread-safe: a {@link #close()} from another thread wakes a thread in {@link #awaitChannelChange}, and every call
 * that reads the region and overlaps the close, or comes after it, fails with {@link RegionClosedException} instead
 * of returning what it read; the file stays open until the last such call has left. What was read at opening and
 * is fixed for the region's life ({@link #location()}, {@link #length()}, {@link #maxChannels()},
 * {@link #dataAreaLength()}) stays readable after the close.
 */
public final class RegionInspector implements AutoCloseable
{
    private static final int CLOSED = 1 << 30;

    private final RegionLocation location;
    private final String name;
    private final int fd;
    private final MappedSegment segment;
    private final RegionLayout layout;
    private final RegionLocks locks;
    private final UnsafeBuffer header;
    private final UnsafeBuffer values;
    private final DirectoryView directory;
    /** Calls inside the view, and {@link #CLOSED} once closed: the descriptor is closed when both say so. */
    private final AtomicInteger state = new AtomicInteger();

    private RegionInspector(final RegionLocation location, final int fd, final MappedSegment segment,
        final RegionLayout layout, final RegionLocks locks)
    {
        this.location = location;
        this.name = location.toString();
        this.fd = fd;
        this.segment = segment;
        this.layout = layout;
        this.locks = locks;
        this.header = segment.buffer(0, HEADER_LENGTH);
        this.values = segment.buffer(layout.countersValuesOffset(),
            CountersDescriptor.valuesLength(layout.directoryCapacity()));
        this.directory = new DirectoryView(name, segment.buffer(0, layout.metadataLength()), layout.header());
    }

    /**
     * Open a READY region for inspection.
     *
     * @param location the region.
     * @return the inspector.
     * @throws io.shmipc.exceptions.RegionNotFoundException when it does not exist.
     * @throws RegionStaleException                         when it was never made READY.
     * @throws CorruptRegionException                       when its layout is invalid.
     */
    public static RegionInspector open(final RegionLocation location)
    {
        AgronaAccess.verify();
        PosixPlatform.ensureSupported();
        return open(location, RegionFiles.open(location, RegionFiles.READ_ONLY));
    }

    /**
     * A read-only view of a region this process has open, through its own descriptor of the same file: it works
     * also after the region's name was unlinked ({@link Region#isUnlinked()}), for example for a publisher to count
     * what its consumer left unread. Closing the view leaves the region open.
     *
     * @param region an open region.
     * @return the inspector.
     * @throws io.shmipc.exceptions.RegionClosedException when the region is closed.
     */
    public static RegionInspector of(final Region region)
    {
        region.openEndpoints().ensureOpen();
        return open(region.location(), region.mapped().reopenReadOnly());
    }

    private static RegionInspector open(final RegionLocation location, final int fd)
    {
        final String name = location.toString();
        MappedSegment segment = null;
        boolean done = false;
        try
        {
            final FileStat stat = RegionFiles.regularFileStat(fd, name);
            if (stat.size() < HEADER_LENGTH)
            {
                throw new CorruptRegionException(name, "file.size", "at least the header length " + HEADER_LENGTH,
                    Long.toString(stat.size()));
            }
            segment = MappedSegment.map(fd, stat.size(), false, name);
            final UnsafeBuffer header = segment.buffer(0, HEADER_LENGTH);
            LayoutReader.checkMagicAndVersion(header, name);
            final int state = header.getIntAcquire(STATE_OFFSET);
            if (state != STATE_READY)
            {
                throw new RegionStaleException(name, "region is not READY: region=" + name + " state=" + state);
            }
            final LayoutReader.Header validated = LayoutReader.validateHeader(header, stat.size(), name);
            final RegionLocks locks = new RegionLocks(name, fd, fd);
            final UnsafeBuffer metadata = segment.buffer(0, validated.metadataLength());
            final RegionLayout layout = ChannelDirectory.readSettled(locks, name,
                () -> LayoutReader.readDirectory(metadata, validated, name));
            final RegionInspector inspector = new RegionInspector(location, fd, segment, layout, locks);
            done = true;
            return inspector;
        }
        finally
        {
            if (!done)
            {
                if (segment != null)
                {
                    segment.close();
                }
                Posix.close(fd, name);
            }
        }
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
     * The region length.
     *
     * @return bytes.
     */
    public long length()
    {
        return layout.regionLength();
    }

    /**
     * The layout major version the region was written with: always this library's, or the inspector would not
     * have opened it.
     *
     * @return the major version.
     */
    public int majorVersion()
    {
        return read(() -> header.getInt(MAJOR_VERSION_OFFSET));
    }

    /**
     * The layout minor version the region was written with.
     *
     * @return the minor version.
     */
    public int minorVersion()
    {
        return read(() -> header.getInt(MINOR_VERSION_OFFSET));
    }

    /**
     * The creator's pid, in its own PID namespace.
     *
     * @return the pid.
     */
    public int creatorPid()
    {
        return read(() -> header.getInt(CREATOR_PID_OFFSET));
    }

    /**
     * When the region was created.
     *
     * @return ms since the epoch.
     */
    public long creationTimeMs()
    {
        return read(() -> header.getLong(CREATION_TIME_OFFSET));
    }

    /**
     * Whether any process has the region open now (the kernel's answer, from the users lock).
     *
     * @return live, or stale when nobody has it open.
     */
    public RegionLiveness liveness()
    {
        return read(() -> locks.isHeld(USERS_LOCK_OFFSET) ? RegionLiveness.LIVE : RegionLiveness.STALE);
    }

    /**
     * The most channels the region holds at once.
     *
     * @return the directory capacity.
     */
    public int maxChannels()
    {
        return layout.directoryCapacity();
    }

    /**
     * The bytes that hold every channel area.
     *
     * @return the data area length.
     */
    public long dataAreaLength()
    {
        return layout.dataAreaLength();
    }

    /**
     * A snapshot of every channel present now: positions and endpoints, with liveness from the locks.
     *
     * @return the channels in directory order.
     * @throws CorruptRegionException naming the first invalid field of the directory, or on field {@code file.size}
     *                                when the region's file was truncated.
     */
    public List<ChannelStatus> channels()
    {
        return read(() ->
        {
            final List<ChannelStatus> channels = new ArrayList<>();
            for (final ChannelLayout channel : settled(directory::channels))
            {
                channels.add(status(channel));
            }
            return channels;
        });
    }

    /**
     * The channels present now, with the region's change count.
     *
     * @return the list.
     * @throws CorruptRegionException naming the first invalid field of the directory, or on field {@code file.size}
     *                                when the region's file was truncated.
     */
    public ChannelList channelList()
    {
        return read(this::list);
    }

    /**
     * A read of the directory that changes of faster processes cannot overtake for ever: the last try holds the
     * Directory Lock shared, which this read-only descriptor can take.
     */
    private <T> T settled(final Supplier<T> read)
    {
        return ChannelDirectory.readSettled(locks, name, read);
    }

    private ChannelList list()
    {
        final DirectoryView.Listing listing = settled(directory::listing);
        final List<ChannelSpec> specs = new ArrayList<>();
        for (final ChannelLayout channel : listing.channels())
        {
            specs.add(channel.spec());
        }
        return new ChannelList(listing.changeCount(), specs);
    }

    /**
     * Wait until a channel is added or removed after the change count {@code seen}, or the timeout passes.
     *
     * @param seen    the change count of the list last seen.
     * @param timeout longest wait.
     * @return the channels now (with the same change count when the timeout passed).
     * @throws CorruptRegionException on field {@code file.size} when the region's file was truncated.
     * @throws RegionClosedException  when the inspector is closed before or during the wait.
     */
    public ChannelList awaitChannelChange(final int seen, final java.time.Duration timeout)
    {
        final long timeoutNs = Timeouts.nanos(timeout);
        return read(() ->
        {
            directory.awaitChange(seen, timeoutNs, this::isClosed);
            return list();
        });
    }

    /**
     * Read what waits in a channel without consuming it: for a ring channel, every message from the subscriber's
     * position to the publishers' (counted, and the first {@code limit} handed to {@code handler}, each a copy);
     * for a publish-subscribe log, every message it still holds, oldest first (what a subscriber joining from the
     * oldest would get); for a broadcast channel, the newest message still in the buffer. Nothing in the region
     * changes, and no subscriber is registered: a live subscriber keeps consuming meanwhile (see
     * {@link ChannelBacklog#consumerMoved()}). Not for the hot path: it reads the whole backlog.
     *
     * @param channel the channel name.
     * @param limit   most messages to hand to {@code handler}; 0 only counts.
     * @param handler called once per message shown, with a private copy; may be {@code null} when
     *                {@code limit} is 0.
     * @return what waits.
     * @throws NoSuchChannelException when the region has no such channel.
     * @throws CorruptRegionException when a position or record length read is impossible, or on field
     *                                {@code file.size} when the region's file was truncated.
     */
    public ChannelBacklog peek(final String channel, final int limit, final MessageHandler handler)
    {
        if (limit < 0 || (limit > 0 && handler == null))
        {
            throw new IllegalArgumentException("invalid peek: limit=" + limit + " handler=" + handler);
        }
        return read(() -> peekPresent(channel, limit, handler));
    }

    private ChannelBacklog peekPresent(final String channel, final int limit, final MessageHandler handler)
    {
        final List<ChannelLayout> present = settled(directory::channels);
        for (final ChannelLayout layout : present)
        {
            if (layout.name().equals(channel))
            {
                return new ChannelPeek(name, layout.spec(),
                    segment.buffer(layout.bufferOffset(), layout.bufferLength()), limit, handler).run();
            }
        }
        final List<String> names = new ArrayList<>();
        for (final ChannelLayout layout : present)
        {
            names.add(layout.name());
        }
        throw new NoSuchChannelException(name, "no such channel: region=" + name + " channel=" +
            channel + " channels=" + names);
    }

    /**
     * Close the view: unmap it now, and close the file once no call of another thread is inside. A thread waiting in
     * {@link #awaitChannelChange} is woken and fails with {@link RegionClosedException}. Idempotent.
     */
    @Override
    public void close()
    {
        final int before = state.getAndUpdate(value -> value | CLOSED);
        if ((before & CLOSED) != 0)
        {
            return;
        }
        directory.wakeWaiters();
        segment.close();
        if (before == 0)
        {
            Posix.close(fd, name);
        }
    }

    private boolean isClosed()
    {
        return (state.get() & CLOSED) != 0;
    }

    /**
     * Run one call inside the view. What a call read while a close overlapped it may come from the placeholder the
     * close leaves (zeros): it is never returned, nor is an error it caused thrown; the call fails as closed.
     */
    private <T> T read(final Supplier<T> call)
    {
        int value;
        do
        {
            value = state.get();
            if ((value & CLOSED) != 0)
            {
                throw closed(null);
            }
        }
        while (!state.compareAndSet(value, value + 1));
        try
        {
            final T result = call.get();
            if (isClosed())
            {
                throw closed(null);
            }
            return result;
        }
        catch (final CorruptRegionException | NoSuchChannelException ex)
        {
            throw isClosed() ? closed(ex) : ex;
        }
        catch (final InternalError fault)
        {
            // A fault on the mapping (or a futex on it) comes from a truncated file: the typed error when it is short.
            if (isClosed())
            {
                throw closed(null);
            }
            final long size = Posix.fstat(fd, name).size();
            if (size < layout.regionLength())
            {
                final CorruptRegionException truncated = MappedRegion.truncated(name, layout.regionLength(), size);
                truncated.addSuppressed(fault);
                throw truncated;
            }
            throw fault;
        }
        finally
        {
            if (state.decrementAndGet() == CLOSED)
            {
                Posix.close(fd, name); // the last call of those the close overlapped
            }
        }
    }

    private RegionClosedException closed(final Exception cause)
    {
        final RegionClosedException ex = new RegionClosedException(name, "inspector is closed: region=" + name);
        if (cause != null)
        {
            ex.addSuppressed(cause);
        }
        return ex;
    }

    private ChannelStatus status(final ChannelLayout channel)
    {
        final UnsafeBuffer control = segment.buffer(channel.controlOffset(), ChannelDescriptor.CONTROL_LENGTH);
        final UnsafeBuffer channelBuffer = segment.buffer(channel.bufferOffset(), channel.bufferLength());
        final ChannelDescriptor.Positions positions = ChannelDescriptor.positions(channel.kind(), channelBuffer,
            control);
        final UnsafeBuffer table = segment.buffer(channel.endpointTableOffset(), channel.endpointSlots() * SLOT_LENGTH);
        final UnsafeBuffer log = segment.buffer(channel.bufferOffset(), channel.bufferLength());
        final List<EndpointStatus> endpoints = new ArrayList<>();
        for (int slot = 0; slot < channel.endpointSlots(); slot++)
        {
            final int offset = slot * SLOT_LENGTH;
            final long endpointId = table.getLongVolatile(offset + ENDPOINT_ID_OFFSET);
            final boolean alive = locks.isHeld(channel.slotOffset(slot));
            if (endpointId == 0 && !alive)
            {
                continue;
            }
            final int role = table.getInt(offset + ROLE_OFFSET);
            final long waitState = table.getLongVolatile(offset + WAIT_STATE_OFFSET);
            final boolean logSubscriber = channel.kind() == ChannelKind.PUBLISH_SUBSCRIBE && role == ROLE_SUBSCRIBER;
            final long receiverPosition = channel.kind() == ChannelKind.PUBLISH_SUBSCRIBE ? -1 :
                table.getLongVolatile(offset + RECEIVER_POSITION_OFFSET) - 1;
            endpoints.add(new EndpointStatus(
                slot,
                role == ROLE_PUBLISHER ? "publisher" : role == ROLE_SUBSCRIBER ? "subscriber" : "unknown(" + role + ")",
                endpointId,
                table.getInt(offset + PID_OFFSET),
                table.getLong(offset + START_TIME_OFFSET),
                new UUID(table.getLong(offset + BOOT_ID_OFFSET), table.getLong(offset + BOOT_ID_OFFSET + Long.BYTES)),
                alive,
                table.getLongVolatile(offset + HEARTBEAT_OFFSET),
                table.getLong(offset + ATTACH_TIME_OFFSET),
                table.getIntVolatile(offset + CLAIM_IN_PROGRESS_OFFSET) != 0,
                (waitState & WAIT_BLOCKING) != 0,
                (waitState & WAIT_SLEEPING) != 0,
                receiverPosition,
                receiverPosition < 0 ? -1 : table.getLongVolatile(offset + RECEIVER_LOST_OFFSET),
                logSubscriber ? LogInspection.subscription(table, slot, log, channel.capacity(), positions) : null));
        }
        return new ChannelStatus(channel.spec(), positions.producer(), positions.consumer(), positions.messagesSent(),
            endpoints, counts(channel),
            control.getIntVolatile(ChannelDescriptor.BLOCKING_SUBSCRIBERS_OFFSET),
            control.getIntVolatile(ChannelDescriptor.WAITER_COUNT_OFFSET),
            ChannelDescriptor.implausiblePositions(channel.kind(), channelBuffer, channel.capacity()));
    }

    private ChannelCounts counts(final ChannelLayout channel)
    {
        final long[] counts = new long[CountersDescriptor.COUNTERS_PER_CHANNEL];
        for (int type = 0; type < counts.length; type++)
        {
            counts[type] = values.getLongVolatile(
                CountersReader.counterOffset(CountersDescriptor.counterId(channel.index(), type)));
        }
        return new ChannelCounts(counts[CountersDescriptor.PUBLISHED_MESSAGES],
            counts[CountersDescriptor.PUBLISHED_BYTES], counts[CountersDescriptor.CONSUMED_MESSAGES],
            counts[CountersDescriptor.CONSUMED_BYTES], counts[CountersDescriptor.BACK_PRESSURE_EVENTS],
            counts[CountersDescriptor.LOST_MESSAGES], counts[CountersDescriptor.UNBLOCKED_RECORDS],
            counts[CountersDescriptor.MISSED_WAKEUPS]);
    }
}
