package io.shmipc.wait;

import java.io.IOException;
import java.nio.channels.AsynchronousCloseException;
import java.nio.channels.spi.AbstractInterruptibleChannel;

/**
 * Lets {@link Thread#interrupt()} end a sleep in the kernel. A thread asleep in {@code futex} is not woken by an
 * interrupt, so around each sleep the sleeping thread registers a wake-up action here; an interrupt of that thread
 * runs the action on the interrupting thread, which changes and wakes the word the sleeper waits on. The mechanism
 * is the one Java gives interruptible I/O ({@link AbstractInterruptibleChannel}: an interrupt of a thread between
 * its {@code begin()} and {@code end()} closes the channel), so it needs no internal API; the action runs before
 * the interrupted thread can leave {@link #exit()}, so the memory it touches is still the sleeper's.
 * <p>
 * An interrupt uses the registration up: the next {@link #enter()} makes a new one. That, and the JDK's
 * {@code ClosedByInterruptException} (with its stack trace) that {@link #exit()} swallows, are all an interrupt
 * allocates, about 0.8 KB; a sleep without one allocates nothing. Between {@link #enter()} and {@link #exit()} the
 * thread holds no lock but the JDK's own, briefly. Used by one thread at a time.
 */
public final class InterruptHook
{
    private final Runnable wake;
    private Registration registration;

    /**
     * A hook that runs {@code wake} when the sleeping thread is interrupted.
     *
     * @param wake changes and wakes the word the thread sleeps on, so that a sleep that has not begun yet does not
     *             begin; runs on the interrupting thread (or on the sleeper, when it was interrupted already).
     */
    public InterruptHook(final Runnable wake)
    {
        this.wake = wake;
    }

    /**
     * Before the sleep: from here, an interrupt of this thread runs the wake-up action (at once when the thread is
     * interrupted already).
     */
    public void enter()
    {
        if (registration == null || !registration.isOpen())
        {
            registration = new Registration(wake);
        }
        registration.enter();
    }

    /**
     * After the sleep: an interrupt no longer runs the action. The thread's interrupt status is left as it is.
     */
    public void exit()
    {
        registration.exit();
    }

    /**
     * One registration: the interrupt closes it, which runs the action.
     */
    private static final class Registration extends AbstractInterruptibleChannel
    {
        private final Runnable wake;

        Registration(final Runnable wake)
        {
            this.wake = wake;
        }

        void enter()
        {
            begin();
        }

        void exit()
        {
            try
            {
                end(true);
            }
            catch (final AsynchronousCloseException ex)
            {
                // ClosedByInterruptException: the interrupt ran the action; the thread's status stays set.
            }
        }

        @Override
        protected void implCloseChannel() throws IOException
        {
            try
            {
                wake.run();
            }
            catch (final RuntimeException | InternalError ex)
            {
                // Not the interrupting thread's problem: the sleeper meets the same failure when it wakes, at its
                // next look at the channel at the latest.
            }
        }
    }
}
