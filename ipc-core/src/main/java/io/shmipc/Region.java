package io.shmipc;

import io.shmipc.channel.EndpointFactory;
import io.shmipc.channel.HandleClosing;
import io.shmipc.exceptions.ChannelInUseException;
import io.shmipc.exceptions.ChannelMismatchException;
import io.shmipc.exceptions.CorruptRegionException;
import io.shmipc.exceptions.InvalidConfigurationException;
import io.shmipc.exceptions.NoSuchChannelException;
import io.shmipc.exceptions.RegionClosedException;
import io.shmipc.exceptions.RegionExistsException;
import io.shmipc.exceptions.RegionFullException;
import io.shmipc.exceptions.RegionNotFoundException;
import io.shmipc.exceptions.RegionStaleException;
import io.shmipc.exceptions.RegionTimeoutException;
import io.shmipc.exceptions.ShmIpcException;
import io.shmipc.region.MappedRegion;
import io.shmipc.region.RegionCreation;
import io.shmipc.region.RegionOpening;
import io.shmipc.region.RegionRemoval;

import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;

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
 * <li>{@link #create}: exclusive and atomic (the region is built where nobody sees it and appears at its name
 * complete and READY); {@link RegionExistsException} if the name is taken, by anything;
 * {@link io.shmipc.exceptions.RegionNoSpaceException} when the file system cannot hold it.</li>
 * <li>{@link #attach(RegionLocation, Duration)}: waits for the region to exist, then validates it;
 * {@link RegionNotFoundException}, {@link RegionTimeoutException}, {@link RegionStaleException},
 * {@link CorruptRegionException} (also for a file at the name that is not a region).</li>
 * <li>{@link #openOrCreate}: of any number of processes racing, exactly one creates and the rest attach; a
 * region whose creator died before making it READY (made by an earlier version, which built regions at their
 * name) is replaced, and a READY one nobody has open is replaced too when
 * {@link RegionConfig.Builder#replaceStale(boolean)} is set. A file that is not proven to be a region is never
 * replaced.</li>
 * </ul>
 * Channels come and go while the region is used, through its {@link #directory()}: added, removed, listed and
 * waited for ({@link RegionDirectory}), without disturbing the endpoints of other channels.
 * <p>
 * {@link #close()} unmaps at once; every publisher and subscriber of the region is closed first, so no use after
 * close can reach unmapped memory. A region handle is thread-safe; its publishers and subscribers are not.
 */
public final class Region implements AutoCloseable
{
    private final MappedRegion mapped;
    private final RegionChannels channels;
    private final RegionDirectory directory;
    private final EndpointFactory endpoints;
    private final OpenEndpoints open;
    private final boolean deleteOnClose;

    Region(final MappedRegion mapped, final boolean deleteOnClose)
    {
        this.mapped = mapped;
        this.deleteOnClose = deleteOnClose;
        final HandleClosing closing = new HandleClosing();
        this.channels = new RegionChannels(mapped.name(), mapped.directory(), mapped.layout().channels(), closing);
        this.directory = new RegionDirectory(this, channels);
        this.open = new OpenEndpoints(this, mapped, channels, closing);
        this.endpoints = new EndpointFactory(mapped, open::forget, closing);
    }

    /**
     * Create a region, failing if its name is taken. The region is built in an unnamed file (or, on a file system
     * without unnamed files, under a temporary name beside it) and linked to its name only once it is complete and
     * READY, never replacing a file there: a process that opens the name finds a whole region or nothing, and a
     * creator that dies at any point leaves nothing at the name. Space is allocated up front, so a file system
     * without room fails here with {@link io.shmipc.exceptions.RegionNoSpaceException} rather than with
     * {@code SIGBUS} later.
     *
     * @param config location, channels and permissions.
     * @return the region, READY for other processes to attach.
     * @throws RegionExistsException when the name is taken, by a region or by any other file.
     */
    public static Region create(final RegionConfig config)
    {
        return new Region(RegionCreation.create(config), config.deleteOnClose());
    }

    /**
     * Attach to a region created by this or another process, waiting up to {@code timeout} for it to exist and be
     * READY. Everything read from it is validated before use. For {@link RegionLocation#anonymous(String)}: receive
     * the region handed to this process under that label, after making this process undumpable (see
     * {@link RegionConfig.Builder#keepProcessDumpable(boolean)}); {@code timeout} bounds the holder's answer.
     *
     * @param location where the region lives.
     * @param timeout  longest wait; zero to fail at once.
     * @return the region.
     * @throws RegionNotFoundException when it did not appear in time, or no anonymous region of that label was
     *                                 handed to this process (or its holder is gone).
     * @throws io.shmipc.exceptions.RegionPermissionException when the holder of an anonymous region refused this
     *                                 process, with its reason.
     * @throws RegionTimeoutException  when it appeared but was not READY in time.
     * @throws io.shmipc.exceptions.WaitInterruptedException when the thread was interrupted while the attach
     *                                 waited for the region (its status stays set).
     * @throws RegionStaleException    when its creator died before making it READY.
     * @throws CorruptRegionException  when its layout is invalid, naming the field.
     */
    public static Region attach(final RegionLocation location, final Duration timeout)
    {
        return new Region(RegionOpening.attach(location, timeout, false), false);
    }

    /**
     * Attach with the configuration's timeout and delete-on-close, and check that each channel it names exists
     * with the same kind, capacity and message limit.
     *
     * @param config the configuration.
     * @return the region.
     * @throws ChannelMismatchException when a channel the configuration names exists with another kind, capacity or
     *                                  message limit (an {@link InvalidConfigurationException}).
     * @throws NoSuchChannelException   when a channel the configuration names is missing.
     */
    public static Region attach(final RegionConfig config)
    {
        return new Region(RegionOpening.attach(config), config.deleteOnClose());
    }

    /**
     * Create the region, or attach to it if it exists and open or add each channel the configuration lists.
     * Race-safe: whatever the number of processes calling this at once, exactly one creates ({@link #wasCreated()}
     * true) and the others attach; of those that add the same channel, one adds it and the others open it. The
     * region-wide settings ({@link RegionConfig.Builder#maxChannels}, {@link RegionConfig.Builder#dataAreaLength},
     * {@link RegionConfig.Builder#permissions}) apply when this call creates the region; a region that exists keeps
     * its own, whatever the configuration says ({@link RegionDirectory#maxChannels()} and
     * {@link RegionDirectory#dataAreaLength()} read them), so processes with different needs can share it.
     *
     * @param config the configuration.
     * @return the region.
     * @throws ChannelMismatchException when a channel listed exists with another spec, naming each difference.
     * @throws RegionFullException      when the region found has no room for a channel listed.
     */
    public static Region openOrCreate(final RegionConfig config)
    {
        return RegionOpenOrCreate.open(config);
    }

    /**
     * Unlink a region's name, in use or not, once the file there is proven to be a shm-ipc region (a regular file
     * starting with the region magic). Processes that have it mapped keep using it.
     *
     * @param location the region.
     * @return true when a name was removed, false when there was none.
     * @throws CorruptRegionException when the file at the name is not a shm-ipc region; it is left as it is.
     */
    public static boolean delete(final RegionLocation location)
    {
        return RegionRemoval.unlinkRegion(location);
    }

    /**
     * Where this region lives.
     *
     * @return the location.
     */
    public RegionLocation location()
    {
        return mapped.location();
    }

    /**
     * Whether this handle created the region (rather than attached to it).
     *
     * @return true for the creator.
     */
    public boolean wasCreated()
    {
        return mapped.wasCreated();
    }

    /**
     * The region's length in bytes; may exceed 2 GiB.
     *
     * @return bytes.
     */
    public long length()
    {
        return mapped.layout().regionLength();
    }

    /**
     * The channels present now, read from the region's directory, in directory order, each with the message limit
     * in force.
     *
     * @return a new list.
     * @throws CorruptRegionException naming the first invalid field of the directory.
     * @throws RegionClosedException  after {@link #close()}.
     */
    public List<ChannelSpec> channels()
    {
        return directory().channelList().channels();
    }

    /**
     * The region's channel directory: channels added, removed, listed and waited for while the region is used.
     *
     * @return the directory, the same for the life of this handle.
     */
    public RegionDirectory directory()
    {
        return directory;
    }

    /**
     * Open a publisher on a channel.
     *
     * @param channel the channel name.
     * @return the publisher.
     * @throws NoSuchChannelException when the region has no such channel.
     * @throws ChannelInUseException  when the channel has as many live publishers as its kind admits, in all
     *                                processes together ({@link ChannelKind#maxPublishers()}).
     * @throws RegionClosedException  after {@link #close()}.
     */
    public Publisher publisher(final String channel)
    {
        return whileOpen(() -> open.opened(channels.open(channel, endpoints::publisher)));
    }

    /**
     * Open a publisher on a channel, adding the channel if the region has none of that name
     * ({@link RegionDirectory#openOrCreateChannel}).
     *
     * @param channel the channel.
     * @return the publisher.
     * @throws ChannelMismatchException when a channel of that name exists with another spec.
     * @throws RegionFullException      when the channel cannot be added.
     * @throws ChannelInUseException    when the channel admits one publisher and a live one exists, in any process.
     */
    public Publisher publisher(final ChannelSpec channel)
    {
        directory.openOrCreateChannel(channel);
        return publisher(channel.name());
    }

    /**
     * Open a subscriber on a channel. A ring channel's subscriber continues from the position the previous one
     * left in shared memory; a broadcast subscriber starts at the newest message; a publish-subscribe subscriber is
     * tethered and starts at the next message (see {@link #subscriber(String, SubscriberOptions)}).
     *
     * @param channel the channel name.
     * @return the subscriber.
     * @throws NoSuchChannelException when the region has no such channel.
     * @throws ChannelInUseException  when the channel has as many live subscribers as its kind admits, in all
     *                                processes together ({@link ChannelKind#maxSubscribers()}).
     * @throws RegionClosedException  after {@link #close()}.
     */
    public Subscriber subscriber(final String channel)
    {
        return subscriber(channel, SubscriberOptions.defaults());
    }

    /**
     * Open a subscriber on a channel, with options: on a {@link ChannelKind#PUBLISH_SUBSCRIBE} channel its flow
     * control (tethered or untethered) and where it starts (the next message, the oldest held, or a position).
     * Options are the subscriber's own, the same whether this handle created the region or attached to it.
     *
     * @param channel the channel name.
     * @param options how the subscriber reads; other kinds accept only {@link SubscriberOptions#defaults()}.
     * @return the subscriber.
     * @throws NoSuchChannelException        when the region has no such channel.
     * @throws ChannelInUseException         when the channel admits one subscriber and a live one exists, or its 64
     *                                       endpoint slots are taken.
     * @throws InvalidConfigurationException for options other than the defaults on a channel of another kind, or a
     *                                       lag window out of range ({@link SubscriberOptions#untethered(int)}).
     * @throws io.shmipc.exceptions.PositionNotHeldException when the start position is not held by the log, or the
     *                                                       publisher overwrote the start faster than the join
     *                                                       could follow (oldest or a position).
     * @throws RegionClosedException         after {@link #close()}.
     */
    public Subscriber subscriber(final String channel, final SubscriberOptions options)
    {
        java.util.Objects.requireNonNull(options, "options");
        return whileOpen(() -> open.opened(channels.open(channel, layout -> endpoints.subscriber(layout, options))));
    }

    /**
     * Open a subscriber on a channel, adding the channel if the region has none of that name
     * ({@link RegionDirectory#openOrCreateChannel}).
     *
     * @param channel the channel.
     * @return the subscriber.
     * @throws ChannelMismatchException when a channel of that name exists with another spec.
     * @throws RegionFullException      when the channel cannot be added.
     * @throws ChannelInUseException    when the channel admits one subscriber and a live one exists, in any process.
     */
    public Subscriber subscriber(final ChannelSpec channel)
    {
        directory.openOrCreateChannel(channel);
        return subscriber(channel.name());
    }

    /**
     * Unlink the region's name now; this handle and every other process's mapping stay valid until closed.
     *
     * @return true when a name was removed, false when it was already gone.
     */
    public boolean delete()
    {
        return delete(location());
    }

    /**
     * Whether this region's file has lost its name while this handle has it open: someone unlinked it
     * ({@link #delete()} in any process, {@code rm}). Every process already attached keeps working on the file, but
     * none can attach to it any more, and a region created under the same name since is another file: a publisher
     * that finds its region unlinked knows that what it publishes from now on reaches only subscribers attached
     * already. Answered from the file's link count (one {@code stat} call): not for the hot path. An anonymous
     * region, which never had a name, is never unlinked.
     *
     * @return true when the file of this handle has no name left (link count 0).
     * @throws RegionClosedException after {@link #close()}.
     */
    public boolean isUnlinked()
    {
        open.ensureOpen();
        return mapped.isUnlinked();
    }

    /**
     * Make what was written to a file-backed region durable: {@code msync(MS_SYNC)} over the whole region returns
     * once every page written before the call is on the file's storage, so it survives a machine crash or power
     * loss. Not needed for sharing between processes, nor to survive a process crash (writes are in the page cache
     * at once), and it has nothing to do for a region in {@code /dev/shm} or an anonymous one, which live in
     * memory. Costs a disk flush; what is written after it may be lost, or survive in part, on a machine crash
     * (see docs/guarantees.md, "Durability of file regions").
     *
     * @throws RegionClosedException after {@link #close()}.
     */
    public void sync()
    {
        open.ensureOpen();
        mapped.sync();
    }

    /**
     * Whether {@link #close()} has run.
     *
     * @return true once closed.
     */
    public boolean isClosed()
    {
        return open.isClosed();
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
        open.close(deleteOnClose);
    }

    @Override
    public synchronized String toString()
    {
        return "Region{" + mapped.name() + ", length=" + length() + ", channels=" + channels.knownNames() +
            (open.isClosed() ? ", closed" : "") + "}";
    }

    MappedRegion mapped()
    {
        return mapped;
    }

    /**
     * Run an operation that writes the region's memory outside an endpoint (a channel added or removed, an endpoint
     * opened) under the handle's monitor, with the handle open: {@link #close()} takes the monitor first, so it
     * waits for the operation, which never writes into memory the close released or reports a change that did not
     * land. A fault on the mapping comes out as the typed error of a truncated file.
     *
     * @throws RegionClosedException  when the handle is closed.
     * @throws CorruptRegionException on field {@code file.size} when the region's file was truncated.
     */
    synchronized <T> T whileOpen(final Supplier<T> operation)
    {
        ensureOpenAndWhole();
        try
        {
            return operation.get();
        }
        catch (final InternalError fault)
        {
            throw truncationAfter(fault);
        }
    }

    /**
     * Check that the handle is open and no truncation of its file is known (once one is, the mapping holds private
     * zeros, which read as a region where nothing happens).
     *
     * @throws RegionClosedException  when the handle is closed.
     * @throws CorruptRegionException on field {@code file.size} once the region's file was found truncated.
     */
    void ensureOpenAndWhole()
    {
        open.ensureOpen();
        final CorruptRegionException known = endpoints.health().truncationAfter(null);
        if (known != null)
        {
            throw known;
        }
    }

    /**
     * The typed error for a fault on the mapping met outside an endpoint: the region's file was truncated.
     *
     * @param fault the fault.
     * @return the error on field {@code file.size}.
     * @throws InternalError the fault itself when the file is whole (a fault this region did not cause).
     */
    CorruptRegionException truncationAfter(final InternalError fault)
    {
        final CorruptRegionException truncated = endpoints.health().truncationAfter(fault);
        if (truncated == null)
        {
            throw fault;
        }
        return truncated;
    }

    /**
     * The publishers and subscribers this handle has open, and its closed state.
     */
    OpenEndpoints openEndpoints()
    {
        return open;
    }
}
