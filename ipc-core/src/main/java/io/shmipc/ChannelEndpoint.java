package io.shmipc;

import io.shmipc.exceptions.RegionClosedException;
import io.shmipc.layout.ChannelLayout;
import io.shmipc.liveness.EndpointRegistration;

/**
 * What every publisher and subscriber has: its channel, its registration in the endpoint table and a closed
 * flag checked before every access to shared memory.
 */
abstract class ChannelEndpoint
{
    /** Operations between two looks at the clock for housekeeping: one clock read per this many is free. */
    static final int HOUSEKEEPING_INTERVAL_OPERATIONS = 1024;
    /**
     * Least time between two housekeeping rounds. A busy-spinning endpoint makes a million or more operations a
     * millisecond; without this floor it would make an {@code fstat} system call every microsecond or so. With a
     * floor of one millisecond the system calls still showed in ping-pong: p99.9 of about 1 to 1.8 us against
     * 0.45 us with ten (docs/performance.md), so a truncation is noticed up to ten milliseconds later instead.
     */
    static final long HOUSEKEEPING_INTERVAL_NS = 10_000_000L;

    final Region region;
    final ChannelLayout layout;
    final ChannelKind kind;
    final EndpointRegistration registration;
    volatile boolean closed;
    private int operationsUntilHousekeeping = HOUSEKEEPING_INTERVAL_OPERATIONS;
    private long lastHousekeepingNs = System.nanoTime();
    private final com.sun.jna.Memory statScratch = io.shmipc.posix.Posix.newStatBuffer();

    final ChannelCounters counters;

    ChannelEndpoint(final Region region, final ChannelLayout layout, final EndpointRegistration registration)
    {
        this.region = region;
        this.counters = region.counters(layout);
        this.layout = layout;
        this.kind = layout.kind();
        this.registration = registration;
    }

    public final String channel()
    {
        return layout.name();
    }

    public final ChannelKind kind()
    {
        return kind;
    }

    public final boolean isClosed()
    {
        return closed;
    }

    public final void close()
    {
        if (closeQuietly())
        {
            region.forget(this);
        }
    }

    /**
     * Close without telling the region (the region is closing). Must run before the region unmaps.
     *
     * @return true when this call closed it.
     * @throws io.shmipc.exceptions.CorruptRegionException when the endpoint's last writes into shared memory
     *                                                     fault (the file was truncated); it is closed anyway.
     */
    final boolean closeQuietly()
    {
        synchronized (this)
        {
            if (closed)
            {
                return false;
            }
            closed = true;
        }
        awaitQuiescent();
        try
        {
            onClose();
            registration.close();
        }
        catch (final io.shmipc.exceptions.ShmIpcException ex)
        {
            throw ex;
        }
        catch (final RuntimeException | InternalError ex)
        {
            throw corruption(ex);
        }
        return true;
    }

    /**
     * Wait until no thread of this process is inside this endpoint's shared memory on a blocking path.
     */
    void awaitQuiescent()
    {
    }

    /**
     * Count an operation. Every {@link #HOUSEKEEPING_INTERVAL_OPERATIONS} of them, once at least
     * {@link #HOUSEKEEPING_INTERVAL_NS} has passed since the last round, check that the region's file was not
     * truncated under the mapping and write the heartbeat time into the endpoint's slot (information for tools:
     * liveness itself is the slot's lock). So an endpoint makes at most one system call every ten milliseconds
     * however fast it spins, and a slow one checks every 1024 operations. Call it inside the block that turns
     * failures into {@link #corruption(Throwable)}.
     *
     * @throws io.shmipc.exceptions.CorruptRegionException on field {@code file.size} after a truncation.
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
        final long now = System.nanoTime();
        if (now - lastHousekeepingNs < HOUSEKEEPING_INTERVAL_NS)
        {
            return;
        }
        lastHousekeepingNs = now;
        region.checkNotTruncated(layout, statScratch);
        registration.heartbeat(System.currentTimeMillis());
        onHeartbeat();
    }

    /**
     * Called with each heartbeat: flush what is counted locally, look after the channel.
     */
    void onHeartbeat()
    {
    }

    /**
     * Turn a failure inside Agrona's buffer code into the typed error for a corrupted or truncated region.
     *
     * @param cause what Agrona threw (bounds violation, invalid state, or the JVM's error for a fault on a
     *              truncated mapping).
     * @return the exception to throw.
     */
    final io.shmipc.exceptions.CorruptRegionException corruption(final Throwable cause)
    {
        return region.corruption(layout, cause);
    }

    /**
     * Release kind-specific state while the mapping is still valid.
     */
    void onClose()
    {
    }

    final RegionClosedException closedException()
    {
        return new RegionClosedException(region.location().toString(), "closed: region=" + region.location() +
            " channel=" + layout.name() + " endpoint=" + getClass().getSimpleName());
    }

    /**
     * The typed error for a record whose length cannot be right: corrupt shared memory.
     */
    final io.shmipc.exceptions.CorruptRegionException corruptRecord(final int offset, final int length)
    {
        return new io.shmipc.exceptions.CorruptRegionException(region.location().toString(),
            "channel[" + layout.name() + "].record", "a message length from 0 to " + layout.maxMessageLength() +
            " ending within capacity " + layout.capacity(), "length=" + length + " at offset " + offset);
    }

    final io.shmipc.exceptions.MessageTooLargeException tooLarge(final int length)
    {
        return new io.shmipc.exceptions.MessageTooLargeException(region.location().toString(),
            "message too large: region=" + region.location() + " channel=" + layout.name() + " length=" + length +
            " maxMessageLength=" + layout.maxMessageLength());
    }
}
