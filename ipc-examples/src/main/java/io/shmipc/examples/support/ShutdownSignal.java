package io.shmipc.examples.support;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * Ctrl-C (SIGINT) or SIGTERM, turned into a flag the command's loops check, so a loop ends on its own, the command
 * prints its {@code done:} line and releases its region before the JVM exits. {@link CommandRunner#main} installs
 * one per process ({@link #install(long)}): the JVM's shutdown hook sets the flag and then waits, a bounded time,
 * until the command has finished and reported ({@link #release()}); the JVM then exits with 130 after SIGINT or
 * 143 after SIGTERM. A command run in-process, as the tests do, sees a signal that is never requested.
 */
public final class ShutdownSignal
{
    /** How long a command may take to stop and clean up after the signal, unless it asks for more. */
    public static final long DEFAULT_GRACE_SECONDS = 10;
    /**
     * How long a command given {@link #interruptOnSignal} may go without progress after the signal before its thread
     * is interrupted: a loop that sees the signal stops and writes out what it holds well within it.
     */
    public static final long INTERRUPT_AFTER_MS = 1_000;

    private static final ShutdownSignal INERT = new ShutdownSignal(0);
    private static volatile ShutdownSignal current = INERT;

    private final CountDownLatch released = new CountDownLatch(1);
    private volatile long graceSeconds;
    private final Thread hook;
    private volatile boolean requested;
    /** A thread to interrupt after the signal: one that may block writing to standard output. */
    private Thread interruptible;
    /** The progress of {@link #interruptible}'s writes. */
    private LongSupplier progress = () -> 0;
    /** {@link #INTERRUPT_AFTER_MS} have passed since the signal without the command finishing. */
    private boolean interruptDue;

    private ShutdownSignal(final long graceSeconds)
    {
        this.graceSeconds = graceSeconds;
        this.hook = new Thread(this::onShutdown, "shm-ipc-shutdown");
    }

    /**
     * Register the process's shutdown hook; done once, by {@link CommandRunner#main}.
     *
     * @param graceSeconds longest wait for the command to stop and report after the signal.
     * @return the signal.
     */
    public static synchronized ShutdownSignal install(final long graceSeconds)
    {
        if (current == INERT)
        {
            current = new ShutdownSignal(graceSeconds);
            Runtime.getRuntime().addShutdownHook(current.hook);
        }
        return current;
    }

    /**
     * The process's signal: the installed one, or one that is never requested.
     *
     * @return the signal.
     */
    public static ShutdownSignal current()
    {
        return current;
    }

    /**
     * Whether the process was asked to stop.
     *
     * @return true after Ctrl-C or SIGTERM.
     */
    public boolean isRequested()
    {
        return requested;
    }

    /**
     * Interrupt {@code thread} if, after the signal, the command neither finishes nor makes progress for
     * {@link #INTERRUPT_AFTER_MS}, until {@link #stopInterrupting()}: for a loop that may block writing its data to
     * standard output (a reader that stopped reading a pipe), which only an interrupt ends. Its output must be an
     * interruptible channel ({@link InterruptibleOutput}), and it stops as interrupted when the write fails so; the
     * library's blocking calls end on an interrupt too. A loop that is not blocked sees the signal first, and writes
     * out what it holds undisturbed, for as long as the grace period lasts while a slow reader keeps reading.
     *
     * @param thread   the command's thread.
     * @param progress what it has written so far.
     */
    public synchronized void interruptOnSignal(final Thread thread, final LongSupplier progress)
    {
        this.interruptible = thread;
        this.progress = progress;
        if (interruptDue)
        {
            thread.interrupt();
        }
    }

    /**
     * No longer interrupt the thread given to {@link #interruptOnSignal(Thread)}; call on that thread. An interrupt
     * the signal made is cleared, so that the command's clean-up runs undisturbed.
     */
    public synchronized void stopInterrupting()
    {
        interruptible = null;
        progress = () -> 0;
        Thread.interrupted();
    }

    /**
     * Give the command more time to stop after a signal (a demo waits for its child processes to report).
     *
     * @param seconds longest wait for the command to stop and report after the signal.
     * @return this.
     */
    public ShutdownSignal graceSeconds(final long seconds)
    {
        this.graceSeconds = Math.max(graceSeconds, seconds);
        return this;
    }

    /**
     * The command has stopped and reported: let the JVM exit now, and drop the hook when no signal came.
     */
    public void release()
    {
        released.countDown();
        if (this == INERT)
        {
            return;
        }
        try
        {
            Runtime.getRuntime().removeShutdownHook(hook);
        }
        catch (final IllegalStateException ex)
        {
            // The JVM is already shutting down: the hook is running and has just been released.
        }
    }

    private static long remainingMs(final long deadline)
    {
        return Math.max(0, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime()));
    }

    private synchronized long progress()
    {
        return progress.getAsLong();
    }

    private synchronized void interruptBlocked()
    {
        interruptDue = true;
        if (interruptible != null)
        {
            interruptible.interrupt();
        }
    }

    private void onShutdown()
    {
        requested = true;
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(graceSeconds);
        try
        {
            long seen = progress();
            while (!released.await(Math.min(INTERRUPT_AFTER_MS, remainingMs(deadline)), TimeUnit.MILLISECONDS) &&
                remainingMs(deadline) > 0)
            {
                final long now = progress();
                if (now == seen)
                {
                    interruptBlocked(); // no byte written for a whole second: the reader stopped
                    break;
                }
                seen = now;
            }
            if (!released.await(remainingMs(deadline), TimeUnit.MILLISECONDS))
            {
                System.err.println("shm-ipc: still stopping " + graceSeconds + "s after the signal: exiting now");
                System.err.flush();
            }
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
    }
}
