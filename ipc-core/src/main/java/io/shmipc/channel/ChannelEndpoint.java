package io.shmipc.channel;

import io.shmipc.ChannelKind;
import io.shmipc.exceptions.CorruptRegionException;
import io.shmipc.exceptions.MessageTooLargeException;
import io.shmipc.exceptions.RegionClosedException;
import io.shmipc.exceptions.ShmIpcException;
import io.shmipc.layout.ChannelDescriptor;
import io.shmipc.layout.ChannelLayout;
import io.shmipc.liveness.EndpointRegistration;
import io.shmipc.log.LogFailure;

/**
 * What every publisher and subscriber has: its {@link ChannelContext}, its registration in the endpoint table, a
 * closed flag checked before every access to shared memory, and the housekeeping cadence.
 */
public abstract class ChannelEndpoint
{
    /** Operations between two looks at the clock for housekeeping: one clock read per this many is free. */
    static final int HOUSEKEEPING_INTERVAL_OPERATIONS = 1024;

    final ChannelContext context;
    final ChannelLayout layout;
    final ChannelKind kind;
    final EndpointRegistration registration;
    final ChannelCounters counters;
    final TruncationGuard truncationGuard;
    final ChannelHealth health;
    volatile boolean closed;
    /**
     * Closed from inside its own poll (a handler closing its subscriber): the rest of the close waits for that poll
     * to end, which still finishes its own read first. Set and read by the polling thread; taken under the monitor.
     */
    private boolean closeDeferred;
    /** Its region handle's close has begun: what waits on it reports it ready, as it will be closed in a moment. */
    private final HandleClosing handleClosing;
    private int operationsUntilHousekeeping = HOUSEKEEPING_INTERVAL_OPERATIONS;
    private long lastHousekeepingNs = System.nanoTime();

    ChannelEndpoint(final ChannelContext context)
    {
        this.context = context;
        this.layout = context.layout;
        this.kind = context.kind();
        this.registration = context.registration;
        this.counters = context.counters;
        this.truncationGuard = context.truncationGuard;
        this.health = context.health;
        this.handleClosing = context.handleClosing;
    }

    /**
     * The channel name.
     *
     * @return the name.
     */
    public final String channel()
    {
        return layout.name();
    }

    /**
     * The channel kind.
     *
     * @return the kind.
     */
    public final ChannelKind kind()
    {
        return kind;
    }

    /**
     * Whether this endpoint is closed.
     *
     * @return true once closed, by itself or by its region.
     */
    public final boolean isClosed()
    {
        return closed;
    }

    /**
     * Whether it is closed, or its region handle's close has begun ({@link HandleClosing}).
     *
     * @return true once its region started closing.
     */
    public final boolean isClosing()
    {
        return closed || handleClosing.hasBegun();
    }

    /**
     * Close, and tell whoever opened it (the region's list of endpoints). Idempotent.
     */
    public final void close()
    {
        synchronized (this)
        {
            if (closed)
            {
                return;
            }
            closed = true;
            if (isPollingThread())
            {
                // From inside its own poll: nothing more is delivered, and the poll finishes the close when it ends,
                // after its own read is done. Releasing the role now would let a successor take the channel while
                // this poll still has its read to finish.
                closeDeferred = true;
                return;
            }
        }
        finishClose(true);
    }

    /**
     * Close without telling whoever opened it (the region is closing). Must run before the region unmaps: it also
     * finishes at once a close deferred to the end of a poll in progress.
     *
     * @return true when this call closed it.
     * @throws CorruptRegionException when the endpoint's last writes into shared memory fault (the file was
     *                                truncated); it is closed anyway.
     */
    public final boolean closeQuietly()
    {
        synchronized (this)
        {
            if (closed && !closeDeferred)
            {
                return false;
            }
            closed = true;
            closeDeferred = false;
        }
        finishClose(false);
        return true;
    }

    /**
     * At the end of a poll: finish a close made from inside it, if any.
     */
    final void finishDeferredClose()
    {
        if (!closeDeferred) // the polling thread's own write, or a region close that took it over
        {
            return;
        }
        synchronized (this)
        {
            if (!closeDeferred)
            {
                return;
            }
            closeDeferred = false;
        }
        finishClose(true);
    }

    /**
     * Whether this endpoint still holds its role in the channel: open, or closed from inside the poll in progress,
     * which still finishes its read. Once false, the role (a ring's head, a log subscriber's slot) may be another
     * endpoint's, and this one must write nothing more there.
     *
     * @return true while the role is this endpoint's.
     */
    final boolean holdsRole()
    {
        return !closed || closeDeferred;
    }

    /**
     * Whether the calling thread is inside a poll of this endpoint (a handler's thread).
     *
     * @return false but for subscribers.
     */
    boolean isPollingThread()
    {
        return false;
    }

    private void finishClose(final boolean tellOpener)
    {
        awaitQuiescent();
        try
        {
            onClose();
            registration.close();
        }
        catch (final ShmIpcException ex)
        {
            throw ex;
        }
        catch (final RuntimeException | InternalError ex)
        {
            throw corruption(ex);
        }
        if (tellOpener)
        {
            context.onClose.accept(this);
        }
    }

    /**
     * Wait until no thread of this process is inside this endpoint's shared memory on a blocking path.
     */
    void awaitQuiescent()
    {
    }

    /**
     * Count an operation. Every {@link #HOUSEKEEPING_INTERVAL_OPERATIONS} of them, once the truncation guard's
     * time floor has passed since the last round, check that the region's file was not truncated under the mapping
     * and write the heartbeat time into the endpoint's slot (information for tools: liveness itself is the slot's
     * lock). So an endpoint makes at most one system call per floor however fast it spins, and a slow one checks
     * every 1024 operations. Call it inside the block that turns failures into {@link #corruption(Throwable)}.
     *
     * @throws CorruptRegionException on field {@code file.size} after a truncation.
     */
    final void tick()
    {
        if (--operationsUntilHousekeeping <= 0)
        {
            housekeeping();
        }
    }

    private void housekeeping()
    {
        operationsUntilHousekeeping = HOUSEKEEPING_INTERVAL_OPERATIONS;
        final long nowNs = System.nanoTime();
        if (nowNs - lastHousekeepingNs >= TruncationGuard.CHECK_INTERVAL_NS)
        {
            lastHousekeepingNs = nowNs;
            truncationGuard.check(nowNs);
            registration.heartbeat(System.currentTimeMillis());
            checkOwnSlot();
            onHeartbeat();
        }
    }

    /**
     * Check that this endpoint's slot still holds its Endpoint Id (its close, from another thread, clears it).
     *
     * @throws CorruptRegionException naming {@code slot[i].endpointId}, failing the channel, when it does not.
     */
    private void checkOwnSlot()
    {
        final long found = registration.endpointIdInSlot();
        if (found != registration.endpointId() && !closed)
        {
            throw health.fail(ChannelDescriptor.FAILURE_SLOT, "slot[" + registration.slot() + "].endpointId",
                registration.endpointId() + " (this live endpoint's, which it alone writes)", Long.toString(found));
        }
    }

    /**
     * Called with each heartbeat: flush what is counted locally, look after the channel.
     */
    void onHeartbeat()
    {
    }

    /**
     * What a failure inside shared memory becomes: {@link RegionClosedException} once this endpoint is closed (its
     * region may have been released under the operation, which then read zeros or hit a closed descriptor), else
     * the typed error for a corrupted or truncated region.
     *
     * @param cause what the operation threw.
     * @return the exception to throw.
     */
    final ShmIpcException failure(final Throwable cause)
    {
        if (closed)
        {
            final RegionClosedException closing = closedException();
            closing.addSuppressed(cause);
            return closing;
        }
        if (cause instanceof ShmIpcException typed)
        {
            // What was read from a mapping whose file was truncated may fail a check before the fault is known:
            // the truncation is the failure to report. Either way the fault HotSpot may still hold for this thread
            // is taken last, so it cannot escape later as a raw InternalError.
            if (typed instanceof CorruptRegionException && truncationGuard.truncatedNow())
            {
                return corruption(cause);
            }
            RegionHealth.takePendingFault();
            return typed;
        }
        return corruption(cause);
    }

    /**
     * The exception for an operation on a channel that failed (here, or in another process, or because the region's
     * file was truncated).
     *
     * @return the exception to throw.
     */
    final CorruptRegionException failedChannel()
    {
        final CorruptRegionException failed = health.failedException();
        RegionHealth.takePendingFault(); // after the failure's code was read from the mapping
        return failed;
    }

    /**
     * Turn a failure inside the buffer code into the typed error for a corrupted or truncated region.
     *
     * @param cause what the buffer code threw (bounds violation, invalid state, or the JVM's error for a fault on
     *              a truncated mapping).
     * @return the exception to throw.
     */
    final CorruptRegionException corruption(final Throwable cause)
    {
        return truncationGuard.corruption(cause);
    }

    /**
     * The failures the log's protocol pieces find, as this endpoint reports them: the channel fails for everyone
     * ({@link ChannelHealth#fail}, record or position code by the field), unless this endpoint was closed meanwhile.
     * Its close changes what a racing operation of its own reads (a subscriber's slot released, the mapping replaced
     * by a placeholder of zeros), so a value found wrong after the close began is not the channel's fault: it is
     * reported as the close, and nothing is marked.
     *
     * @return the failures of this endpoint's channel.
     */
    final LogFailure logFailure()
    {
        return new LogFailure(layout.name(), (field, expected, actual) -> closed ?
            new CorruptRegionException(context.region, health.field(field), expected, actual) :
            health.fail(field.startsWith("log.record") ? ChannelDescriptor.FAILURE_RECORD :
                ChannelDescriptor.FAILURE_POSITIONS, field, expected, actual));
    }

    /**
     * Release kind-specific state while the mapping is still valid.
     */
    void onClose()
    {
    }

    final RegionClosedException closedException()
    {
        return new RegionClosedException(context.region, "closed: region=" + context.region + " channel=" +
            layout.name() + " endpoint=" + getClass().getSimpleName());
    }

    final MessageTooLargeException tooLarge(final int length)
    {
        return new MessageTooLargeException(context.region, "message too large: region=" + context.region +
            " channel=" + layout.name() + " length=" + length + " maxMessageLength=" + layout.maxMessageLength());
    }
}
