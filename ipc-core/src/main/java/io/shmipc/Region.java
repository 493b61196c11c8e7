package io.shmipc;

import io.shmipc.exceptions.ChannelInUseException;
import io.shmipc.exceptions.CorruptRegionException;
import io.shmipc.exceptions.InvalidConfigurationException;
import io.shmipc.exceptions.NoSuchChannelException;
import io.shmipc.exceptions.RegionClosedException;
import io.shmipc.exceptions.RegionExistsException;
import io.shmipc.exceptions.RegionNotFoundException;
import io.shmipc.exceptions.RegionStaleException;
import io.shmipc.exceptions.RegionTimeoutException;
import io.shmipc.exceptions.ShmIpcException;
import io.shmipc.layout.ChannelDescriptor;
import io.shmipc.layout.ChannelLayout;
import io.shmipc.layout.CountersDescriptor;
import io.shmipc.layout.EndpointDescriptor;
import io.shmipc.layout.RegionLayout;
import io.shmipc.liveness.EndpointRegistration;
import io.shmipc.liveness.RegionLocks;
import io.shmipc.posix.MappedSegment;
import io.shmipc.posix.Posix;
import io.shmipc.posix.PosixPlatform;
import io.shmipc.wait.WakeUpWord;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.broadcast.BroadcastTransmitter;
import org.agrona.concurrent.ringbuffer.ManyToOneRingBuffer;
import org.agrona.concurrent.ringbuffer.OneToOneRingBuffer;
import org.agrona.concurrent.ringbuffer.RingBuffer;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static io.shmipc.layout.RegionHeaderDescriptor.*;

/**
 * A shared-memory region mapped into this process: a header, a directory and named channels, shared with every
 * other process that maps the same POSIX shared-memory object or file.
 * <pre>{@code
 * RegionConfig config = RegionConfig.builder(RegionLocation.shm("quotes"))
 *     .channel("prices", ChannelKind.ONE_TO_ONE, 1 << 20)
 *     .build();
 * try (Region region = Region.openOrCreate(config);
 *      Publisher publisher = region.publisher("prices"))
 * {
 *     publisher.offer(buffer, 0, length);
 * }
 * }</pre>
 * Three ways in, each with its own failures:
 * <ul>
 * <li>{@link #create}: exclusive; {@link RegionExistsException} if the name is taken;
 * {@link io.shmipc.exceptions.RegionNoSpaceException} when the file system cannot hold it.</li>
 * <li>{@link #attach(RegionLocation, Duration)}: waits for the region to exist and be READY, then validates it;
 * {@link RegionNotFoundException}, {@link RegionTimeoutException}, {@link RegionStaleException},
 * {@link CorruptRegionException}.</li>
 * <li>{@link #openOrCreate}: of any number of processes racing, exactly one creates and the rest attach; a
 * region whose creator died before making it READY is replaced, and a READY one nobody has open is replaced too
 * when {@link RegionConfig.Builder#replaceStale(boolean)} is set.</li>
 * </ul>
 * {@link #close()} unmaps at once; every publisher and subscriber of the region is closed first, so no use after
 * close can reach unmapped memory. A region handle is thread-safe; its publishers and subscribers are not.
 */
public final class Region implements AutoCloseable
{
    private static final int MAX_OPEN_OR_CREATE_ATTEMPTS = 8;

    private final RegionLocation location;
    private final String name;
    private final int fd;
    private final int probeFd;
    private final RegionLocks locks;
    private final MappedSegment segment;
    private final RegionLayout layout;
    private final Map<String, ChannelLayout> channels = new LinkedHashMap<>();
    private final boolean created;
    private volatile boolean deleteOnClose;
    private final List<ChannelEndpoint> endpoints = new ArrayList<>();
    private final UnsafeBuffer counterValues;
    private volatile boolean closed;

    Region(
        final RegionLocation location,
        final int fd,
        final int probeFd,
        final RegionLocks locks,
        final MappedSegment segment,
        final RegionLayout layout,
        final boolean created,
        final boolean deleteOnClose)
    {
        this.location = location;
        this.name = location.toString();
        this.fd = fd;
        this.probeFd = probeFd;
        this.locks = locks;
        this.segment = segment;
        this.layout = layout;
        this.created = created;
        this.deleteOnClose = deleteOnClose;
        for (final ChannelLayout channel : layout.channels())
        {
            channels.put(channel.name(), channel);
        }
        this.counterValues = segment.buffer(
            layout.countersValuesOffset(), CountersDescriptor.valuesLength(layout.channels().size()));
    }

    /**
     * Create a region, failing if its name is taken. Space is allocated up front, so a file system without
     * room fails here with {@link io.shmipc.exceptions.RegionNoSpaceException} rather than with {@code SIGBUS}
     * later; on any failure no file is left behind.
     *
     * @param config location, channels and permissions.
     * @return the region, READY for other processes to attach.
     * @throws RegionExistsException when a region of that name exists.
     */
    public static Region create(final RegionConfig config)
    {
        return RegionOpening.create(config);
    }

    /**
     * Attach to a region created by this or another process, waiting up to {@code timeout} for it to exist and be
     * READY. Everything read from it is validated before use.
     *
     * @param location where the region lives.
     * @param timeout  longest wait; zero to fail at once.
     * @return the region.
     * @throws RegionNotFoundException when it did not appear in time.
     * @throws RegionTimeoutException  when it appeared but was not READY in time.
     * @throws RegionStaleException    when its creator died before making it READY.
     * @throws CorruptRegionException  when its layout is invalid, naming the field.
     */
    public static Region attach(final RegionLocation location, final Duration timeout)
    {
        return RegionOpening.attach(location, timeout);
    }

    /**
     * Attach with the configuration's timeout and delete-on-close, and check that each channel it names exists
     * with the same kind, capacity and message limit.
     *
     * @param config the configuration.
     * @return the region.
     * @throws InvalidConfigurationException when the region found has a different layout.
     */
    public static Region attach(final RegionConfig config)
    {
        final Region region = RegionOpening.attach(config.location(), config.attachTimeout());
        try
        {
            region.checkMatches(config);
            // Only a region that matches becomes this handle's to delete: a mismatch must not remove another's.
            region.deleteOnClose = config.deleteOnClose();
            return region;
        }
        catch (final RuntimeException ex)
        {
            region.close();
            throw ex;
        }
    }

    /**
     * Create the region, or attach to it if it exists. Race-safe: whatever the number of processes calling this
     * at once, exactly one creates ({@link #wasCreated()} true) and the others attach.
     *
     * @param config the configuration.
     * @return the region.
     */
    public static Region openOrCreate(final RegionConfig config)
    {
        final RegionLocation location = config.location();
        for (int attempt = 1; ; attempt++)
        {
            try
            {
                return create(config);
            }
            catch (final RegionExistsException exists)
            {
                if (config.replaceStale() && Regions.deleteIfStale(location))
                {
                    continue;
                }
                try
                {
                    return attach(config);
                }
                catch (final RegionStaleException stale)
                {
                    // Its creator died before making it READY: unusable, so always replaced.
                    if (!Regions.deleteIfStale(location) && attempt >= MAX_OPEN_OR_CREATE_ATTEMPTS)
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
     * Unlink a region's name without opening it. Processes that have it mapped keep using it.
     *
     * @param location the region.
     * @return true when a name was removed, false when there was none.
     */
    public static boolean delete(final RegionLocation location)
    {
        PosixPlatform.ensureSupported();
        try
        {
            if (location.isShm())
            {
                Posix.shmUnlink(location.shmName(), location.toString());
            }
            else
            {
                Posix.unlink(location.path().toString(), location.toString());
            }
            return true;
        }
        catch (final RegionNotFoundException ex)
        {
            return false;
        }
    }

    /**
     * Where this region lives.
     *
     * @return the location.
     */
    public RegionLocation location()
    {
        return location;
    }

    /**
     * Whether this handle created the region (rather than attached to it).
     *
     * @return true for the creator.
     */
    public boolean wasCreated()
    {
        return created;
    }

    /**
     * The region's length in bytes; may exceed 2 GiB.
     *
     * @return bytes.
     */
    public long length()
    {
        return layout.regionLength();
    }

    /**
     * The channels, in directory order.
     *
     * @return a new list.
     */
    public List<ChannelInfo> channels()
    {
        final List<ChannelInfo> infos = new ArrayList<>(channels.size());
        for (final ChannelLayout channel : channels.values())
        {
            infos.add(new ChannelInfo(channel.name(), ChannelKind.fromCode(channel.kind()), channel.capacity(),
                channel.maxMessageLength()));
        }
        return infos;
    }

    /**
     * Open a publisher on a channel.
     *
     * @param channel the channel name.
     * @return the publisher.
     * @throws NoSuchChannelException when the region has no such channel.
     * @throws ChannelInUseException  when the channel admits one publisher and a live one exists, in any process.
     * @throws RegionClosedException  after {@link #close()}.
     */
    public synchronized Publisher publisher(final String channel)
    {
        final ChannelLayout layout = channelLayout(channel);
        final ChannelKind kind = ChannelKind.fromCode(layout.kind());
        final EndpointRegistration registration = EndpointRegistration.register(name, locks, layout,
            endpointTable(layout), EndpointDescriptor.ROLE_PUBLISHER, kind.hasSinglePublisher());
        try
        {
            final ChannelEndpoint publisher = newPublisher(layout, kind, registration);
            endpoints.add(publisher);
            return (Publisher)publisher;
        }
        catch (final RuntimeException ex)
        {
            registration.close();
            throw ex;
        }
    }

    private ChannelEndpoint newPublisher(
        final ChannelLayout layout, final ChannelKind kind, final EndpointRegistration registration)
    {
        if (kind == ChannelKind.BROADCAST)
        {
            return new BroadcastPublisher(this, layout, registration, new BroadcastTransmitter(channelBuffer(layout)),
                controlBlock(layout), wakeUpWord(layout, registration));
        }
        final RingBuffer ring = ring(layout, kind);
        if (kind == ChannelKind.ONE_TO_ONE)
        {
            // The only publisher now: finish what a dead predecessor left half-claimed before writing after it.
            final long head = ring.consumerPosition();
            final long tail = ring.producerPosition();
            if (new RingUnblocker(ring.buffer(), ring.capacity()).repairOneToOne(head, tail) < 0)
            {
                throw new CorruptRegionException(name, "channel[" + layout.name() + "].positions",
                    "0 <= tail - head <= capacity " + ring.capacity(), "head=" + head + " tail=" + tail);
            }
        }
        final long subscriberRoleLock = layout.controlOffset() + ChannelDescriptor.SUBSCRIBER_ROLE_LOCK_OFFSET;
        return new RingPublisher(this, layout, registration, ring, subscriberRoleLock,
            wakeUpWord(layout, registration));
    }

    /**
     * Open a subscriber on a channel. A ring channel's subscriber continues from the position the previous one
     * left in shared memory; a broadcast subscriber starts at the newest message.
     *
     * @param channel the channel name.
     * @return the subscriber.
     * @throws NoSuchChannelException when the region has no such channel.
     * @throws ChannelInUseException  when the channel admits one subscriber and a live one exists, in any process.
     * @throws RegionClosedException  after {@link #close()}.
     */
    public synchronized Subscriber subscriber(final String channel)
    {
        final ChannelLayout layout = channelLayout(channel);
        final ChannelKind kind = ChannelKind.fromCode(layout.kind());
        final EndpointRegistration registration = EndpointRegistration.register(name, locks, layout,
            endpointTable(layout), EndpointDescriptor.ROLE_SUBSCRIBER, kind.hasSingleSubscriber());
        try
        {
            final ChannelEndpoint subscriber = newSubscriber(layout, kind, registration);
            endpoints.add(subscriber);
            return (Subscriber)subscriber;
        }
        catch (final RuntimeException ex)
        {
            registration.close();
            throw ex;
        }
    }

    private ChannelEndpoint newSubscriber(
        final ChannelLayout layout, final ChannelKind kind, final EndpointRegistration registration)
    {
        if (kind == ChannelKind.BROADCAST)
        {
            return new BroadcastSubscriber(this, layout, registration, channelBuffer(layout), controlBlock(layout),
                wakeUpWord(layout, registration));
        }
        return new RingSubscriber(this, layout, registration, ring(layout, kind), endpointTable(layout),
            wakeUpWord(layout, registration));
    }

    /**
     * Unlink the region's name now; this handle and every other process's mapping stay valid until closed.
     *
     * @return true when a name was removed, false when it was already gone.
     */
    public boolean delete()
    {
        return delete(location);
    }

    /**
     * Whether this region's file has lost its name while this handle has it open: someone unlinked it
     * ({@link #delete()} in any process, {@code rm}). Every process already attached keeps working on the file, but
     * none can attach to it any more, and a region created under the same name since is another file: a publisher
     * that finds its region unlinked knows that what it publishes from now on reaches only subscribers attached
     * already. Answered from the file's link count (one {@code stat} call): not for the hot path.
     *
     * @return true when the file of this handle has no name left (link count 0).
     * @throws RegionClosedException after {@link #close()}.
     */
    public boolean isUnlinked()
    {
        ensureOpen();
        return RegionFiles.linkCount(fd, name) == 0;
    }

    /**
     * Flush a file-backed region to its file ({@code msync}); not needed for sharing between processes.
     */
    public void sync()
    {
        ensureOpen();
        segment.sync();
    }

    /**
     * Whether {@link #close()} has run.
     *
     * @return true once closed.
     */
    public boolean isClosed()
    {
        return closed;
    }

    /**
     * Close every publisher and subscriber of this handle, release its locks, unmap, and unlink the name if
     * delete-on-close was set. Idempotent.
     *
     * @throws ShmIpcException after everything was released, when an endpoint could not be closed cleanly
     *                         ({@link CorruptRegionException} when the file was truncated under the mapping).
     */
    @Override
    public void close()
    {
        final List<ChannelEndpoint> open;
        synchronized (this)
        {
            if (closed)
            {
                return;
            }
            closed = true;
            open = new ArrayList<>(endpoints);
            endpoints.clear();
        }
        ShmIpcException failure = null;
        for (final ChannelEndpoint endpoint : open)
        {
            try
            {
                endpoint.closeQuietly();
            }
            catch (final ShmIpcException ex)
            {
                // Its last writes faulted (truncated file): the mapping, descriptors and locks go regardless.
                if (failure == null)
                {
                    failure = ex;
                }
                else
                {
                    failure.addSuppressed(ex);
                }
            }
        }
        segment.close();
        if (deleteOnClose)
        {
            delete();
        }
        Posix.close(probeFd, name);
        Posix.close(fd, name);
        if (failure != null)
        {
            throw failure;
        }
    }

    @Override
    public String toString()
    {
        return "Region{" + name + ", length=" + layout.regionLength() + ", channels=" + channels.keySet() +
            (closed ? ", closed" : "") + "}";
    }

    /**
     * A new read-only descriptor of this region's file (another open file description), named or not.
     */
    int reopenReadOnly()
    {
        ensureOpen();
        return RegionFiles.reopenForProbes(fd, name);
    }

    ChannelCounters counters(final ChannelLayout channel)
    {
        return new ChannelCounters(counterValues, channel);
    }

    RegionLocks locks()
    {
        return locks;
    }

    synchronized void forget(final ChannelEndpoint endpoint)
    {
        endpoints.remove(endpoint);
    }

    int countAlive(final ChannelLayout channel, final int role)
    {
        synchronized (this)
        {
            if (closed)
            {
                return 0;
            }
            return EndpointRegistration.countAlive(locks, channel, endpointTable(channel), role);
        }
    }

    boolean anyLiveClaim(final ChannelLayout channel, final UnsafeBuffer table)
    {
        return EndpointRegistration.anyLiveClaim(locks, channel, table);
    }

    /**
     * Fail with the typed error when the file is now shorter than the region (another process truncated it under
     * the mapping). Touching a mapped page past the end of the file raises {@code SIGBUS}, which HotSpot does not
     * report reliably: interpreted code reads garbage and gets the {@link InternalError} only at some later
     * safepoint, and compiled code gets it asynchronously, possibly after the library call returned. So endpoints
     * ask {@code fstat} every {@link ChannelEndpoint#HOUSEKEEPING_INTERVAL_OPERATIONS} operations (at most once
     * per {@link ChannelEndpoint#HOUSEKEEPING_INTERVAL_NS}) instead of trusting the fault to be reported.
     *
     * @param channel     the channel in use, for the message.
     * @param statScratch the endpoint's own {@code struct stat} buffer, so the check allocates nothing.
     * @throws CorruptRegionException on field {@code file.size} when the file was truncated.
     */
    void checkNotTruncated(final ChannelLayout channel, final com.sun.jna.Memory statScratch)
    {
        final long size = Posix.fileSize(fd, statScratch, name);
        if (size < layout.regionLength())
        {
            throw truncated(size);
        }
    }

    /**
     * The typed error for a failure inside a channel's buffer: the file was truncated under the mapping (checked
     * with {@code fstat}), or the channel's shared memory holds values Agrona cannot use.
     */
    CorruptRegionException corruption(final ChannelLayout channel, final Throwable cause)
    {
        long size = -1;
        try
        {
            size = Posix.fstat(fd, name).size();
        }
        catch (final ShmIpcException ex)
        {
            cause.addSuppressed(ex);
        }
        final CorruptRegionException corrupt = size >= 0 && size < layout.regionLength() ? truncated(size) :
            new CorruptRegionException(name, "channel[" + channel.name() + "].buffer",
            "records and positions a valid Agrona buffer holds", cause.toString());
        corrupt.initCause(cause);
        return corrupt;
    }

    private CorruptRegionException truncated(final long size)
    {
        return new CorruptRegionException(name, "file.size", "the region length " + layout.regionLength() +
            " (the file was truncated while mapped)", Long.toString(size));
    }

    private ChannelLayout channelLayout(final String channel)
    {
        ensureOpen();
        final ChannelLayout layout = channels.get(channel);
        if (layout == null)
        {
            throw new NoSuchChannelException(name, "no such channel: region=" + name + " channel=" + channel +
                " channels=" + channels.keySet());
        }
        return layout;
    }

    private RingBuffer ring(final ChannelLayout layout, final ChannelKind kind)
    {
        final UnsafeBuffer buffer = channelBuffer(layout);
        return kind == ChannelKind.ONE_TO_ONE ? new OneToOneRingBuffer(buffer) : new ManyToOneRingBuffer(buffer);
    }

    private UnsafeBuffer channelBuffer(final ChannelLayout layout)
    {
        return segment.buffer(layout.bufferOffset(), layout.bufferLength());
    }

    private UnsafeBuffer endpointTable(final ChannelLayout layout)
    {
        return segment.buffer(layout.endpointTableOffset(), layout.endpointSlots() * EndpointDescriptor.SLOT_LENGTH);
    }

    private UnsafeBuffer controlBlock(final ChannelLayout layout)
    {
        return segment.buffer(layout.controlOffset(), ChannelDescriptor.CONTROL_LENGTH);
    }

    /**
     * The wake-up word for a newly registered endpoint, which takes its slot's wait state at once (taking back what
     * dead endpoints left counted).
     */
    private WakeUpWord wakeUpWord(final ChannelLayout layout, final EndpointRegistration registration)
    {
        final WakeUpWord word = new WakeUpWord(controlBlock(layout), endpointTable(layout), layout.endpointSlots(),
            registration.slot(), registration.endpointId(), slot -> locks.isHeld(layout.slotOffset(slot)));
        word.takeSlot();
        return word;
    }

    private void ensureOpen()
    {
        if (closed)
        {
            throw new RegionClosedException(name, "region is closed: region=" + name);
        }
    }

    private void checkMatches(final RegionConfig config)
    {
        for (final ChannelConfig wanted : config.channels())
        {
            final ChannelLayout found = channels.get(wanted.name());
            final String problem;
            if (found == null)
            {
                problem = "missing";
            }
            else if (found.kind() != wanted.kind().code())
            {
                problem = "kind=" + ChannelKind.fromCode(found.kind()) + " expected " + wanted.kind();
            }
            else if (found.capacity() != wanted.capacity())
            {
                problem = "capacity=" + found.capacity() + " expected " + wanted.capacity();
            }
            else if (wanted.maxMessageLength() != 0 && found.maxMessageLength() != wanted.maxMessageLength())
            {
                problem = "maxMessageLength=" + found.maxMessageLength() + " expected " + wanted.maxMessageLength();
            }
            else
            {
                continue;
            }
            throw new InvalidConfigurationException(name, "region exists with a different layout: region=" + name +
                " channel=" + wanted.name() + " " + problem);
        }
    }






}
