package io.shmipc.service;

import org.agrona.BitUtil;

/**
 * A client's requests that wait for their final response: correlation id, deadline and the server they were sent
 * to (its id), in an open-addressing table
 * of fixed size (linear probing, deletion by backward shift), so adding, finding and removing allocate nothing. The
 * earliest deadline is kept so that looking for timeouts costs nothing until one is due. The sweeps that remove the
 * expired requests, or those sent to a server that is gone, go on from where the last removal left off, so removing
 * all of n requests visits each slot a bounded number of times, not n times.
 */
public final class PendingRequests
{
    /**
     * The deadline of a request that never times out: one whose timeout is {@link #NEVER_NS} or longer. Deadlines are
     * compared with wrap-around arithmetic, which holds for deadlines less than 2^63 ns apart: such a far one would
     * pass for one already due next to a near one.
     */
    public static final long NO_DEADLINE = Long.MAX_VALUE;
    /** Timeouts from this long on (2^62 ns, about 146 years) never expire. */
    public static final long NEVER_NS = 1L << 62;

    private static final long EMPTY = 0;

    private final long[] ids;
    private final long[] deadlines;
    private final long[] servers;
    private final int mask;
    private final int capacity;
    private int size;
    private long earliestDeadline = NO_DEADLINE;
    /** Where the next sweep step looks: the slot the last removal emptied (an entry may have moved into it). */
    private int sweepSlot;

    /**
     * A table for at most {@code capacity} pending requests.
     *
     * @param capacity most requests pending at once.
     */
    public PendingRequests(final int capacity)
    {
        if (capacity < 1 || capacity > 1 << 20)
        {
            throw new IllegalArgumentException("maxPending from 1 to 1048576: maxPending=" + capacity);
        }
        this.capacity = capacity;
        final int slots = BitUtil.findNextPositivePowerOfTwo(capacity * 2);
        this.ids = new long[slots];
        this.deadlines = new long[slots];
        this.servers = new long[slots];
        this.mask = slots - 1;
    }

    /**
     * Requests pending.
     *
     * @return how many.
     */
    public int size()
    {
        return size;
    }

    /**
     * Whether no more fit.
     *
     * @return true when full.
     */
    public boolean isFull()
    {
        return size >= capacity;
    }

    /**
     * The deadline of a request sent now with a timeout.
     *
     * @param now       {@link System#nanoTime()}.
     * @param timeoutNs the timeout, 0 or more.
     * @return {@code now + timeoutNs}, or {@link #NO_DEADLINE} from {@link #NEVER_NS} on.
     */
    public static long deadline(final long now, final long timeoutNs)
    {
        return timeoutNs >= NEVER_NS ? NO_DEADLINE : now + timeoutNs;
    }

    /**
     * Add a request.
     *
     * @param id       its correlation id, positive.
     * @param deadline when it times out, on {@link System#nanoTime()}'s clock ({@link #deadline}), or
     *                 {@link #NO_DEADLINE}.
     * @param server   the id of the server it was sent to.
     */
    public void add(final long id, final long deadline, final long server)
    {
        int slot = slot(id);
        while (ids[slot] != EMPTY)
        {
            slot = (slot + 1) & mask;
        }
        ids[slot] = id;
        deadlines[slot] = deadline;
        servers[slot] = server;
        size++;
        if (deadline != NO_DEADLINE && (earliestDeadline == NO_DEADLINE || deadline - earliestDeadline < 0))
        {
            earliestDeadline = deadline;
        }
    }

    /**
     * Whether a request is pending.
     *
     * @param id its correlation id.
     * @return true when pending.
     */
    public boolean contains(final long id)
    {
        return find(id) >= 0;
    }

    /**
     * Remove a request.
     *
     * @param id its correlation id.
     * @return true when it was pending.
     */
    public boolean remove(final long id)
    {
        final int slot = find(id);
        if (slot < 0)
        {
            return false;
        }
        removeAt(slot);
        return true;
    }

    /**
     * Whether a timeout may be due: the earliest deadline known has passed (it may have been removed since).
     *
     * @param now {@link System#nanoTime()}.
     * @return true when {@link #removeExpired} may find something.
     */
    public boolean mayHaveExpired(final long now)
    {
        return size > 0 && earliestDeadline != NO_DEADLINE && now - earliestDeadline >= 0;
    }

    /**
     * The earliest deadline known, to bound a sleep.
     *
     * @return a deadline on {@link System#nanoTime()}'s clock, or {@link #NO_DEADLINE} when no request pending
     *         has one.
     */
    public long earliestDeadline()
    {
        return size == 0 ? NO_DEADLINE : earliestDeadline;
    }

    /**
     * Remove one request whose deadline has passed.
     *
     * @param now {@link System#nanoTime()}.
     * @return its correlation id, or 0 when none is left; the earliest deadline is recomputed then.
     */
    public long removeExpired(final long now)
    {
        long earliest = NO_DEADLINE;
        for (int visited = 0; visited <= mask; visited++)
        {
            final int slot = sweepSlot;
            final long id = ids[slot];
            final long deadline = deadlines[slot];
            if (id != EMPTY && deadline != NO_DEADLINE)
            {
                if (now - deadline >= 0)
                {
                    removeAt(slot);
                    return id;
                }
                if (earliest == NO_DEADLINE || deadline - earliest < 0)
                {
                    earliest = deadline;
                }
            }
            sweepSlot = (slot + 1) & mask;
        }
        earliestDeadline = earliest;
        return 0;
    }

    /**
     * Remove one request sent to another server than {@code server} (one that died or was replaced).
     *
     * @param server the live server's id, or 0 when none lives.
     * @return its correlation id, or 0 when none is left.
     */
    public long removeNotSentTo(final long server)
    {
        for (int visited = 0; visited <= mask && size > 0; visited++)
        {
            final int slot = sweepSlot;
            final long id = ids[slot];
            if (id != EMPTY && servers[slot] != server)
            {
                removeAt(slot);
                return id;
            }
            sweepSlot = (slot + 1) & mask;
        }
        return 0;
    }

    private int find(final long id)
    {
        int slot = slot(id);
        while (ids[slot] != EMPTY)
        {
            if (ids[slot] == id)
            {
                return slot;
            }
            slot = (slot + 1) & mask;
        }
        return -1;
    }

    /**
     * Empty a slot and shift back the entries after it whose home is not between the hole and them, so that every
     * entry stays reachable from its home slot.
     */
    private void removeAt(final int removed)
    {
        int hole = removed;
        int slot = (removed + 1) & mask;
        while (ids[slot] != EMPTY)
        {
            final int home = slot(ids[slot]);
            if (((slot - home) & mask) >= ((slot - hole) & mask))
            {
                ids[hole] = ids[slot];
                deadlines[hole] = deadlines[slot];
                servers[hole] = servers[slot];
                hole = slot;
            }
            slot = (slot + 1) & mask;
        }
        ids[hole] = EMPTY;
        size--;
    }

    private int slot(final long id)
    {
        return (int)(id * 0x9E3779B97F4A7C15L >>> 32) & mask;
    }
}
