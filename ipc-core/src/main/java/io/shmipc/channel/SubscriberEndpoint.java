package io.shmipc.channel;

import io.shmipc.wait.Timeouts;
import io.shmipc.BlockingIdleStrategy;
import io.shmipc.MessageHandler;
import io.shmipc.Subscriber;
import io.shmipc.WakeUpMechanism;
import io.shmipc.exceptions.CorruptRegionException;
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
 * a blocking subscriber is capped at {@link SubscriberSleep#FIRST_SLEEP_CAP_NS}, since a publisher may not have seen
 * the count change yet. A wait on many channels at once uses the same steps through {@link #waitSource()}. The
 * sleeps' own state (blocking, waiting, sleeping, lost wake-ups) is {@link SubscriberSleep}'s.
 */
public abstract class SubscriberEndpoint extends ChannelEndpoint
{
    /** Idle rounds a wait spins before it yields. */
    public static final int SPINS = 100;
    /** Idle rounds a wait yields, after spinning, before it sleeps. */
    public static final int YIELDS = 10;
    /** Longest sleep while the channel holds a record nobody has committed yet: the dead-publisher cadence. */
    static final long STUCK_SLICE_NS = 1_000_000L;
    /**
     * Longest sleep on an empty channel. Its wake-up word lives in the region's file: once the file is truncated,
     * no publisher, close or interrupt can wake a thread asleep on it (its page is gone), so the sleeper wakes on its
     * own this often to look, and meets the truncation as the typed error.
     */
    static final long IDLE_SLICE_NS = 100_000_000L;

    final WakeUpWord wakeUpWord;
    final SubscriberSleep sleep;
    private final SubscriberWaitSource waitSource = new SubscriberWaitSource(this);

    /**
     * The handler of the poll running, and after it the last one: replaced only when the application passes another,
     * because a reference store costs a garbage-collector barrier (with G1, a store-load fence when the two objects
     * sit in different regions) that a poll made in a busy loop would pay every time.
     */
    private MessageHandler handler;
    /**
     * The thread inside a poll, null between polls: a second poll from inside the handler (or, when it sees this,
     * another thread) is refused, and a close from inside the handler waits for the poll to end.
     */
    private Thread pollingThread;
    private boolean handlerFailed;
    /** The application's exception the last poll passed on, so the blocking poll passes it on too. */
    private Throwable handlerThrew;

    SubscriberEndpoint(final ChannelContext context)
    {
        super(context);
        this.wakeUpWord = context.wakeUpWord;
        this.sleep = new SubscriberSleep(this, wakeUpWord);
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
        try
        {
            return pollOnce(handler, limit);
        }
        catch (final InternalError ex)
        {
            return rethrowFault(ex);
        }
    }

    private int pollOnce(final MessageHandler handler, final int limit)
    {
        if (closed)
        {
            throw closedException();
        }
        if (handler == null)
        {
            throw new NullPointerException("handler is null: channel=" + layout.name());
        }
        if (pollingThread != null)
        {
            throw new IllegalStateException("poll called from inside this subscriber's handler, or from two " +
                "threads at once: region=" + context.region + " channel=" + layout.name());
        }
        pollingThread = Thread.currentThread();
        if (this.handler != handler)
        {
            this.handler = handler;
        }
        try
        {
            if (health.isFailed())
            {
                throw failedChannel();
            }
            tick();
            return receive(limit);
        }
        catch (final RuntimeException | InternalError ex)
        {
            if (handlerFailed)
            {
                handlerFailed = false;
                if (ex instanceof InternalError)
                {
                    if (truncationGuard.truncatedNow())
                    {
                        throw failure(ex); // the handler's read of a message in place met the truncated file
                    }
                    handlerThrew = ex;
                }
                throw ex; // the application's own exception, whatever its type
            }
            throw failure(ex);
        }
        finally
        {
            pollingThread = null;
            finishDeferredClose();
        }
    }

    @Override
    final boolean isPollingThread()
    {
        return pollingThread == Thread.currentThread();
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
        try
        {
            return pollUntil(handler, limit, timeout);
        }
        catch (final InternalError ex)
        {
            return rethrowFault(ex);
        }
    }

    /**
     * An {@link InternalError} out of a poll: the application's own, from its handler, passes unchanged; any other
     * is a fault on the mapping that HotSpot raised somewhere in the call (possibly while the call was already
     * reporting the failure it stands for), and becomes the typed error.
     */
    private int rethrowFault(final InternalError ex)
    {
        if (ex == handlerThrew)
        {
            handlerThrew = null;
            throw ex;
        }
        throw failure(ex);
    }

    private int pollUntil(final MessageHandler handler, final int limit, final Duration timeout)
    {
        final long deadline = System.nanoTime() + Timeouts.nanos(timeout);
        int idleRounds = 0;
        while (true)
        {
            int received = pollOnce(handler, limit);
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
            if (remaining <= 0 || Thread.currentThread().isInterrupted())
            {
                return 0; // an interrupt ends the wait as its timeout would, and stays set
            }
            final long sliceNs = sleepSlice();
            final int sequence = sleep.prepare();
            final long sleepNs = Math.min(sleep.limit(remaining), sliceNs);
            final int result;
            try
            {
                received = pollOnce(handler, limit);
                if (received > 0)
                {
                    return received;
                }
                result = sleep.await(sequence, sleepNs);
            }
            finally
            {
                sleep.leave();
            }
            sleep.countMissedWakeup(result, sleepNs, remaining);
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
        try
        {
            return awaitWorkFor(timeoutNs);
        }
        catch (final InternalError ex)
        {
            throw failure(ex); // a fault on the mapping, surfacing anywhere in the call
        }
    }

    private int awaitWorkFor(final long timeoutNs)
    {
        if (Thread.currentThread().isInterrupted())
        {
            return Futex.INTERRUPTED;
        }
        final long sliceNs = sleepSlice();
        final int sequence = sleep.prepare();
        final long sleepNs = Math.min(sleep.limit(timeoutNs), sliceNs);
        final int result;
        try
        {
            if (hasPending())
            {
                return Futex.VALUE_CHANGED;
            }
            result = sleep.await(sequence, sleepNs);
        }
        finally
        {
            sleep.leave();
        }
        sleep.countMissedWakeup(result, sleepNs, timeoutNs);
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
     * Before a blocking wait sleeps: look after the channel as an idle poll would (a ring subscriber pads a dead
     * publisher's record here), and say how long the sleep may last. A ring that holds a record nobody has committed
     * yet is looked at again at least every {@link #STUCK_SLICE_NS}, so a sleeping subscriber learns of a publisher's
     * death as fast as a spinning one; an empty channel sleeps until a wake-up or the timeout, in slices of at most
     * {@link #IDLE_SLICE_NS}.
     *
     * @return the longest sleep, {@link Long#MAX_VALUE} for no limit.
     * @throws CorruptRegionException when the channel's memory is found impossible or its file truncated.
     */
    final long sleepSlice()
    {
        try
        {
            return closed ? Long.MAX_VALUE : Math.min(beforeSleep(), IDLE_SLICE_NS);
        }
        catch (final RuntimeException | InternalError ex)
        {
            throw failure(ex);
        }
    }

    /**
     * The kind's part of {@link #sleepSlice()}.
     *
     * @return the longest sleep, {@link Long#MAX_VALUE} for no limit.
     */
    abstract long beforeSleep();

    /**
     * Whether a thread of this process is asleep, or about to sleep, on this subscriber's channel.
     *
     * @return true while a blocking wait sleeps.
     */
    public final boolean isSleeping()
    {
        return sleep.isSleeping();
    }

    /**
     * Blocking waits that slept their whole timeout while a message waited; see {@link Subscriber#missedWakeups()}.
     *
     * @return lost wake-ups observed.
     */
    public final long missedWakeups()
    {
        return sleep.missedWakeups();
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
     * Wake a thread sleeping on this subscriber's channel and wait, bounded, for it to leave the channel's memory
     * (see {@link SubscriberSleep#awaitQuiescent()}).
     */
    @Override
    void awaitQuiescent()
    {
        sleep.awaitQuiescent();
    }

    @Override
    void onClose()
    {
        sleep.release();
        final Thread poller = pollingThread;
        if (poller != null && poller != Thread.currentThread())
        {
            // A poll of another thread is inside its handler, which may read its message, through a view of this
            // mapping, for any time to come: keep the region's addresses reserved once it is closed, so that those
            // reads find the placeholder's zeros, never a mapping made later at the same addresses.
            context.keepAddressesAfterClose.run();
        }
    }
}
