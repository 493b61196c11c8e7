package io.shmipc;

import io.shmipc.channel.HandleClosing;
import io.shmipc.directory.ChangeCountSource;
import io.shmipc.directory.ChannelDirectory;
import io.shmipc.directory.DirectoryView;
import io.shmipc.exceptions.NoSuchChannelException;
import io.shmipc.exceptions.RegionClosedException;
import io.shmipc.layout.ChannelLayout;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * A region handle's view of its channels: the directory read again when asked, the channels this handle has looked
 * up (each checked against its entry before an endpoint is opened on it, so a channel removed and added again since
 * is read anew), and the wait sets watching the channel list and the threads waiting for a change, woken when the
 * handle closes. The handle synchronizes.
 */
final class RegionChannels
{
    /** Attempts to open an endpoint on a channel that keeps being removed (and added again) under the open. */
    private static final int MAX_OPEN_ATTEMPTS = 1000;
    private static final long OPEN_RETRY_PAUSE_NS = 10_000L;

    private final String region;
    private final ChannelDirectory directory;
    private final DirectoryView view;
    private final Map<String, ChannelLayout> known = new HashMap<>();
    private final Map<ChangeCountSource, WaitSet> watchers = new HashMap<>();
    private final HandleClosing closing;
    private volatile boolean closed;

    RegionChannels(final String region, final ChannelDirectory directory, final List<ChannelLayout> atOpen,
        final HandleClosing closing)
    {
        this.region = region;
        this.closing = closing;
        this.directory = directory;
        this.view = directory.view();
        for (final ChannelLayout channel : atOpen)
        {
            known.put(channel.name(), channel);
        }
    }

    ChannelList list()
    {
        final DirectoryView.Listing listing = directory.readSettled(view::listing);
        final List<ChannelSpec> specs = new ArrayList<>(listing.channels().size());
        for (final ChannelLayout channel : listing.channels())
        {
            specs.add(channel.spec());
        }
        return new ChannelList(listing.changeCount(), specs);
    }

    /**
     * Wait for the change count to move from {@code changeCount}, then list the channels.
     *
     * @throws RegionClosedException when the handle closed before or during the wait: {@link #close()} wakes the
     *                               waiting thread, and nothing is read from the mapping it leaves behind.
     */
    ChannelList awaitChange(final int changeCount, final long timeoutNs)
    {
        view.awaitChange(changeCount, timeoutNs, this::isClosed);
        if (closed)
        {
            throw new RegionClosedException(region, "region is closed: region=" + region);
        }
        return list();
    }

    private boolean isClosed()
    {
        return closed;
    }

    ChannelSpec openOrAdd(final ChannelSpec channel, final boolean mustAdd)
    {
        final ChannelLayout layout = directory.openOrAdd(channel, mustAdd, ChannelDirectory.LOCK_TIMEOUT_NS);
        synchronized (this)
        {
            known.put(layout.name(), layout);
        }
        return layout.spec();
    }

    /**
     * Remove a channel no live endpoint uses, trying again for a moment while it is in use
     * ({@link ChannelDirectory#removeSettled}).
     *
     * @param attempt makes one try: calls {@link #removeOnce} within what the handle holds for an operation.
     * @return true when removed; false when absent.
     */
    boolean removeSettled(final String channel, final Supplier<ChannelDirectory.Removal> attempt)
    {
        return directory.removeSettled(channel, attempt);
    }

    /**
     * One try at removing a channel no live endpoint uses ({@link ChannelDirectory#removeOnce}).
     *
     * @return what happened.
     */
    ChannelDirectory.Removal removeOnce(final String channel)
    {
        synchronized (this)
        {
            known.remove(channel);
        }
        return directory.removeOnce(channel, ChannelDirectory.LOCK_TIMEOUT_NS);
    }

    /**
     * The Directory Change Count now: it moves with every channel added or removed, by any process.
     */
    int changeCount()
    {
        return view.changeCount();
    }

    /**
     * Open an endpoint on the channel of a name: the one this handle knows, or the one the directory holds now when
     * it knows none or the one it knew was removed (the opener returns {@code null} then).
     */
    synchronized <T> T open(final String channel, final Function<ChannelLayout, T> opener)
    {
        for (int attempt = 0; attempt < MAX_OPEN_ATTEMPTS; attempt++)
        {
            ChannelLayout layout = known.get(channel);
            if (layout == null || attempt > 0)
            {
                layout = directory.readSettled(() -> view.find(channel));
                if (layout == null)
                {
                    known.remove(channel);
                    throw noSuchChannel(channel);
                }
                known.put(channel, layout);
            }
            final T endpoint = opener.apply(layout);
            if (endpoint != null)
            {
                return endpoint;
            }
            if (attempt > 0)
            {
                LockSupport.parkNanos(OPEN_RETRY_PAUSE_NS); // a removal of this channel holds it: let it finish
            }
        }
        throw stillListed(channel) ? new NoSuchChannelException(region, "channel is being removed: region=" +
            region + " channel=" + channel + " (a removal holds its in-use lock, as no open may while it decides; " +
            "it is listed until the removal ends)") : noSuchChannel(channel);
    }

    private boolean stillListed(final String channel)
    {
        return directory.readSettled(() -> view.find(channel)) != null;
    }

    synchronized ChangeCountSource watch(final WaitSet waitSet)
    {
        final ChangeCountSource source = new ChangeCountSource(view, closing::hasBegun);
        watchers.put(source, waitSet);
        return source;
    }

    synchronized void unwatch(final ChangeCountSource source)
    {
        watchers.remove(source);
    }

    /**
     * The handle is closing: every watching wait set learns it now, before the mapping goes.
     */
    synchronized void close()
    {
        closed = true;
        view.wakeWaiters(); // threads asleep in awaitChange look again, see the handle closed and leave
        watchers.values().forEach(WaitSet::wakeUp); // their sources report the handle closing already
        watchers.clear();
    }

    synchronized Set<String> knownNames()
    {
        return Set.copyOf(known.keySet());
    }

    private NoSuchChannelException noSuchChannel(final String channel)
    {
        final List<String> names = new ArrayList<>();
        for (final ChannelLayout present : directory.readSettled(view::channels))
        {
            names.add(present.name());
        }
        return new NoSuchChannelException(region, "no such channel: region=" + region + " channel=" + channel +
            " channels=" + names);
    }
}
