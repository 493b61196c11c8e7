package io.shmipc.bridge;

import io.aeron.Publication;
import io.aeron.exceptions.RegistrationException;
import io.shmipc.ChannelKind;
import io.shmipc.ChannelSpec;
import io.shmipc.Region;
import io.shmipc.Subscriber;
import io.shmipc.exceptions.NoSuchChannelException;
import io.shmipc.exceptions.ShmIpcException;
import org.agrona.CloseHelper;
import org.agrona.IoUtil;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.AgentRunner;
import org.agrona.concurrent.AgentTerminationException;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.LockSupport;

/**
 * Carries channels of a local region to and from a peer bridge on another host, over Aeron UDP. An Agrona
 * {@link Agent}: run it with {@link BridgeRunner} or call {@link #doWork()} from a thread of your own; one thread
 * drives every route and the Aeron client. A {@link ShmIpcException} from {@link #doWork()} means the bridge cannot
 * go on: stop calling it and close it, as {@link BridgeRunner} does. Every later call throws an
 * {@link AgentTerminationException} whose cause is that exception, so that an Agrona {@link AgentRunner} of your own
 * stops after telling its error handler twice (and closes the bridge) instead of telling it on every cycle. A fault
 * on a replay log or the counters file truncated under the bridge is such an exception, naming the file; but HotSpot
 * may report such a fault late, as an {@link InternalError} thrown anywhere on the thread after {@link #doWork()}
 * returned (its idle strategy included), and at a safepoint poll of compiled code past the {@code catch} blocks of
 * the method it is raised in: {@link BridgeRunner} takes it in its thread's uncaught exception handler and turns it
 * into the bridge's typed failure too ({@link #fault}), while an {@link AgentRunner} of your own ends its thread on
 * it, without closing the bridge.
 * <p>
 * Ring channels ({@link ChannelKind#ONE_TO_ONE}, {@link ChannelKind#MANY_TO_ONE}) are carried without loss: a
 * message leaves the local ring only into the route's replay log, in shared memory, and leaves the log only once
 * the peer has published it into its region; when the peer is slow or gone the log fills, the ring fills, and
 * local publishers see {@code BACK_PRESSURED}. After a restart of either bridge, delivery resumes at-least-once.
 * {@link ChannelKind#BROADCAST} channels are carried as they are locally: never waiting, losses counted.
 */
public final class Bridge implements Agent, AutoCloseable
{
    private static final long HEARTBEAT_INTERVAL_NS = 100_000_000L;
    /** Longest a clean stop waits for its peer to acknowledge, beyond four acknowledgement intervals. */
    private static final long DRAIN_TIMEOUT_NS = 200_000_000L;
    private static final long DRAIN_PAUSE_NS = 50_000L;
    /** Always -1: read from a volatile field, so the JIT cannot tell that {@link #dropLateFault()} must fail. */
    private static volatile int neverLength = -1;

    private final BridgeConfig config;
    /** The outermost directory of the home this bridge created (null when the home existed): removed when empty. */
    private final Path createdFrom;
    private final FileChannel lockFile;
    private final FileLock lock;
    private final BridgeCounters counters;
    private final Region region;
    private final BridgeTransport transport;
    private final List<Route> routes = new ArrayList<>();
    private final Route[] routeArray;
    private long nextHeartbeatNs;
    private ShmIpcException failure;
    private long unacknowledgedLeft;
    private boolean closed;

    private Bridge(final BridgeConfig config, final Path createdFrom, final FileChannel lockFile, final FileLock lock,
        final BridgeCounters counters, final Region region, final BridgeTransport transport)
    {
        this.config = config;
        this.createdFrom = createdFrom;
        this.lockFile = lockFile;
        this.lock = lock;
        this.counters = counters;
        this.region = region;
        this.transport = transport;
        try
        {
            for (final BridgeRoute route : config.routes())
            {
                routes.add(openRoute(route));
            }
        }
        catch (final RuntimeException ex)
        {
            closeAll();
            throw ex;
        }
        this.routeArray = routes.toArray(new Route[0]);
        counters.signalReady();
    }

    /**
     * Open a bridge: take its home directory (one bridge of a name per region), attach the region, start or
     * connect to the media driver, and open every route.
     *
     * @param config the configuration.
     * @return the bridge, ready for its duty cycle.
     * @throws BridgeException when another bridge of the same home runs, or a route cannot be opened.
     */
    public static Bridge open(final BridgeConfig config)
    {
        final Path home = config.homeDirectory();
        final Path createdFrom = outermostMissing(home);
        FileChannel lockFile = null;
        BridgeCounters counters = null;
        Region region = null;
        try
        {
            Files.createDirectories(home);
            lockFile = FileChannel.open(home.resolve("lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            final FileLock lock = tryLock(lockFile);
            if (lock == null)
            {
                throw new BridgeException(config.region().toString(), "another bridge runs in this home: home=" +
                    home + " (name=" + config.name() + ")");
            }
            counters = BridgeCounters.create(home.resolve("counters"));
            region = Region.attach(config.region(), config.attachTimeout());
            final BridgeTransport transport = BridgeTransport.start(config);
            return new Bridge(config, createdFrom, lockFile, lock, counters, region, transport);
        }
        catch (final IOException ex)
        {
            CloseHelper.closeAll(region, counters, lockFile);
            throw new BridgeException(config.region().toString(), "cannot use the bridge's home directory: home=" +
                home + ": " + ex.getMessage(), ex);
        }
        catch (final RuntimeException ex)
        {
            final boolean ownedLock = counters != null;
            CloseHelper.closeAll(region, counters, lockFile);
            if (ownedLock)
            {
                removeLockAndEmptyHome(config, createdFrom);
            }
            if (ex instanceof RegistrationException)
            {
                throw new BridgeAddressException(config, ex); // the driver refused a channel: bind or resolve
            }
            throw ex;
        }
    }

    /**
     * Delete a stopped bridge's home directory with everything in it: replay logs (and the unacknowledged messages
     * they hold, which are then lost), counters, an embedded driver's leftovers. For a bridge killed and not to be
     * restarted; nothing when the directory does not exist.
     *
     * @param home the bridge's home directory.
     * @throws BridgeException when a bridge still runs there.
     */
    public static void deleteHome(final Path home)
    {
        if (!Files.isDirectory(home))
        {
            return;
        }
        try (FileChannel lockFile = FileChannel.open(home.resolve("lock"), StandardOpenOption.CREATE,
            StandardOpenOption.WRITE))
        {
            final FileLock lock = tryLock(lockFile);
            if (lock == null)
            {
                throw new BridgeException(null, "a bridge still runs in its home: home=" + home);
            }
            IoUtil.delete(home.toFile(), false);
        }
        catch (final IOException ex)
        {
            throw new BridgeException(null, "cannot delete the bridge's home: home=" + home + ": " + ex.getMessage(),
                ex);
        }
    }

    private static FileLock tryLock(final FileChannel file) throws IOException
    {
        try
        {
            return file.tryLock();
        }
        catch (final OverlappingFileLockException ex)
        {
            return null; // held by this process
        }
    }

    private Route openRoute(final BridgeRoute route)
    {
        final ChannelSpec channel = channel(route.localChannel());
        if (channel.kind() == ChannelKind.PUBLISH_SUBSCRIBE)
        {
            throw new BridgeException(config.region().toString(), "route " + route + ": channel '" +
                route.localChannel() + "' is PUBLISH_SUBSCRIBE, which the bridge does not carry yet (ONE_TO_ONE, " +
                "MANY_TO_ONE and BROADCAST only); bridge a ring channel fed from the log instead");
        }
        if (route.outbound() && channel.kind() != ChannelKind.BROADCAST && Endpoints.isMulticast(config.peer()))
        {
            throw new InvalidBridgeConfigException("peer", config.peer(), "a unicast address for route " + route +
                ": its " + channel.kind() + " channel is carried to one receiving bridge, whose acknowledgements " +
                "free the sender's log; a multicast group suits BROADCAST routes");
        }
        final io.aeron.Subscription control;
        final io.aeron.Publication data;
        if (!route.outbound())
        {
            return new InboundRoute(route, region.publisher(route.localChannel()), transport,
                counters.allocateRoute(false, route.toString()), config.ackInterval().toNanos());
        }
        data = transport.dataPublication(route.dataStreamId());
        checkMessageLength(route, channel, data);
        control = transport.controlSubscription(route.controlStreamId());
        if (channel.kind() == ChannelKind.BROADCAST)
        {
            return new OutboundBroadcastRoute(region.subscriber(route.localChannel()), data, control,
                counters.allocateRoute(true, route.toString()), transport);
        }
        // The subscriber first: a channel this bridge cannot subscribe to leaves no replay log behind.
        final Subscriber subscriber = region.subscriber(route.localChannel());
        try
        {
            final ReplayLog log = ReplayLog.openOrCreate(config.homeDirectory().resolve(
                "out-" + route.localChannel() + ".replay"), config.replayCapacity(), channel.maxMessageLength());
            return new OutboundRingRoute(route, subscriber, log, data, control,
                counters.allocateRoute(true, route.toString()), transport);
        }
        catch (final RuntimeException ex)
        {
            subscriber.close();
            throw ex;
        }
    }

    private ChannelSpec channel(final String name)
    {
        for (final ChannelSpec channel : region.channels())
        {
            if (channel.name().equals(name))
            {
                return channel;
            }
        }
        throw new NoSuchChannelException(config.region().toString(), "no such channel to bridge: channel=" + name);
    }

    private void checkMessageLength(final BridgeRoute route, final ChannelSpec channel, final Publication data)
    {
        if (channel.maxMessageLength() + FrameDescriptor.DATA_HEADER_LENGTH > data.maxMessageLength())
        {
            data.close();
            throw new BridgeException(config.region().toString(), "route " + route + ": the channel's messages (" +
                "maxMessageLength=" + channel.maxMessageLength() + ") do not fit a frame: at most " +
                (data.maxMessageLength() - FrameDescriptor.DATA_HEADER_LENGTH) + " bytes (Aeron's limit " +
                data.maxMessageLength() + ", an eighth of the term length, less " +
                FrameDescriptor.DATA_HEADER_LENGTH + " bytes of frame header): raise the term length, termLength=" +
                config.termLength());
        }
    }

    /**
     * The configuration.
     *
     * @return the configuration.
     */
    public BridgeConfig config()
    {
        return config;
    }

    /**
     * The directory of the media driver in use: Aeron's tools ({@code AeronStat}) read its counters there.
     *
     * @return the directory.
     */
    public String aeronDirectory()
    {
        return transport.aeronDirectory();
    }

    /**
     * One duty cycle: the Aeron client (and an invoked embedded driver), then every route.
     *
     * @return work done.
     * @throws BridgeException when the Aeron client failed (its driver stopped or timed out, the client was timed
     *                         out, an endpoint failed): the bridge then stays failed, close it and open it again.
     * @throws BridgeRegionDeletedException when the region was deleted while the bridge used it (checked every
     *                         100 ms: what it carried into the region since, the region took with it).
     * @throws ShmIpcException          when the region or one of the bridge's own files failed.
     * @throws AgentTerminationException on every call after one that threw a {@link ShmIpcException}, its cause.
     */
    @Override
    public int doWork()
    {
        if (failure != null)
        {
            throw new AgentTerminationException(failure);
        }
        try
        {
            return duty();
        }
        catch (final ShmIpcException ex)
        {
            // A fault on a replay log met while a route copies a message out of the region (HotSpot may report a
            // fault late) reaches here as the region's error naming the fault: the truncated file is the news.
            failure = causedByFault(ex) ? truncatedFileOr(ex) : ex;
            dropLateFault();
            throw failure;
        }
        catch (final InternalError ex)
        {
            throw fault(ex);
        }
    }

    /**
     * A fault on memory the bridge maps itself (the region's endpoints report theirs, typed), met in {@link #doWork()}
     * or reported by HotSpot late, after it returned, anywhere on the thread (a thread of your own passes it here
     * from its uncaught exception handler: a {@code catch} around the loop may be skipped, see {@link BridgeRunner}):
     * the bridge fails with the typed error naming the file; close it.
     *
     * @param fault HotSpot's error.
     * @return the failure, which every later {@link #doWork()} reports.
     */
    public ShmIpcException fault(final InternalError fault)
    {
        if (failure == null)
        {
            failure = truncatedFileOr(new BridgeException(config.region().toString(), "a fault on memory the " +
                "bridge maps, with its counters and every replay log whole: " + fault, fault));
        }
        dropLateFault();
        return failure;
    }

    /**
     * Take what HotSpot still holds for this thread after the fault being reported (code that went on after the
     * first fault may have met the truncated mapping again), so it does not surface later, outside the bridge. As the
     * core's endpoints do (docs/guarantees.md, "Taking a pending fault"): an array of negative length is refused in
     * one of the VM's runtime calls, on whose return HotSpot 17 drops a pending fault (or raises it, here). A native
     * call such as {@code Thread.holdsLock} would not do: HotSpot 17 does not look for the fault on its return.
     */
    private static void dropLateFault()
    {
        try
        {
            final byte[] never = new byte[neverLength];
            throw new IllegalStateException("an array of negative length allocated: " + never.length);
        }
        catch (final NegativeArraySizeException | InternalError expected)
        {
            // Refused, as meant; the same truncation, reported already, went with it.
        }
    }

    private static boolean causedByFault(final Throwable failure)
    {
        for (Throwable cause = failure; cause != null; cause = cause.getCause())
        {
            if (cause instanceof InternalError)
            {
                return true;
            }
            for (final Throwable suppressed : cause.getSuppressed())
            {
                if (suppressed instanceof InternalError)
                {
                    return true;
                }
            }
        }
        return false;
    }

    /**
     * After a fault on mapped memory: the file of its own (counters, a replay log) found shorter than its mapping,
     * with {@code otherwise} suppressed in it, or {@code otherwise} when every file is whole.
     */
    private ShmIpcException truncatedFileOr(final ShmIpcException otherwise)
    {
        try
        {
            counters.checkWhole();
            for (final Route route : routeArray)
            {
                route.checkMappedFiles();
            }
        }
        catch (final BridgeException truncated)
        {
            truncated.addSuppressed(otherwise);
            return truncated;
        }
        return otherwise;
    }

    private int duty()
    {
        final long nowNs = System.nanoTime();
        int work = transport.invoke(nowNs);
        for (final Route route : routeArray)
        {
            work += route.doWork(nowNs);
        }
        work += transport.sendOffered(nowNs);
        if (nowNs - nextHeartbeatNs >= 0)
        {
            nextHeartbeatNs = nowNs + HEARTBEAT_INTERVAL_NS;
            counters.heartbeat(System.currentTimeMillis());
            if (region.isUnlinked())
            {
                throw new BridgeRegionDeletedException(region.location().toString());
            }
        }
        return work;
    }

    @Override
    public String roleName()
    {
        return "shm-ipc-bridge-" + config.name();
    }

    @Override
    public void onClose()
    {
        close();
    }

    /**
     * Stop cleanly, then close every route, the Aeron client and an embedded driver (deleting its directory), the
     * region, and the counters file. The clean stop takes nothing more from the local channels; receiving routes
     * acknowledge everything they published, and sending ring routes wait for the acknowledgement of what they sent,
     * for at most 200 ms more than four acknowledgement intervals (so two bridges stopped at once leave nothing to
     * send again). Replay logs that still hold unacknowledged messages stay for the next start. Idempotent.
     */
    @Override
    public void close()
    {
        if (closed)
        {
            return;
        }
        closed = true;
        if (failure == null)
        {
            drain();
        }
        closeAll();
    }

    /**
     * Run the routes' clean stop until each is done or the time is up. A failure cuts it short: the close goes on.
     */
    private void drain()
    {
        final long deadline = System.nanoTime() + DRAIN_TIMEOUT_NS + 4 * config.ackInterval().toNanos();
        try
        {
            while (true)
            {
                final long nowNs = System.nanoTime();
                transport.invoke(nowNs);
                boolean done = true;
                for (final Route route : routeArray)
                {
                    done &= route.drain(nowNs);
                }
                transport.sendOffered(nowNs);
                if (done || nowNs - deadline >= 0)
                {
                    return;
                }
                LockSupport.parkNanos(DRAIN_PAUSE_NS);
            }
        }
        catch (final RuntimeException | InternalError ex)
        {
            // The transport, the region or a mapped file failed: what was not acknowledged stays in the replay logs.
        }
    }

    /**
     * After {@link #close()}: the messages the replay logs kept, unacknowledged, for the next start of a bridge of
     * this name and region, which sends them first (0 while the bridge is open, and after a close that found a
     * replay log damaged).
     *
     * @return the count.
     */
    public long unacknowledgedMessagesLeft()
    {
        return unacknowledgedLeft;
    }

    private void closeAll()
    {
        if (failure == null || !causedByFault(failure)) // a truncated replay log is not read again
        {
            try
            {
                long left = 0;
                for (final Route route : routeArray)
                {
                    left += route.unacknowledgedMessages();
                }
                unacknowledgedLeft = left;
            }
            catch (final RuntimeException | InternalError ex)
            {
                // A damaged log: its failure was reported; nothing is counted.
            }
        }
        try
        {
            CloseHelper.closeAll(() -> CloseHelper.closeAll(routes), transport, region, counters);
        }
        finally
        {
            // CloseHelper goes on past an exception but not past an error, and a fault HotSpot reports late is one:
            // the home is unlocked whatever happened above, so that the bridge can be started again.
            CloseHelper.closeAll(lock, lockFile);
            removeLockAndEmptyHome(config, createdFrom);
        }
    }

    /**
     * The outermost of the home and its parents that does not exist yet: what opening creates.
     */
    private static Path outermostMissing(final Path home)
    {
        Path missing = null;
        for (Path path = home.toAbsolutePath(); path != null && !Files.exists(path); path = path.getParent())
        {
            missing = path;
        }
        return missing;
    }

    /**
     * Remove the lock file, and the home directory when nothing else is left in it (replay logs with
     * unacknowledged messages stay, and so does the home), then the parents this bridge created for it, while they
     * are empty. Nothing when the home is gone already (a failed open cleans up once in the constructor and once
     * more on its way out).
     */
    private static void removeLockAndEmptyHome(final BridgeConfig config, final Path createdFrom)
    {
        if (!Files.isDirectory(config.homeDirectory()))
        {
            return;
        }
        try
        {
            Files.deleteIfExists(config.homeDirectory().resolve("lock"));
            if (!Files.isDirectory(config.homeDirectory()))
            {
                return; // removed already: a bridge that failed to open its routes cleans up, then open() again
            }
            try (var entries = Files.list(config.homeDirectory()))
            {
                if (entries.findAny().isEmpty())
                {
                    Files.deleteIfExists(config.homeDirectory());
                    removeEmptyParents(config.homeDirectory(), createdFrom);
                }
            }
        }
        catch (final IOException ex)
        {
            throw new BridgeException(config.region().toString(), "cannot clean the bridge's home directory: home=" +
                config.homeDirectory() + ": " + ex.getMessage(), ex);
        }
    }

    private static void removeEmptyParents(final Path home, final Path createdFrom) throws IOException
    {
        if (createdFrom == null)
        {
            return;
        }
        for (Path parent = home.toAbsolutePath().getParent(); parent != null && parent.startsWith(createdFrom);
            parent = parent.getParent())
        {
            try (var entries = Files.list(parent))
            {
                if (entries.findAny().isPresent())
                {
                    return;
                }
            }
            Files.deleteIfExists(parent);
        }
    }
}
