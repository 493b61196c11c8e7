package io.shmipc.channel;

import com.sun.jna.Memory;
import io.shmipc.BlockingIdleStrategy;
import io.shmipc.MessageHandler;
import io.shmipc.Subscriber;
import io.shmipc.WakeUpMechanism;
import io.shmipc.exceptions.CorruptRegionException;
import io.shmipc.exceptions.ShmIpcException;
import io.shmipc.layout.CountersDescriptor;
import io.shmipc.wait.Futex;
import io.shmipc.wait.WaitSource;
import io.shmipc.wait.WakeUpWord;
import org.agrona.DirectBuffer;

import java.time.Duration;

/**
 * What both subscriber kinds share: blocking waits on the channel's wake-up word.
 * <p>
 * A wait spins a little, yields a little, then registers as a waiter, looks at the channel once more (so no
 * wake-up can be lost) and sleeps with a timeout. The very first sleep after this subscriber starts counting as
 * a blocking subscriber is capped at {@link #FIRST_SLEEP_CAP_NS}, since a publisher may not have seen the count
 * change yet. A wait on many channels at once uses the same steps through {@link #waitSource()}.
 */
public abstract class SubscriberEndpoint extends ChannelEndpoint
{
    /** Idle rounds a wait spins before it yields. */
    public static final int SPINS = 100;
    /** Idle rounds a wait yields, after spinning, before it sleeps. */
    public static final int YIELDS = 10;
    static final long FIRST_SLEEP_CAP_NS = 1_000_000L;
    static final long QUIESCENCE_TIMEOUT_NS = 1_000_000_000L;

    final WakeUpWord wakeUpWord;
    private final SubscriberWaitSource waitSource = new SubscriberWaitSource(this);
    private Memory timespec;
    private boolean blocking;
    private volatile boolean sleeping;
    private boolean sleptOnce;
    private long missedWakeups;

    private MessageHandler handler;
    private boolean handlerFailed;

    SubscriberEndpoint(final ChannelContext context)
    {
        super(context);
        this.wakeUpWord = context.wakeUpWord;
    }

    /**
     * Deliver up to {@code limit} records: the closed check, the heartbeat, and the line between an exception
     * thrown by the application's handler (passed on as it is) and a failure inside the channel's shared memory
     * (turned into {@link CorruptRegionException}). A poll from inside this subscriber's own handler is refused: it
     * would deliver again the records the outer poll has not yet released.
     *
     * @param handler called once per message.
     * @param limit   most records to consume.
     * @return messages delivered.
     */
    public final int poll(final MessageHandler handler, final int limit)
    {
        if (closed)
        {
            throw closedException();
        }
        if (handler == null)
        {
            throw new NullPointerException("handler is null: channel=" + layout.name());
        }
        if (this.handler != null)
        {
            throw new IllegalStateException("poll called from inside this subscriber's handler, or from two " +
                "threads at once: region=" + context.region + " channel=" + layout.name());
        }
        this.handler = handler;
        try
        {
            tick();
            return receive(limit);
        }
        catch (final ShmIpcException ex)
        {
            handlerFailed = false;
            throw ex;
        }
        catch (final RuntimeException | InternalError ex)
        {
            if (handlerFailed)
            {
                handlerFailed = false;
                throw ex;
            }
            throw corruption(ex);
        }
        finally
        {
            this.handler = null;
        }
    }

    /**
     * Consume up to {@code limit} records, calling {@link #deliver} for each message.
     *
     * @param limit most records.
     * @return messages delivered.
     */
    abstract int receive(int limit);

    /**
     * Hand one message to the application's handler.
     */
    final void deliver(final DirectBuffer buffer, final int offset, final int length)
    {
        try
        {
            handler.onMessage(buffer, offset, length);
        }
        catch (final RuntimeException | InternalError ex)
        {
            handlerFailed = true; // the application's own exception: poll passes it on unchanged
            throw ex;
        }
    }

    /**
     * Live publishers of the channel, from the kernel's locks; see {@link Subscriber#connectedPublishers()}.
     *
     * @return live publishers, 0 once closed.
     */
    public abstract int connectedPublishers();

    /**
     * Whether the channel may hold something this subscriber has not consumed, without consuming it.
     *
     * @return true when a poll may find work.
     */
    abstract boolean hasPending();

    /**
     * Poll, blocking while there is nothing to deliver; see {@link Subscriber#poll(MessageHandler, int, Duration)}.
     *
     * @param handler called once per message.
     * @param limit   most messages to deliver.
     * @param timeout longest wait.
     * @return messages delivered, 0 when the timeout passed.
     */
    public final int poll(final MessageHandler handler, final int limit, final Duration timeout)
    {
        final long deadline = System.nanoTime() + timeout.toNanos();
        int idleRounds = 0;
        while (true)
        {
            int received = poll(handler, limit);
            if (received > 0)
            {
                return received;
            }
            if (idleRounds < SPINS)
            {
                idleRounds++;
                Thread.onSpinWait();
                continue;
            }
            if (idleRounds < SPINS + YIELDS)
            {
                idleRounds++;
                Thread.yield();
                continue;
            }
            final long remaining = deadline - System.nanoTime();
            if (remaining <= 0)
            {
                return 0;
            }
            final int sequence = prepareSleep();
            final long sleepNs = sleepLimit(remaining);
            final int result;
            try
            {
                received = poll(handler, limit);
                if (received > 0)
                {
                    return received;
                }
                result = sleep(sequence, sleepNs);
            }
            finally
            {
                finishSleep();
            }
            countMissedWakeup(result, sleepNs, remaining);
        }
    }

    /**
     * Sleep until the channel may have work, or for at most {@code timeoutNs}, without consuming anything: the
     * waiting half of {@link BlockingIdleStrategy}.
     *
     * @param timeoutNs longest sleep.
     * @return a {@link Futex} result code.
     */
    public final int awaitWork(final long timeoutNs)
    {
        final int sequence = prepareSleep();
        final long sleepNs = sleepLimit(timeoutNs);
        final int result;
        try
        {
            if (hasPending())
            {
                return Futex.VALUE_CHANGED;
            }
            result = sleep(sequence, sleepNs);
        }
        finally
        {
            finishSleep();
        }
        countMissedWakeup(result, sleepNs, timeoutNs);
        return result;
    }

    /**
     * This subscriber as one of the sources a thread waiting on many channels sleeps on.
     *
     * @return the wait source, the same every time.
     */
    public final WaitSource waitSource()
    {
        return waitSource;
    }

    /**
     * Whether the channel holds data this subscriber cannot read yet: a record being written, or left by a
     * publisher that died writing it.
     *
     * @return true when stuck; false for kinds that cannot be.
     */
    boolean isStuck()
    {
        return false;
    }

    /**
     * Unblock a record left by a dead publisher when the channel is stuck on one, at most once per check interval.
     *
     * @param nowNs {@link System#nanoTime()}.
     * @return true when a record was turned into padding (the channel may now have work).
     */
    boolean unblockIfStuck(final long nowNs)
    {
        return false;
    }

    /**
     * Whether a thread of this process is asleep, or about to sleep, on this subscriber's channel.
     *
     * @return true while a blocking wait sleeps.
     */
    public final boolean isSleeping()
    {
        return sleeping;
    }

    /**
     * Blocking waits that slept their whole timeout while a message waited; see {@link Subscriber#missedWakeups()}.
     *
     * @return lost wake-ups observed.
     */
    public final long missedWakeups()
    {
        return missedWakeups;
    }

    /**
     * How this subscriber sleeps in blocking waits.
     *
     * @return futex, or parking where no futex is available.
     */
    public final WakeUpMechanism wakeUpMechanism()
    {
        return wakeUpWord.usesFutex() ? WakeUpMechanism.FUTEX : WakeUpMechanism.PARKING;
    }

    /**
     * Wake a thread sleeping on this subscriber's channel and wait for it to leave the channel's memory, so the
     * close that follows never releases memory under it. Bounded: after a second the close goes on regardless
     * (the mapping's placeholder still keeps the JVM safe).
     */
    @Override
    void awaitQuiescent()
    {
        final long deadline = System.nanoTime() + QUIESCENCE_TIMEOUT_NS;
        while (sleeping && System.nanoTime() - deadline < 0)
        {
            wakeUpWord.wakeAll();
            Thread.yield();
        }
    }

    @Override
    void onClose()
    {
        if (blocking)
        {
            blocking = false;
            wakeUpWord.removeBlockingSubscriber();
        }
    }

    /**
     * Enter a sleep: mark this endpoint sleeping, then check for close. {@link #awaitQuiescent()} marks closed,
     * then checks for a sleeper: whichever runs second sees the other, so a close never releases the memory under a
     * thread that is about to sleep on it.
     */
    int prepareSleep()
    {
        sleeping = true;
        if (closed)
        {
            sleeping = false;
            throw closedException();
        }
        if (!blocking)
        {
            blocking = true;
            wakeUpWord.addBlockingSubscriber();
            timespec = Futex.newTimespec();
        }
        return wakeUpWord.prepareWait();
    }

    /**
     * Leave a sleep entered with {@link #prepareSleep()}, whatever happened.
     */
    void finishSleep()
    {
        wakeUpWord.finishWait();
        sleeping = false;
    }

    private int sleep(final int sequence, final long sleepNs)
    {
        sleptOnce = true;
        return wakeUpWord.await(sequence, sleepNs, timespec);
    }

    /**
     * A whole timeout slept out while a message waited is a lost wake-up: it should never happen, and is counted
     * so tests and tools can prove it does not.
     */
    private void countMissedWakeup(final int result, final long sleptNs, final long timeoutNs)
    {
        if (result == Futex.TIMED_OUT && sleptNs == timeoutNs && hasPending())
        {
            missedWakeups++;
            counters.get(CountersDescriptor.MISSED_WAKEUPS).increment();
        }
    }

    /**
     * The longest the next sleep may last: the first one after counting as blocking is capped, since a publisher
     * may not have seen the count change yet.
     */
    long sleepLimit(final long timeoutNs)
    {
        return sleptOnce ? timeoutNs : Math.min(timeoutNs, FIRST_SLEEP_CAP_NS);
    }

    /**
     * A sleep of another thread's making (a wait on many channels) is about to begin.
     */
    void markSleeping()
    {
        sleptOnce = true;
    }
}
