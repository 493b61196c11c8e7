package io.shmipc.wait;

import com.sun.jna.Memory;
import org.agrona.concurrent.UnsafeBuffer;

import java.lang.invoke.VarHandle;
import java.util.concurrent.locks.LockSupport;

import static io.shmipc.layout.ChannelDescriptor.*;

/**
 * A flyweight over a channel's wake-up word in its control block (see
 * {@link io.shmipc.layout.ChannelDescriptor}): publishers signal after each message, blocking subscribers sleep
 * on it with a timeout. A publisher pays one plain read per message while no subscriber may block.
 */
public final class WakeUpWord
{
    /** Longest single park when no futex is available. */
    private static final long PARK_SLICE_NS = 100_000L;

    private final UnsafeBuffer control;
    private final long sequenceAddress;
    private final WakeUpMechanism mechanism;

    /**
     * Wrap a channel's control block.
     *
     * @param control a buffer over the control block.
     */
    public WakeUpWord(final UnsafeBuffer control)
    {
        this.control = control;
        this.sequenceAddress = control.addressOffset() + WAKE_SEQUENCE_OFFSET;
        this.mechanism = WakeUpMechanism.current();
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
            if (mechanism == WakeUpMechanism.FUTEX)
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
        if (mechanism == WakeUpMechanism.FUTEX)
        {
            Futex.wake(sequenceAddress, Integer.MAX_VALUE);
        }
    }

    /**
     * Count a subscriber that may block, so that publishers start signalling.
     */
    public void addBlockingSubscriber()
    {
        control.getAndAddInt(BLOCKING_SUBSCRIBERS_OFFSET, 1);
    }

    /**
     * Uncount a subscriber that may block.
     */
    public void removeBlockingSubscriber()
    {
        control.getAndAddInt(BLOCKING_SUBSCRIBERS_OFFSET, -1);
    }

    /**
     * Clear both counts: only for a subscriber that holds the channel's exclusive subscriber role, which makes
     * any count left by a dead predecessor meaningless.
     */
    public void resetForExclusiveSubscriber()
    {
        control.putIntVolatile(WAITER_COUNT_OFFSET, 0);
        control.putIntVolatile(BLOCKING_SUBSCRIBERS_OFFSET, 0);
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
        control.getAndAddInt(WAITER_COUNT_OFFSET, 1);
        return sequence;
    }

    /**
     * Step 2: sleep until signalled, or for at most {@code timeoutNs}.
     *
     * @param sequence  from {@link #prepareWait()}.
     * @param timeoutNs longest sleep.
     * @param timespec  scratch from {@link Futex#newTimespec()}.
     * @return a {@link Futex} result code.
     */
    public int await(final int sequence, final long timeoutNs, final Memory timespec)
    {
        if (mechanism == WakeUpMechanism.FUTEX)
        {
            return Futex.await(sequenceAddress, sequence, timeoutNs, timespec);
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
        control.getAndAddInt(WAITER_COUNT_OFFSET, -1);
    }

    /**
     * The mechanism this word sleeps with.
     *
     * @return futex or parking.
     */
    public WakeUpMechanism mechanism()
    {
        return mechanism;
    }
}
