package io.shmipc.log;

import org.agrona.concurrent.AtomicBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.lang.invoke.VarHandle;

import static io.shmipc.layout.EndpointDescriptor.*;
import static io.shmipc.layout.LogBufferDescriptor.*;

/**
 * A log subscriber's fields in its endpoint slot and its steps in the join protocol (docs/layout.md, "Joining"):
 * its state, tagged with its subscriber tag so the publisher's demotion cannot hit a later owner of the slot, its
 * position, its options and its counts. The subscriber is their only writer, but for the publisher's demotion.
 */
public final class SubscriberSlot
{
    /** A joining subscriber's position before it has chosen its start: not a position, so nothing is held for it. */
    private static final long NO_START = -1;

    private final UnsafeBuffer table;
    private final int offset;
    private final long tag;
    private final long bit;
    private final AtomicBuffer log;
    private final int maskIndex;
    private final int limitIndex;
    private final LogFailure failure;
    private long storedPosition;
    private boolean masked;

    /**
     * A subscriber's slot.
     *
     * @param table      the channel's endpoint table.
     * @param slot       the subscriber's slot, whose lock it holds.
     * @param endpointId the subscriber's endpoint id.
     * @param log        the log's data and trailer.
     * @param capacity   the data capacity.
     * @param failure    the channel's failure mark.
     */
    public SubscriberSlot(final UnsafeBuffer table, final int slot, final long endpointId, final AtomicBuffer log,
        final int capacity, final LogFailure failure)
    {
        this.table = table;
        this.offset = slot * SLOT_LENGTH;
        this.tag = subscriberTag(endpointId);
        this.bit = 1L << slot;
        this.log = log;
        this.maskIndex = capacity + SUBSCRIBER_MASK_OFFSET;
        this.limitIndex = capacity + PUBLISHER_LIMIT_OFFSET;
        this.failure = failure;
    }

    /**
     * Step 1: the subscription's options and zero counts.
     *
     * @param lagWindow     bytes an untethered subscriber may fall behind, 0 when tethered.
     * @param demoteAfterMs milliseconds a tethered one may hold the publisher back unmoved, 0 for never.
     */
    public void init(final int lagWindow, final int demoteAfterMs)
    {
        table.putInt(offset + LAG_WINDOW_OFFSET, lagWindow);
        table.putInt(offset + DEMOTE_AFTER_OFFSET, demoteAfterMs);
        table.putLong(offset + RECEIVER_LOST_OFFSET, 0);
        table.putLong(offset + DELIVERED_MESSAGES_OFFSET, 0);
    }

    /**
     * An untethered subscriber's whole join: its state and read position.
     *
     * @param position where it starts.
     */
    public void joinUntethered(final long position)
    {
        storePosition(position);
        table.putLongRelease(offset + LOG_STATE_OFFSET, tag | LOG_STATE_UNTETHERED);
    }

    /**
     * Step 3 of a tethered join: position -1 (no start yet: the publisher writes nothing more once it sees it), state
     * JOINING, then this slot's bit in the Subscriber Mask with a compare-and-set (a full fence, also when a dead
     * former owner left the bit set); then the publisher limit, read after the fence.
     *
     * @return the Publisher Limit read after the fence, its {@link io.shmipc.layout.LogBufferDescriptor#SCAN_REQUESTED}
     *         bit cleared.
     */
    public long beginTetheredJoin()
    {
        storePosition(NO_START);
        table.putLongRelease(offset + LOG_STATE_OFFSET, tag | LOG_STATE_JOINING);
        long mask;
        do
        {
            mask = log.getLongVolatile(maskIndex);
            if ((mask & bit) != 0)
            {
                VarHandle.fullFence();
                break;
            }
        }
        while (!log.compareAndSetLong(maskIndex, mask, mask | bit));
        masked = true;
        return log.getLongVolatile(limitIndex) & ~SCAN_REQUESTED;
    }

    /**
     * Step 4 of a join that replays history: set {@link io.shmipc.layout.LogBufferDescriptor#SCAN_REQUESTED} in
     * Publisher Limit, after the fence of step 3, so that the publisher scans before its next append and finds this
     * subscriber joining: it writes nothing more until the subscriber stores its start, and then nothing the
     * subscriber has not read.
     */
    public void requestScan()
    {
        long limit;
        do
        {
            limit = log.getLongVolatile(limitIndex);
        }
        while ((limit & SCAN_REQUESTED) == 0 && !log.compareAndSetLong(limitIndex, limit, limit | SCAN_REQUESTED));
    }

    /**
     * The end of a tethered join (step 6, or once a subscriber replaying history has read up to its gate): the
     * position, then state TETHERED, with a compare-and-set from JOINING: the publisher may have demoted a demotable
     * subscriber that took longer to join than its Demote After (it was stopped), and that one stays DEMOTED, as if
     * demoted just after its join.
     *
     * @param gate the position the publisher must not overwrite from, at or above the gate.
     * @throws io.shmipc.exceptions.CorruptRegionException when the state is neither JOINING nor DEMOTED.
     */
    public void tether(final long gate)
    {
        storePosition(gate);
        if (!table.compareAndSetLong(offset + LOG_STATE_OFFSET, tag | LOG_STATE_JOINING, tag | LOG_STATE_TETHERED) &&
            state() != LOG_STATE_DEMOTED)
        {
            throw failure.corrupt("slot[" + (offset / SLOT_LENGTH) + "].logState", "this subscriber's tag with " +
                "JOINING (or DEMOTED) until it tethers",
                "0x" + Long.toHexString(table.getLongVolatile(offset + LOG_STATE_OFFSET)));
        }
    }

    private void storePosition(final long position)
    {
        storedPosition = position;
        table.putLongRelease(offset + RECEIVER_POSITION_OFFSET, position);
    }

    /**
     * Store the position after a poll that moved it (one release store).
     *
     * @param position the new position.
     */
    public void storeProgress(final long position)
    {
        storePosition(position);
    }

    /**
     * At a housekeeping round: check that the slot still holds the position stored last (nobody else writes it),
     * then store the delivered count.
     *
     * @param delivered messages delivered so far.
     * @throws io.shmipc.exceptions.CorruptRegionException when the position stored last was changed.
     */
    public void checkAndStoreCounts(final long delivered)
    {
        final long found = table.getLongVolatile(offset + RECEIVER_POSITION_OFFSET);
        if (found != storedPosition)
        {
            throw failure.corrupt("slot[" + (offset / SLOT_LENGTH) + "].logPosition", storedPosition +
                " (stored by the subscriber, its only writer)", Long.toString(found));
        }
        storeCounts(delivered);
    }

    /**
     * At a housekeeping round: check that the slot's Log State is one this subscriber can be in. Only the subscriber
     * writes it, but for the publisher's demotion: another value (another tag, none, tethered once untethered) would
     * have the publisher wait for it forever or overwrite what it has not read.
     *
     * @param expected  the state the subscriber is in: JOINING, TETHERED or UNTETHERED.
     * @param demotable whether the publisher may have demoted it (always true for an untethered one).
     * @throws io.shmipc.exceptions.CorruptRegionException when the state is not one of those.
     */
    public void checkState(final int expected, final boolean demotable)
    {
        final int state = state();
        if (state != expected && !(demotable && state == LOG_STATE_DEMOTED))
        {
            throw failure.corrupt("slot[" + (offset / SLOT_LENGTH) + "].logState", "this subscriber's tag with " +
                logStateName(expected) + (demotable ? " or DEMOTED" : ""),
                "0x" + Long.toHexString(table.getLongVolatile(offset + LOG_STATE_OFFSET)));
        }
    }

    /**
     * Store the delivered count, for tools.
     *
     * @param delivered messages delivered so far.
     */
    public void storeCounts(final long delivered)
    {
        table.putLongRelease(offset + DELIVERED_MESSAGES_OFFSET, delivered);
    }

    /**
     * Store the messages skipped so far.
     *
     * @param skipped the count.
     */
    public void storeSkipped(final long skipped)
    {
        table.putLongRelease(offset + RECEIVER_LOST_OFFSET, skipped);
    }

    /**
     * This subscriber's state, as the slot holds it.
     *
     * @return one of the {@code LOG_STATE_} values, or -1 when the slot holds another tag.
     */
    public int state()
    {
        final long state = table.getLongVolatile(offset + LOG_STATE_OFFSET);
        return (state & ~LOG_STATE_MASK) == tag ? (int)(state & LOG_STATE_MASK) : -1;
    }

    /**
     * Leave: clear this slot's mask bit (a tethered subscriber's), then state NONE.
     */
    public void leave()
    {
        if (masked)
        {
            masked = false;
            long mask;
            do
            {
                mask = log.getLongVolatile(maskIndex);
            }
            while ((mask & bit) != 0 && !log.compareAndSetLong(maskIndex, mask, mask & ~bit));
        }
        table.putLongRelease(offset + LOG_STATE_OFFSET, tag | LOG_STATE_NONE);
    }
}
