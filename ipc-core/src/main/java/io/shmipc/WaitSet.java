package io.shmipc;

import io.shmipc.wait.Timeouts;
import io.shmipc.channel.SubscriberEndpoint;
import io.shmipc.directory.ChangeCountSource;
import io.shmipc.wait.MultiWait;
import io.shmipc.wait.WaitSource;

import java.time.Duration;

/**
 * One thread waiting until any of many things has work, with a timeout, and learning which: subscribers (a message
 * to poll), a region's channel list (a channel added or removed), service servers (a request) and clients (a
 * response, a timeout, the server's death).
 * <pre>{@code
 * try (WaitSet waitSet = new WaitSet())
 * {
 *     final int quotes = waitSet.add(quotesSubscriber);
 *     final int orders = waitSet.add(ordersSubscriber);
 *     final int channels = waitSet.addChannelList(region);
 *     while (running)
 *     {
 *         waitSet.await(Duration.ofSeconds(1));
 *         for (int key = waitSet.nextReady(-1); key >= 0; key = waitSet.nextReady(key))
 *         {
 *             if (key == quotes) { quotesSubscriber.poll(handler, 64); }
 *             ...
 *         }
 *     }
 * }
 * }</pre>
 * On Linux 5.16 and later the thread sleeps with {@code futex_waitv} on every member's wake-up word at once, so a
 * message on any of them wakes it as fast as a blocking poll of that one channel, and an idle wait costs no CPU.
 * Where {@code futex_waitv} is missing ({@link Mechanism#FUTEX_SLICES}) it sleeps in slices of at most 1 ms on a
 * word of its own and looks at every member after each. Waiting allocates nothing.
 * <p>
 * Ready means a poll may find work: a broadcast subscriber whose last poll filled its limit is reported ready once
 * more even when that poll took the last message, since the transmitter's position says only that something came.
 * A member is reported ready when it has work, and also when it is closed (its poll then says so), so that a
 * {@link Region#close()} from another thread ends the wait at once. A subscriber's ring stuck behind a publisher that
 * died writing a record is unblocked while waiting, as in a blocking poll ({@link Subscriber#poll(MessageHandler,
 * int, Duration)}): the wait looks at it at least every 10 ms. A wait set and its members' polls belong to one thread;
 * {@link #wakeUp()} and {@link #close()} may be called from any.
 */
public final class WaitSet implements AutoCloseable
{
    /** Most members of one wait set. */
    public static final int MAX_MEMBERS = MultiWait.MAX_SOURCES;

    /**
     * How a wait set sleeps on this system, chosen once per JVM.
     */
    public enum Mechanism
    {
        /** {@code futex_waitv} on every member's word at once (Linux 5.16 and later). */
        FUTEX_WAITV,
        /** {@code futex} on the wait set's own word, in slices of at most 1 ms, looking at every member after each. */
        FUTEX_SLICES,
        /** Parking in slices of at most 1 ms (no futex at all). */
        PARKING
    }

    private final MultiWait wait;
    private final Region[] channelLists = new Region[MAX_MEMBERS];

    /**
     * An empty wait set.
     */
    public WaitSet()
    {
        this.wait = new MultiWait();
    }

    WaitSet(final MultiWait.Mechanism mechanism)
    {
        this.wait = new MultiWait(mechanism);
    }

    /**
     * How this wait set sleeps.
     *
     * @return the mechanism.
     */
    public Mechanism mechanism()
    {
        return switch (wait.mechanism())
        {
            case FUTEX_WAITV -> Mechanism.FUTEX_WAITV;
            case FUTEX_SLICES -> Mechanism.FUTEX_SLICES;
            case PARKING -> Mechanism.PARKING;
        };
    }

    /**
     * Add a subscriber: ready when a poll would deliver a message, or when it is closed.
     *
     * @param subscriber the subscriber, polled by the thread that waits.
     * @return its key.
     * @throws IllegalStateException when the wait set holds {@link #MAX_MEMBERS} members, or is closed.
     */
    public int add(final Subscriber subscriber)
    {
        return wait.add(((SubscriberEndpoint)subscriber).waitSource());
    }

    /**
     * Add a region's channel list: ready once for each time channels were added to or removed from the region since
     * the last time it was reported (read them with {@link RegionDirectory#channelList()}), and when the region is
     * closed.
     *
     * @param region the region.
     * @return its key.
     * @throws IllegalStateException when the wait set holds {@link #MAX_MEMBERS} members, or is closed.
     */
    public int addChannelList(final Region region)
    {
        wait.ensureOpen(); // before the region keeps a watcher for it
        final ChangeCountSource source = region.directory().watch(this);
        final int key = wait.add(source);
        channelLists[key] = region;
        return key;
    }

    /**
     * Add a service server: ready when a request waits.
     *
     * @param server the server, polled by the thread that waits.
     * @return its key.
     * @throws IllegalStateException when the wait set holds {@link #MAX_MEMBERS} members, or is closed.
     */
    public int add(final ServiceServer server)
    {
        return wait.add(server.waitSource());
    }

    /**
     * Add a service client: ready when a response came, a request timed out, or the server of pending requests
     * died (looked at every 10 ms while requests are pending).
     *
     * @param client the client, polled by the thread that waits.
     * @return its key.
     * @throws IllegalStateException when the wait set holds {@link #MAX_MEMBERS} members, or is closed.
     */
    public int add(final ServiceClient client)
    {
        return wait.add(client.waitSource());
    }

    /**
     * Remove a member; its key may be given to one added later.
     *
     * @param key the member's key.
     */
    public void remove(final int key)
    {
        final WaitSource source = wait.source(key);
        if (source == null)
        {
            return;
        }
        if (channelLists[key] != null)
        {
            channelLists[key].directory().unwatch((ChangeCountSource)source);
            channelLists[key] = null;
        }
        wait.remove(key);
    }

    /**
     * Wait until a member has work, the timeout passes, {@link #wakeUp()} or {@link #close()} is called, or the
     * thread is interrupted (the interrupt status stays set; a thread interrupted before the call only looks at the
     * members).
     *
     * @param timeout longest wait.
     * @return how many members are ready (0 after a timeout, or a wake-up, close or interrupt that found none ready).
     * @throws IllegalStateException when the wait set was closed before the call, or another thread waits on it.
     */
    public int await(final Duration timeout)
    {
        return await(Timeouts.nanos(timeout));
    }

    /**
     * Wait until a member has work, the timeout passes, {@link #wakeUp()} is called, or the thread is interrupted;
     * see {@link #await(Duration)}.
     *
     * @param timeoutNs longest wait in nanoseconds; 0 looks without sleeping.
     * @return how many members are ready (0 after a timeout, or a wake-up, close or interrupt that found none ready).
     * @throws IllegalStateException when the wait set was closed before the call, or another thread waits on it.
     */
    public int await(final long timeoutNs)
    {
        final int ready = wait.await(timeoutNs);
        if (ready == MultiWait.CLOSED)
        {
            wait.ensureOpen(); // throws
        }
        return ready;
    }

    /**
     * Whether the last wait found a member ready.
     *
     * @param key the member's key.
     * @return true when ready.
     */
    public boolean isReady(final int key)
    {
        return wait.isReady(key);
    }

    /**
     * The next ready member after {@code key}, to go through the ready ones without allocating.
     *
     * @param key a key, or -1 to start.
     * @return the next ready key, or -1 when none is left.
     * @throws IllegalArgumentException when {@code key} is below -1.
     */
    public int nextReady(final int key)
    {
        return wait.nextReady(key);
    }

    /**
     * End the wait in progress at once, or the next one if none is. Any thread.
     */
    public void wakeUp()
    {
        wait.wakeUp();
    }

    /**
     * Release the wait set; its members stay open. Any thread: a wait in progress is woken and returns what it found
     * ready, leaving every member as it found it, and the close returns once it has left; a wait begun after the
     * close throws {@link IllegalStateException}. Idempotent.
     */
    @Override
    public void close()
    {
        wait.close(); // first: the wait in progress leaves its members before they are removed
        for (int key = 0; key < MAX_MEMBERS; key++)
        {
            remove(key);
        }
    }
}
