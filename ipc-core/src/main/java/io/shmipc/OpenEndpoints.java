package io.shmipc;

import io.shmipc.channel.ChannelEndpoint;
import io.shmipc.channel.HandleClosing;
import io.shmipc.exceptions.RegionClosedException;
import io.shmipc.exceptions.ShmIpcException;
import io.shmipc.region.MappedRegion;

import java.util.ArrayList;
import java.util.List;

/**
 * The publishers and subscribers a region handle has open, and the handle's close: every endpoint and the channel
 * list's wait sources marked closing by one store (so a wait set that finds one closing reports them all), every
 * endpoint closed (a failure of one does not keep the others, the mapping, the descriptors or the locks from being
 * released; the first is thrown at the end, the others suppressed in it), then the channel list's watchers woken, then
 * the mapping unmapped. {@link #ensureOpen()} is the check every operation of the handle makes first. Guarded by the
 * handle's monitor, which endpoints are opened under, so no endpoint is added once the close has taken the list.
 */
final class OpenEndpoints
{
    private final Object lock;
    private final MappedRegion mapped;
    private final RegionChannels channels;
    private final HandleClosing closing;
    private final List<ChannelEndpoint> open = new ArrayList<>();
    private volatile boolean closed;

    OpenEndpoints(final Object lock, final MappedRegion mapped, final RegionChannels channels,
        final HandleClosing closing)
    {
        this.lock = lock;
        this.mapped = mapped;
        this.channels = channels;
        this.closing = closing;
    }

    void ensureOpen()
    {
        if (closed)
        {
            throw new RegionClosedException(mapped.name(), "region is closed: region=" + mapped.name());
        }
    }

    boolean isClosed()
    {
        return closed;
    }

    /**
     * Keep an endpoint just opened, under the handle's monitor.
     */
    <T> T opened(final T endpoint)
    {
        open.add((ChannelEndpoint)endpoint);
        return endpoint;
    }

    /**
     * An endpoint closed itself.
     */
    void forget(final ChannelEndpoint endpoint)
    {
        synchronized (lock)
        {
            open.remove(endpoint);
        }
    }

    /**
     * Close every endpoint, the channel list's watchers and the mapping, unlinking the name when asked. Idempotent.
     *
     * @throws ShmIpcException after everything was released, when an endpoint could not be closed cleanly.
     */
    void close(final boolean deleteOnClose)
    {
        final List<ChannelEndpoint> closing;
        // Before the monitor: a change of this handle waiting for another process's directory lock holds it.
        mapped.directory().abandonWaits();
        synchronized (lock)
        {
            if (closed)
            {
                return;
            }
            closed = true;
            closing = new ArrayList<>(open);
            open.clear();
        }
        beginClosing();
        ShmIpcException failure = null;
        for (final ChannelEndpoint endpoint : closing)
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
        channels.close(); // wait sets watching the channel list learn it before the mapping goes
        mapped.close(deleteOnClose);
        if (failure != null)
        {
            throw failure;
        }
    }

    /**
     * Mark every endpoint and channel-list wait source of the handle closing, with one store, before the first of
     * them is closed: a wait set woken by that close, or looking at its members meanwhile, finds one closing only once
     * all of them are.
     */
    void beginClosing()
    {
        closing.begin();
    }

    /**
     * Release a handle that failed to open a channel its configuration lists: it has no endpoint yet, and the
     * region is another's, so its name stays whatever delete-on-close says.
     */
    void closeAfterFailure(final RuntimeException failure)
    {
        synchronized (lock)
        {
            closed = true;
        }
        try
        {
            mapped.close(false);
        }
        catch (final RuntimeException ex)
        {
            failure.addSuppressed(ex);
        }
    }
}
