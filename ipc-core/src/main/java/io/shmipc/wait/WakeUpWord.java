package io.shmipc.wait;

import com.sun.jna.Memory;
import org.agrona.concurrent.UnsafeBuffer;

import java.lang.invoke.VarHandle;
import java.util.concurrent.locks.LockSupport;
import java.util.function.IntPredicate;

import static io.shmipc.layout.ChannelDescriptor.*;
import static io.shmipc.layout.EndpointDescriptor.*;

/**
 * One endpoint's view of its channel's wake-up word in the control block (see
 * {@link io.shmipc.layout.ChannelDescriptor}): publishers signal after each message, blocking subscribers sleep
 * on it with a timeout. A publisher pays one plain read per message while no subscriber may block.
 * <p>
 * The endpoint's share of the two counts is mirrored in the wait state of its endpoint slot (see
 * {@link io.shmipc.layout.EndpointDescriptor}), so that the share of an endpoint killed while it was blocking or
 * asleep is taken back: by the next endpoint to register on the channel (looking at every slot), and by every
 * publisher's housekeeping while the blocking count is not zero (looking at one marked slot per round, so a round
 * makes at most one system call however many subscribers block). Without that, a dead sleeper would make every
 * publisher fence, and issue a {@code FUTEX_WAKE} system call, after every message for as long as the channel
 * exists.
 */
public final class WakeUpWord
{
    /** Longest single park when no futex is available. */
    private static final long PARK_SLICE_NS = 100_000L;

    private final UnsafeBuffer control;
    private final long sequenceAddress;
    private final boolean futex;
    private final UnsafeBuffer endpointTable;
    private final int endpointSlots;
    private final int stateOffset;
    private final long waitTag;
    private final IntPredicate slotAlive;
    private long waitFlags;
    private int nextSlotToLook;

    /**
     * Wrap a channel's control block for the endpoint in one slot of its endpoint table.
     *
     * @param control       a buffer over the control block.
     * @param endpointTable a buffer over the channel's endpoint table.
     * @param endpointSlots slots in the table.
     * @param slot          the endpoint's slot; the caller holds its lock.
     * @param endpointId    the endpoint's id: its wait tag is this with the flag bits cleared.
     * @param slotAlive     whether a slot's lock is held (a system call).
     */
    public WakeUpWord(final UnsafeBuffer control, final UnsafeBuffer endpointTable, final int endpointSlots,
        final int slot, final long endpointId, final IntPredicate slotAlive)
    {
        this.control = control;
        this.sequenceAddress = control.addressOffset() + WAKE_SEQUENCE_OFFSET;
        this.futex = Futex.isAvailable();
        this.endpointTable = endpointTable;
        this.endpointSlots = endpointSlots;
        this.stateOffset = slot * SLOT_LENGTH + WAIT_STATE_OFFSET;
        this.waitTag = endpointId & ~WAIT_FLAGS;
        this.slotAlive = slotAlive;
        if (waitTag == 0)
        {
            throw new IllegalArgumentException("endpoint id leaves an empty wait tag: endpointId=" + endpointId);
        }
    }

    /**
     * Take the endpoint's slot: take back what a dead former owner of the slot left counted, store this endpoint's
     * tag, then take back the shares of every other dead endpoint of the channel. Call once, right after
     * registering.
     */
    public void takeSlot()
    {
        releaseShare(stateOffset, endpointTable.getLongVolatile(stateOffset));
        endpointTable.putLongRelease(stateOffset, waitTag);
        releaseDeadShares();
    }

    /**
     * Publisher housekeeping: while some subscriber is counted as blocking, look at the next slot (round robin)
     * whose wait bits are set, and take its share back if its endpoint is dead. One liveness probe (a system call)
     * at most, so a round costs the same with one blocking subscriber or sixty; a dead share is found within as many
     * rounds as the channel has slots.
     *
     * @return whether a share was taken back.
     */
    public boolean releaseNextDeadShare()
    {
        if (control.getIntVolatile(BLOCKING_SUBSCRIBERS_OFFSET) == 0)
        {
            return false;
        }
        for (int looked = 0; looked < endpointSlots; looked++)
        {
            final int slot = nextSlotToLook;
            nextSlotToLook = slot + 1 == endpointSlots ? 0 : slot + 1;
            if ((waitState(slot) & WAIT_FLAGS) != 0)
            {
                return releaseIfDead(slot);
            }
        }
        return false;
    }

    /**
     * Take back the share of every endpoint of the channel whose slot has wait bits set but whose lock is free.
     */
    private void releaseDeadShares()
    {
        for (int slot = 0; slot < endpointSlots; slot++)
        {
            releaseIfDead(slot);
        }
    }

    private long waitState(final int slot)
    {
        return endpointTable.getLongVolatile(slot * SLOT_LENGTH + WAIT_STATE_OFFSET);
    }

    /**
     * Take back the share of the endpoint in {@code slot} if its wait bits are set and its lock is free. The state is
     * read before the liveness probe, so a new owner's tag makes the swap fail.
     */
    private boolean releaseIfDead(final int slot)
    {
        final long state = waitState(slot);
        return (state & WAIT_FLAGS) != 0 && !slotAlive.test(slot) &&
            releaseShare(slot * SLOT_LENGTH + WAIT_STATE_OFFSET, state);
    }

    /**
     * Swap a dead endpoint's state for its bare tag and, only when the swap succeeds (so nobody else took this
     * share back, and no new owner stored its own tag), subtract its bits from the counts.
     */
    private boolean releaseShare(final int offset, final long state)
    {
        if ((state & WAIT_FLAGS) == 0 || !endpointTable.compareAndSetLong(offset, state, state & ~WAIT_FLAGS))
        {
            return false;
        }
        if ((state & WAIT_SLEEPING) != 0)
        {
            control.getAndAddInt(WAITER_COUNT_OFFSET, -1);
        }
        if ((state & WAIT_BLOCKING) != 0)
        {
            control.getAndAddInt(BLOCKING_SUBSCRIBERS_OFFSET, -1);
        }
        return true;
    }

    /** Count first, then mark: a share is never taken back before it was added. */
    private void addShare(final int countOffset, final long flag)
    {
        control.getAndAddInt(countOffset, 1);
        waitFlags |= flag;
        endpointTable.putLongRelease(stateOffset, waitTag | waitFlags);
    }

    /**
     * Unmark first, then uncount: a share is never taken back after it was subtracted. Only while the slot still
     * shows this endpoint's mark: a subscriber closed by another thread while its poll slept gave up the slot, and
     * the successor that took it took the shares it found back itself (its own tag is there now, not to be touched).
     */
    private void removeShare(final int countOffset, final long flag)
    {
        final long marked = waitTag | waitFlags;
        waitFlags &= ~flag;
        if (endpointTable.compareAndSetLong(stateOffset, marked, waitTag | waitFlags))
        {
            control.getAndAddInt(countOffset, -1);
        }
    }

    /**
     * Publisher side, after a message is committed: wake sleeping subscribers, if any.
     */
    public void signal()
    {
        if (control.getIntAcquire(BLOCKING_SUBSCRIBERS_OFFSET) != 0)
        {
            signalWaiters();
        }
    }

    private void signalWaiters()
    {
        // Order the message's stores before the read of the waiter count: the waiter orders its count before
        // its last look at the channel, so one of the two sees the other.
        VarHandle.fullFence();
        if (control.getIntVolatile(WAITER_COUNT_OFFSET) != 0)
        {
            control.getAndAddInt(WAKE_SEQUENCE_OFFSET, 1);
            if (futex)
            {
                Futex.wake(sequenceAddress, Integer.MAX_VALUE);
            }
        }
    }

    /**
     * Wake every sleeper on this word now, whatever the counts say: bump the sequence so that one about to sleep
     * does not, and wake those asleep.
     */
    public void wakeAll()
    {
        control.getAndAddInt(WAKE_SEQUENCE_OFFSET, 1);
        if (futex)
        {
            Futex.wake(sequenceAddress, Integer.MAX_VALUE);
        }
    }

    /**
     * Count a subscriber that may block, so that publishers start signalling.
     */
    public void addBlockingSubscriber()
    {
        addShare(BLOCKING_SUBSCRIBERS_OFFSET, WAIT_BLOCKING);
    }

    /**
     * Uncount a subscriber that may block.
     */
    public void removeBlockingSubscriber()
    {
        removeShare(BLOCKING_SUBSCRIBERS_OFFSET, WAIT_BLOCKING);
    }

    /**
     * Step 1 of sleeping: read the sequence and register as a waiter (a full fence). Check the channel once more
     * after this and before {@link #await}; call {@link #finishWait()} whatever happens.
     *
     * @return the sequence to pass to {@link #await}.
     */
    public int prepareWait()
    {
        final int sequence = control.getIntVolatile(WAKE_SEQUENCE_OFFSET);
        addShare(WAITER_COUNT_OFFSET, WAIT_SLEEPING);
        return sequence;
    }

    /**
     * Step 2: sleep until signalled, or for at most {@code timeoutNs}, or until the thread is interrupted.
     *
     * @param sequence      from {@link #prepareWait()}.
     * @param timeoutNs     longest sleep.
     * @param timespec      scratch from {@link Futex#newTimespec()}.
     * @param interruptHook the sleeping thread's hook (a park without futexes ends on an interrupt by itself).
     * @return a {@link Futex} result code; a wake-up that raced the timeout (the sequence changed, the sleep timed out
     *         first) is reported as {@link Futex#VALUE_CHANGED}, not as a timeout.
     */
    public int await(final int sequence, final long timeoutNs, final Memory timespec,
        final InterruptHook interruptHook)
    {
        if (futex)
        {
            final int result = Futex.await(sequenceAddress, sequence, timeoutNs, timespec, interruptHook);
            if (result == Futex.TIMED_OUT && control.getIntVolatile(WAKE_SEQUENCE_OFFSET) != sequence)
            {
                return Futex.VALUE_CHANGED;
            }
            return result;
        }
        final long sliceNs = Math.min(timeoutNs, PARK_SLICE_NS);
        LockSupport.parkNanos(sliceNs);
        if (control.getIntVolatile(WAKE_SEQUENCE_OFFSET) != sequence)
        {
            return Futex.VALUE_CHANGED;
        }
        return sliceNs == timeoutNs ? Futex.TIMED_OUT : Futex.WOKEN;
    }

    /**
     * Step 3: no longer a waiter.
     */
    public void finishWait()
    {
        removeShare(WAITER_COUNT_OFFSET, WAIT_SLEEPING);
    }

    /**
     * The address of the futex word (the channel's Wake-up Sequence).
     *
     * @return the address.
     */
    public long address()
    {
        return sequenceAddress;
    }

    /**
     * Whether this word sleeps on a futex, rather than parking in short slices where no futex is available.
     *
     * @return true with futexes.
     */
    public boolean usesFutex()
    {
        return futex;
    }
}
