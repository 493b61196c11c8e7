package io.shmipc.wait;

import com.sun.jna.Memory;
import com.sun.jna.Pointer;
import org.agrona.concurrent.UnsafeBuffer;

import java.util.Arrays;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

/**
 * One thread sleeping until any of many {@link WaitSource}s has work, a timeout passes, or another thread calls
 * {@link #wakeUp()}. With {@code futex_waitv} ({@link FutexWaitv}) the thread registers as a waiter on every
 * source's word, looks at every source once more, and sleeps on all the words and a word of its own at once, so a
 * message on any channel wakes it as fast as a blocking poll of that channel would. Without it (an older kernel, or
 * the system call filtered) it sleeps on its own word in slices of at most {@link #FALLBACK_SLICE_NS} and looks at
 * every source after each: {@link #wakeUp()} still wakes it at once, a message within a slice. An interrupt of the
 * waiting thread ends the wait as {@link #wakeUp()} does, and stays set. Nothing is allocated per wait. Used by one
 * thread, but for {@link #wakeUp()} and {@link #close()}.
 */
public final class MultiWait implements AutoCloseable
{
    /** Most sources: {@code futex_waitv}'s limit, less this wait's own word. */
    public static final int MAX_SOURCES = FutexWaitv.MAX_WAITERS - 1;
    /** Longest sleep between two looks at every source where {@code futex_waitv} is missing. */
    public static final long FALLBACK_SLICE_NS = 1_000_000L;
    /** What {@link #await} returns when the wait was closed before it began. */
    public static final int CLOSED = -1;
    /** Pause of a close between two looks at whether the wait it ended has left. */
    private static final long CLOSE_PAUSE_NS = 20_000L;

    /**
     * How the waiting thread sleeps.
     */
    public enum Mechanism
    {
        /** {@code futex_waitv} on every source's word at once. */
        FUTEX_WAITV,
        /** {@code futex} on a private word, in slices, looking at every source after each. */
        FUTEX_SLICES,
        /** Parking in slices, looking at every source after each (no futex at all). */
        PARKING
    }

    private final WaitSource[] sources = new WaitSource[MAX_SOURCES];
    private final boolean[] ready = new boolean[MAX_SOURCES];
    private final boolean[] prepared = new boolean[MAX_SOURCES];
    private final Mechanism mechanism;
    private final Memory waiters;
    private final Memory ownWord;
    private final UnsafeBuffer wakeWord;
    private final long wakeAddress;
    private final Memory timespec;
    private final InterruptHook interruptHook = new InterruptHook(this::wakeUp);
    /** The thread in {@link #await}, taken by compare-and-set: one at a time. */
    private final AtomicReference<Thread> waitingThread = new AtomicReference<>();
    private int slots;
    private int consumedWakeUps;
    private volatile boolean closed;

    /**
     * A wait on no sources yet.
     */
    public MultiWait()
    {
        this(FutexWaitv.isAvailable() ? Mechanism.FUTEX_WAITV :
            Futex.isAvailable() ? Mechanism.FUTEX_SLICES : Mechanism.PARKING);
    }

    /**
     * A wait with a given mechanism, for tests of the fallbacks.
     *
     * @param mechanism how to sleep; {@link Mechanism#FUTEX_WAITV} only where available.
     */
    public MultiWait(final Mechanism mechanism)
    {
        this.mechanism = mechanism;
        this.waiters = mechanism == Mechanism.FUTEX_WAITV ? FutexWaitv.newWaiters(FutexWaitv.MAX_WAITERS) : null;
        this.ownWord = new Memory(Integer.BYTES);
        this.ownWord.setInt(0, 0);
        this.wakeWord = new UnsafeBuffer(Pointer.nativeValue(ownWord), Integer.BYTES);
        this.wakeAddress = Pointer.nativeValue(ownWord);
        this.timespec = Futex.newTimespec();
    }

    /**
     * How this wait sleeps.
     *
     * @return the mechanism.
     */
    public Mechanism mechanism()
    {
        return mechanism;
    }

    /**
     * Add a source.
     *
     * @param source the source.
     * @return its slot, which {@link #isReady} and {@link #remove} take.
     * @throws IllegalStateException when {@link #MAX_SOURCES} are added already, or the wait is closed.
     */
    public int add(final WaitSource source)
    {
        ensureOpen();
        for (int slot = 0; slot < MAX_SOURCES; slot++)
        {
            if (sources[slot] == null)
            {
                sources[slot] = source;
                slots = Math.max(slots, slot + 1);
                return slot;
            }
        }
        throw new IllegalStateException("a wait set holds at most " + MAX_SOURCES + " members");
    }

    /**
     * Remove a source; its slot may be given to another.
     *
     * @param slot the slot {@link #add} gave.
     */
    public void remove(final int slot)
    {
        sources[slot] = null;
        ready[slot] = false;
    }

    /**
     * The source in a slot.
     *
     * @param slot the slot.
     * @return the source, or {@code null} when the slot is free.
     */
    public WaitSource source(final int slot)
    {
        return slot >= 0 && slot < MAX_SOURCES ? sources[slot] : null;
    }

    /**
     * Whether the last {@link #await} found the source in a slot with work.
     *
     * @param slot the slot.
     * @return true when ready.
     */
    public boolean isReady(final int slot)
    {
        return slot >= 0 && slot < MAX_SOURCES && ready[slot];
    }

    /**
     * The first slot after {@code slot} whose source the last {@link #await} found with work.
     *
     * @param slot a slot, or -1 to start.
     * @return the next ready slot, or -1 when there is none.
     */
    public int nextReady(final int slot)
    {
        if (slot < -1)
        {
            throw new IllegalArgumentException("a key, or -1 to start, not " + slot);
        }
        for (int next = slot + 1; next > slot && next < slots; next++) // next > slot: Integer.MAX_VALUE + 1 wraps
        {
            if (ready[next])
            {
                return next;
            }
        }
        return -1;
    }

    /**
     * Sleep until a source has work, the timeout passes, or {@link #wakeUp()} is called (a call made while nobody
     * waits ends the next wait at once; calls made during a wait end that wait only), or the thread is interrupted
     * (also before the call: the wait then only looks; the interrupt status stays set).
     *
     * @param timeoutNs longest wait; 0 looks without sleeping.
     * @return how many sources have work: 0 after a timeout, or after a wake-up (or a close) that found none ready;
     *         {@link #CLOSED} when the wait was closed before it began.
     * @throws IllegalStateException while another thread waits: a close waits for one waiting thread only, and
     *                               two at once would share the registrations and the kernel's wait list.
     */
    public int await(final long timeoutNs)
    {
        final Thread self = Thread.currentThread();
        if (!waitingThread.compareAndSet(null, self))
        {
            final Thread other = waitingThread.get();
            throw new IllegalStateException("await from two threads at once: a wait set belongs to one thread (" +
                (other == null ? "another" : "'" + other.getName() + "'") + " is waiting; this is '" +
                self.getName() + "')");
        }
        try
        {
            if (closed) // read after the thread was published: a close either sees it and waits, or is seen here
            {
                return CLOSED;
            }
            final long deadline = System.nanoTime() + Timeouts.nanos(timeoutNs);
            Arrays.fill(ready, 0, slots, false);
            while (true)
            {
                final int wakeUps = wakeWord.getIntVolatile(0);
                if (wakeUps != consumedWakeUps || Thread.currentThread().isInterrupted())
                {
                    consumedWakeUps = wakeUps;
                    return look(); // woken or interrupted: no sleep, but what is ready is reported
                }
                final int found = mechanism == Mechanism.FUTEX_WAITV ? sleepOnAll(wakeUps, deadline) :
                    sleepInSlices(wakeUps, deadline);
                if (found > 0 || System.nanoTime() - deadline >= 0)
                {
                    consumedWakeUps = wakeWord.getIntVolatile(0); // a wake-up during this wait ends this one only
                    return found;
                }
            }
        }
        finally
        {
            try
            {
                waitingThread.set(null);
            }
            catch (final InternalError late)
            {
                // HotSpot may raise a fault of an earlier access to a mapping on entry to a method while it runs in
                // the interpreter, here to the store's: a waiting thread left set would hold a close forever.
                waitingThread.set(null);
                throw late;
            }
        }
    }

    /**
     * Check that {@link #close()} was not called.
     *
     * @throws IllegalStateException when it was.
     */
    public void ensureOpen()
    {
        if (closed)
        {
            throw new IllegalStateException("the wait set is closed");
        }
    }

    /**
     * End the wait in progress (or the next one) at once. Any thread.
     */
    public synchronized void wakeUp()
    {
        if (!closed)
        {
            wakeWaiter();
        }
    }

    /**
     * Count a wake-up and wake the waiting thread; under the lock, while the memory is still held.
     */
    private void wakeWaiter()
    {
        wakeWord.getAndAddInt(0, 1);
        if (mechanism == Mechanism.PARKING)
        {
            final Thread thread = waitingThread.get();
            if (thread != null)
            {
                LockSupport.unpark(thread);
            }
        }
        else
        {
            Futex.wake(wakeAddress, Integer.MAX_VALUE);
        }
    }

    /**
     * Release the native memory; a wake-up called after does nothing, a wait begun after throws
     * {@link IllegalStateException}. Any thread: a wait in progress is woken (it returns what it found ready), and the
     * close returns once that wait has left, so the memory it sleeps on is released after it. The sources are not
     * closed. Idempotent.
     */
    @Override
    public void close()
    {
        final boolean first;
        synchronized (this)
        {
            first = !closed;
            if (first)
            {
                closed = true;
                wakeWaiter();
            }
        }
        // Every close, the first or one racing it, returns only once the wait has left: its caller may then take
        // the sources away.
        final Thread self = Thread.currentThread();
        for (Thread waiter = waitingThread.get(); waiter != null && waiter != self; waiter = waitingThread.get())
        {
            LockSupport.parkNanos(CLOSE_PAUSE_NS); // a woken wait leaves within microseconds
        }
        if (first)
        {
            synchronized (this)
            {
                if (waiters != null)
                {
                    waiters.close();
                }
                timespec.close();
                ownWord.close();
            }
        }
    }

    /**
     * One round with {@code futex_waitv}: register on every source's word, look once more, sleep on all of them,
     * leave, look again.
     */
    private int sleepOnAll(final int wakeUps, final long deadline)
    {
        FutexWaitv.set(waiters, 0, wakeAddress, wakeUps);
        int count = 1;
        int found = 0;
        try
        {
            for (int slot = 0; slot < slots; slot++)
            {
                final WaitSource source = sources[slot];
                prepared[slot] = false;
                if (source == null)
                {
                    continue;
                }
                final long value = source.prepareWait();
                if (value == WaitSource.NOT_WAITABLE)
                {
                    ready[slot] = true;
                    continue;
                }
                prepared[slot] = true;
                FutexWaitv.set(waiters, count++, source.wordAddress(), (int)value);
            }
            found = look();
            if (found == 0)
            {
                final long now = System.nanoTime();
                final long sleepUntil = now + Math.min(Math.min(deadline - now, sleepLimit()), Timeouts.MAX_SLEEP_NS);
                if (sleepUntil - now > 0)
                {
                    FutexWaitv.await(waiters, count, sleepUntil, interruptHook);
                }
            }
        }
        finally
        {
            InternalError late = null;
            for (int slot = 0; slot < slots; slot++)
            {
                if (prepared[slot])
                {
                    prepared[slot] = false;
                    try
                    {
                        sources[slot].finishWait(); // a member's own failure is its poll's to report
                    }
                    catch (final InternalError fault)
                    {
                        // HotSpot may raise a fault of an earlier access on entry to the call, before the member's
                        // own handler: the members after it still leave their words, or their publishers would wake
                        // a waiter that is gone after every message.
                        late = late == null ? fault : late;
                    }
                }
            }
            if (late != null)
            {
                throw late;
            }
        }
        return found > 0 ? found : look();
    }

    /**
     * One round without {@code futex_waitv}: look at every source, then sleep one slice on this wait's own word.
     */
    private int sleepInSlices(final int wakeUps, final long deadline)
    {
        final int found = look();
        if (found > 0)
        {
            return found;
        }
        final long remaining = deadline - System.nanoTime();
        if (remaining <= 0)
        {
            return 0;
        }
        final long slice = Math.min(Math.min(remaining, FALLBACK_SLICE_NS), sleepLimit());
        if (mechanism == Mechanism.FUTEX_SLICES)
        {
            Futex.await(wakeAddress, wakeUps, slice, timespec, interruptHook);
        }
        else
        {
            LockSupport.parkNanos(slice);
        }
        return look();
    }

    /**
     * Mark every source with work ready. A source found closing means a region handle's close has begun, which marks
     * all of the handle's sources closing at once: one more look reports those looked at before it began, so that the
     * close's members are reported together.
     */
    private int look()
    {
        if (markReady())
        {
            markReady();
        }
        int found = 0;
        for (int slot = 0; slot < slots; slot++)
        {
            if (ready[slot])
            {
                found++;
            }
        }
        return found;
    }

    /**
     * Mark the sources not yet ready that have work now.
     *
     * @return whether a ready source is closing.
     */
    private boolean markReady()
    {
        boolean closing = false;
        for (int slot = 0; slot < slots; slot++)
        {
            final WaitSource source = sources[slot];
            if (source != null && !ready[slot] && source.hasWork())
            {
                ready[slot] = true;
                closing |= source.isClosing();
            }
        }
        return closing;
    }

    private long sleepLimit()
    {
        long limit = Long.MAX_VALUE;
        for (int slot = 0; slot < slots; slot++)
        {
            final WaitSource source = sources[slot];
            if (source != null)
            {
                limit = Math.min(limit, source.sleepLimitNs());
            }
        }
        return limit;
    }
}
