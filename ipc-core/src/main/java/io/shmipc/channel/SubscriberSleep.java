package io.shmipc.channel;

import com.sun.jna.Memory;
import io.shmipc.layout.CountersDescriptor;
import io.shmipc.wait.Futex;
import io.shmipc.wait.InterruptHook;
import io.shmipc.wait.WakeUpWord;

/**
 * The sleeps of a subscriber's blocking waits on its channel's wake-up word: counting as a blocking subscriber (from
 * its first wait until its close), registering as a waiter around each sleep, the sleeping mark a close waits on, the
 * cap on the first sleep, and the count of lost wake-ups. The subscriber's own blocking poll and a wait on many
 * channels ({@link SubscriberWaitSource}) take the same steps: {@link #prepare()}, one more look at the channel,
 * {@link #await} (or the many-channel wait's own sleep), {@link #leave()}.
 */
final class SubscriberSleep
{
    /** Longest first sleep after this subscriber starts counting as blocking: a publisher may not have seen it yet. */
    static final long FIRST_SLEEP_CAP_NS = 1_000_000L;
    /** Longest a close waits for a sleeping thread to leave the channel's memory. */
    static final long QUIESCENCE_TIMEOUT_NS = 1_000_000_000L;

    private final SubscriberEndpoint subscriber;
    private final WakeUpWord wakeUpWord;
    private final InterruptHook interruptHook;
    private Memory timespec;
    private boolean blocking;
    /**
     * The thread between {@link #prepare()} and {@link #leave()}: the sleeping mark a close waits on ({@code null}
     * when none sleeps). One volatile field, so entering and leaving a sleep each cost one ordered store.
     */
    private volatile Thread sleeper;
    /** Counted as a waiter in the wake-up word: only the sleeping thread reads or writes it. */
    private boolean waiting;
    private boolean sleptOnce;
    /** This wait slept (or a wait set slept with it): the file is asked before the wait registration is undone. */
    private boolean slept;
    private long missedWakeups;

    SubscriberSleep(final SubscriberEndpoint subscriber, final WakeUpWord wakeUpWord)
    {
        this.subscriber = subscriber;
        this.wakeUpWord = wakeUpWord;
        this.interruptHook = new InterruptHook(this::wakeOnInterrupt);
    }

    /**
     * Enter a sleep: mark the subscriber sleeping, then check for close. {@link #awaitQuiescent()} runs after the
     * close marks the subscriber closed, then checks for a sleeper: whichever runs second sees the other, so a close
     * never releases the memory under a thread that is about to sleep on it. The first wait counts the subscriber as
     * blocking.
     *
     * @return the wake-up word's sequence, to sleep on.
     * @throws io.shmipc.exceptions.RegionClosedException when the subscriber is closed.
     */
    int prepare()
    {
        sleeper = Thread.currentThread();
        if (subscriber.closed)
        {
            sleeper = null;
            throw subscriber.closedException();
        }
        if (!blocking)
        {
            blocking = true;
            wakeUpWord.addBlockingSubscriber();
            timespec = Futex.newTimespec();
        }
        final int sequence = wakeUpWord.prepareWait();
        waiting = true;
        return sequence;
    }

    /**
     * Leave a wait: no longer a waiter, no longer sleeping. Runs once per wait, on the sleeping thread: when the poll
     * returns, or earlier when its own handler closes the subscriber.
     */
    void leave()
    {
        try
        {
            if (waiting)
            {
                waiting = false;
                if (slept)
                {
                    // Nothing wakes a sleeper on a truncated file: one truncated during the sleep is found here, typed,
                    // before the update below touches the mapping.
                    slept = false;
                    subscriber.truncationGuard.checkAfterSleep();
                }
                wakeUpWord.finishWait();
            }
        }
        finally
        {
            sleeper = null;
        }
    }

    /**
     * Sleep on the wake-up word, after {@link #prepare()}.
     *
     * @param sequence what {@link #prepare()} returned.
     * @param sleepNs  longest sleep.
     * @return a {@link Futex} result code.
     */
    int await(final int sequence, final long sleepNs)
    {
        sleptOnce = true;
        slept = true;
        return wakeUpWord.await(sequence, sleepNs, timespec, interruptHook);
    }

    /**
     * The sleeping thread was interrupted (this runs on the interrupting thread, while the sleeper cannot leave its
     * wait): change and wake the channel's word, as a close does, so that the sleep ends or does not begin. Other
     * sleepers on the channel wake too, find nothing and sleep again. A file found truncated is left alone: the
     * sleeper meets it when it wakes.
     */
    private void wakeOnInterrupt()
    {
        if (!subscriber.truncationGuard.truncatedNow())
        {
            wakeUpWord.wakeAll();
        }
    }

    /**
     * A whole timeout, or a whole idle slice, slept out while a message waited is a lost wake-up: it should never
     * happen, and is counted so tests and tools can prove it does not.
     */
    void countMissedWakeup(final int result, final long sleptNs, final long timeoutNs)
    {
        if (result == Futex.TIMED_OUT && (sleptNs == timeoutNs || sleptNs == SubscriberEndpoint.IDLE_SLICE_NS) &&
            subscriber.hasPending())
        {
            missedWakeups++;
            subscriber.counters.get(CountersDescriptor.MISSED_WAKEUPS).increment();
        }
    }

    /**
     * The longest the next sleep may last: the first one after counting as blocking is capped, since a publisher
     * may not have seen the count change yet.
     */
    long limit(final long timeoutNs)
    {
        return sleptOnce ? timeoutNs : Math.min(timeoutNs, FIRST_SLEEP_CAP_NS);
    }

    /**
     * A sleep of another thread's making (a wait on many channels) is about to begin.
     */
    void markSleeping()
    {
        sleptOnce = true;
        slept = true;
    }

    /**
     * Wake a thread sleeping on the subscriber's channel and wait for it to leave the channel's memory, so the
     * close that follows never releases memory under it. Bounded: after a second the close goes on regardless
     * (the mapping's placeholder still keeps the JVM safe). When the closing thread is the sleeping one itself (a
     * handler called by the poll before a sleep closes its own subscriber, or the whole region), it takes itself
     * out of the wait here, before the close releases the endpoint's slot: nothing is left to do when the poll
     * returns, so nothing is written into a slot that may have a new owner by then.
     */
    void awaitQuiescent()
    {
        final Thread sleeping = sleeper;
        if (sleeping == Thread.currentThread())
        {
            leave();
            return;
        }
        final long deadline = System.nanoTime() + QUIESCENCE_TIMEOUT_NS;
        while (sleeper != null && System.nanoTime() - deadline < 0)
        {
            wakeUpWord.wakeAll();
            Thread.yield();
        }
    }

    /**
     * At the close: no longer counted as a blocking subscriber.
     */
    void release()
    {
        if (blocking)
        {
            blocking = false;
            wakeUpWord.removeBlockingSubscriber();
        }
    }

    /**
     * Whether a thread of this process is asleep, or about to sleep, on the subscriber's channel.
     *
     * @return true while a blocking wait sleeps.
     */
    boolean isSleeping()
    {
        return sleeper != null;
    }

    /**
     * Blocking waits that slept their whole timeout while a message waited.
     *
     * @return lost wake-ups observed.
     */
    long missedWakeups()
    {
        return missedWakeups;
    }
}
