package io.shmipc.log;

import org.agrona.concurrent.AtomicBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.lang.invoke.VarHandle;
import java.util.function.IntPredicate;
import java.util.function.LongSupplier;

import static io.shmipc.layout.EndpointDescriptor.*;
import static io.shmipc.layout.LogBufferDescriptor.*;

/**
 * The publisher's limit: how far it may write without overwriting what a tethered subscriber has not read. A scan
 * stores an upper bound in Publisher Limit, fences, reads the Subscriber Mask and the state and position of every
 * subscriber it names, and stores the limit found with a compare-and-set from the bound; joining subscribers rely on
 * that order (see docs/layout.md, "Joining"). Scans happen when a record does not fit under the cached limit (about
 * once per capacity while subscribers keep up) and the subscriber that set that limit has moved since, and when a
 * subscriber joining to replay history asked for one: it sets
 * {@link io.shmipc.layout.LogBufferDescriptor#SCAN_REQUESTED} in Publisher Limit, which the publisher loads on every
 * append. A publisher refused again and again while that subscriber catches up loads its state and position, one
 * cache line, and stores nothing, so it takes nothing from the subscriber but the one line the subscriber stores into
 * once per poll.
 * <p>
 * When a scan leaves the publisher back-pressured, at most once per {@link #LIVENESS_INTERVAL_NS} it probes the
 * slot locks of the subscribers holding it back: a dead one's tag is noted and ignored from then on, so it stops
 * holding the publisher back within about that interval of its death. A live one that asked for it and has not moved
 * for its Demote After is demoted with a compare-and-set of its Log State. Nothing else is written into the
 * subscribers' slots.
 */
public final class SubscriberGate implements LogAppender.LimitScanner
{
    /** Least time between two liveness probes of the subscribers holding a back-pressured publisher back. */
    public static final long LIVENESS_INTERVAL_NS = 1_000_000L;

    private final AtomicBuffer log;
    private final UnsafeBuffer table;
    private final int capacity;
    private final int maskIndex;
    private final int limitIndex;
    private final long ownBit;
    private final IntPredicate slotAlive;
    private final LongSupplier nanoClock;
    private final LogFailure failure;
    private final long[] ignoredTags;
    private final long[] lastTags;
    private final long[] lastPositions;
    private final long[] lastMoveNs;
    private long nextProbeNs;
    private long scannedLimit = Long.MIN_VALUE;
    private int blockingSlot = -1;
    private long blockingState;
    private long blockingPosition;
    private int deadSubscribers;
    private int demotedSubscribers;

    /**
     * A gate over a channel's log and endpoint table.
     *
     * @param log       the log's data and trailer.
     * @param capacity  the data capacity.
     * @param table     the channel's endpoint table.
     * @param slots     slots in the table, at most 64.
     * @param ownSlot   the publisher's own slot, never a subscriber.
     * @param slotAlive whether a slot's lock is held (a system call).
     * @param nanoClock {@link System#nanoTime()} or a test's clock.
     * @param failure   the channel's failure mark.
     */
    public SubscriberGate(final AtomicBuffer log, final int capacity, final UnsafeBuffer table, final int slots,
        final int ownSlot, final IntPredicate slotAlive, final LongSupplier nanoClock, final LogFailure failure)
    {
        this.log = log;
        this.table = table;
        this.capacity = capacity;
        this.maskIndex = capacity + SUBSCRIBER_MASK_OFFSET;
        this.limitIndex = capacity + PUBLISHER_LIMIT_OFFSET;
        this.ownBit = 1L << ownSlot;
        this.slotAlive = slotAlive;
        this.nanoClock = nanoClock;
        this.failure = failure;
        this.ignoredTags = new long[slots];
        this.lastTags = new long[slots];
        this.lastPositions = new long[slots];
        this.lastMoveNs = new long[slots];
    }

    /**
     * Leave the publisher's own slot out of the mask and mark it not subscribed, once, when the publisher starts: a
     * subscriber that died in this slot left both.
     *
     * @param ownSlot      the publisher's slot.
     * @param ownEndpointId the publisher's endpoint id.
     */
    public void takeOwnSlot(final int ownSlot, final long ownEndpointId)
    {
        table.putLongRelease(ownSlot * SLOT_LENGTH + LOG_STATE_OFFSET, subscriberTag(ownEndpointId));
        long mask;
        do
        {
            mask = log.getLongVolatile(maskIndex);
        }
        while ((mask & ownBit) != 0 && !log.compareAndSetLong(maskIndex, mask, mask & ~ownBit));
    }

    @Override
    public long limit(final long tail, final long extent, final long end)
    {
        long limit = scanRequested() || blockerMoved() ? scan(tail, extent) : scannedLimit;
        if (end > limit)
        {
            final long now = nanoClock.getAsLong();
            if (now - nextProbeNs >= 0)
            {
                nextProbeNs = now + LIVENESS_INTERVAL_NS;
                if (releaseBlockers(end, now))
                {
                    limit = scan(tail, extent);
                }
            }
        }
        return limit;
    }

    /**
     * Compute the limit from the subscribers now. A subscriber that asks for a scan while this one runs makes its
     * closing compare-and-set fail: the scan runs again, so no request is lost.
     *
     * @param tail   the publisher's tail.
     * @param extent the highest position written, exclusive.
     * @return the limit, also stored in Publisher Limit.
     */
    public long scan(final long tail, final long extent)
    {
        final long bound = tail + capacity;
        long limit;
        do
        {
            log.putLongRelease(limitIndex, bound);
            VarHandle.fullFence();
            limit = limitFromSubscribers(bound, extent);
        }
        while (!log.compareAndSetLong(limitIndex, bound, limit));
        scannedLimit = limit;
        return limit;
    }

    private long limitFromSubscribers(final long bound, final long extent)
    {
        long mask = log.getLongVolatile(maskIndex) & ~ownBit;
        long limit = bound;
        long lookedAgain = 0;
        blockingSlot = -1;
        while (mask != 0)
        {
            final int slot = Long.numberOfTrailingZeros(mask);
            mask &= mask - 1;
            if (slot >= ignoredTags.length)
            {
                throw failure.corrupt("log.subscriberMask", "bits of the " + ignoredTags.length + " slots only",
                    "0x" + Long.toHexString(log.getLongVolatile(maskIndex)));
            }
            final long state = table.getLongVolatile(slot * SLOT_LENGTH + LOG_STATE_OFFSET);
            final int gate = (int)(state & LOG_STATE_MASK);
            if ((state & ~LOG_STATE_MASK) == ignoredTags[slot] ||
                (gate != LOG_STATE_JOINING && gate != LOG_STATE_TETHERED))
            {
                continue;
            }
            final long position = table.getLongVolatile(slot * SLOT_LENGTH + RECEIVER_POSITION_OFFSET);
            final long slotLimit;
            if (isHeld(position, extent))
            {
                noteSeen(slot, state & ~LOG_STATE_MASK, position);
                slotLimit = position + capacity;
            }
            else if (gate == LOG_STATE_JOINING)
            {
                // No start chosen yet, or the publisher overwrote it before it knew of the joiner: write nothing
                // more until the joiner stores where it reads.
                noteSeen(slot, state & ~LOG_STATE_MASK, position);
                slotLimit = extent;
            }
            else
            {
                if (isReplaced(slot, state, position, extent) && (lookedAgain & 1L << slot) == 0)
                {
                    lookedAgain |= 1L << slot; // look at the slot's new state, once per scan
                    mask |= 1L << slot;
                }
                continue;
            }
            if (slotLimit < limit)
            {
                limit = slotLimit;
                blockingSlot = slot;
                blockingState = state;
                blockingPosition = position;
            }
        }
        return limit;
    }

    /**
     * Whether a joining subscriber asked for a scan: Publisher Limit is no longer the limit the last scan stored.
     */
    private boolean scanRequested()
    {
        return log.getLongVolatile(limitIndex) != scannedLimit;
    }

    /**
     * Whether a scan may find a higher limit than the last one: always when no subscriber set that limit (it was the
     * tail's bound, which moves with the tail), else only when the subscriber that set it changed its state or its
     * position since. Two loads of one cache line, the subscriber's, and no store: a refused offer that finds
     * nothing changed costs the subscriber nothing. A subscriber that joined since can only lower the limit, and is
     * safe under the one kept: it read a Publisher Limit at or above it, and one replaying history asks for a scan
     * (docs/layout.md, "Joining").
     */
    private boolean blockerMoved()
    {
        final int slot = blockingSlot;
        if (slot < 0)
        {
            return true;
        }
        final int offset = slot * SLOT_LENGTH;
        return table.getLongVolatile(offset + LOG_STATE_OFFSET) != blockingState ||
            table.getLongVolatile(offset + RECEIVER_POSITION_OFFSET) != blockingPosition;
    }

    /**
     * Whether a tethered subscriber's position is one the log still holds: a multiple of the alignment the
     * publisher has not overwritten.
     */
    private boolean isHeld(final long position, final long extent)
    {
        return (position & (ALIGNMENT - 1)) == 0 && position + capacity >= extent && position <= extent;
    }

    /**
     * A tethered subscriber's position the log no longer holds. A dead subscriber's, which an earlier publisher went
     * past once it found it dead, is ignored from now on, as when a probe finds it dead; one whose slot's Log State
     * changed since it was read (it left, or another subscriber took the slot) is looked at again; a live one's that
     * did not change is corruption.
     *
     * @return whether to look at the slot again.
     */
    private boolean isReplaced(final int slot, final long state, final long position, final long extent)
    {
        if (!slotAlive.test(slot))
        {
            ignoreDead(slot, state & ~LOG_STATE_MASK);
            return false;
        }
        if (table.getLongVolatile(slot * SLOT_LENGTH + LOG_STATE_OFFSET) != state)
        {
            return true;
        }
        throw failure.corrupt("slot[" + slot + "].logPosition", "a multiple of " + ALIGNMENT + " from " +
            (extent - capacity) + " to " + extent + " (what the publisher has not overwritten)",
            Long.toString(position));
    }

    private void ignoreDead(final int slot, final long tag)
    {
        ignoredTags[slot] = tag;
        deadSubscribers++;
    }

    /**
     * A tethered subscriber's position as a probe finds it, noting whether it moved since it was last seen: scans
     * happen only when the subscriber setting the limit moved, so the others' may not have seen their moves.
     */
    private long noteMove(final int slot, final long tag, final int offset)
    {
        final long position = table.getLongVolatile(offset + RECEIVER_POSITION_OFFSET);
        noteSeen(slot, tag, position);
        return position;
    }

    /**
     * Note when a subscriber was first seen at a position (a joiner's is -1 until it chooses its start): a new tag or
     * a new position is a move.
     */
    private void noteSeen(final int slot, final long tag, final long position)
    {
        if (position != lastPositions[slot] || tag != lastTags[slot])
        {
            lastTags[slot] = tag;
            lastPositions[slot] = position;
            lastMoveNs[slot] = nanoClock.getAsLong();
        }
    }

    /**
     * Probe the subscribers that hold the publisher back: ignore the dead ones, demote the ones that asked for it.
     *
     * @return whether any was let go.
     */
    private boolean releaseBlockers(final long end, final long now)
    {
        long mask = log.getLongVolatile(maskIndex) & ~ownBit;
        boolean released = false;
        while (mask != 0)
        {
            final int slot = Long.numberOfTrailingZeros(mask);
            mask &= mask - 1;
            if (slot >= ignoredTags.length)
            {
                continue;
            }
            final int offset = slot * SLOT_LENGTH;
            final long state = table.getLongVolatile(offset + LOG_STATE_OFFSET);
            final long tag = state & ~LOG_STATE_MASK;
            final int gate = (int)(state & LOG_STATE_MASK);
            if (tag == ignoredTags[slot] || (gate != LOG_STATE_JOINING && gate != LOG_STATE_TETHERED))
            {
                continue;
            }
            final long position = noteMove(slot, tag, offset);
            if (position >= 0 && position + capacity >= end)
            {
                continue;
            }
            if (!slotAlive.test(slot))
            {
                ignoreDead(slot, tag);
                released = true;
            }
            else if (demote(offset, state, slot, now))
            {
                ignoredTags[slot] = tag;
                demotedSubscribers++;
                released = true;
            }
        }
        return released;
    }

    private boolean demote(final int offset, final long state, final int slot, final long now)
    {
        final long demoteAfterMs = table.getInt(offset + DEMOTE_AFTER_OFFSET);
        return demoteAfterMs > 0 && now - lastMoveNs[slot] >= demoteAfterMs * 1_000_000L &&
            table.compareAndSetLong(offset + LOG_STATE_OFFSET, state,
            (state & ~LOG_STATE_MASK) | LOG_STATE_DEMOTED);
    }

    /**
     * Subscribers this gate found dead while they held the publisher back.
     *
     * @return how many.
     */
    public int deadSubscribers()
    {
        return deadSubscribers;
    }

    /**
     * Subscribers this gate demoted.
     *
     * @return how many.
     */
    public int demotedSubscribers()
    {
        return demotedSubscribers;
    }
}
