package io.shmipc.tests.support;

import io.shmipc.examples.bench.ProcessCpu;

import java.io.IOException;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.locks.LockSupport;

/**
 * The CPU time an idle thread of a child process used over one window, beside that of a thread of the same process
 * that only sleeps as often ({@link ChildSupport#startIdleReference}): what the machine charges any thread for its
 * wake-ups, taken in the same window so that the machine's state at the time is in both.
 *
 * @param thread         the idle thread's share of a core.
 * @param reference      the reference thread's share of a core.
 * @param threadTicks    the idle thread's clock ticks in the window.
 * @param referenceTicks the reference thread's clock ticks in the window.
 * @param seconds        the window.
 */
public record IdleCpu(double thread, double reference, long threadTicks, long referenceTicks, double seconds)
{
    /**
     * Measure both threads over a window.
     *
     * @param pid       the child process.
     * @param thread    the idle thread's name.
     * @param reference the reference thread's name.
     * @param window    how long to measure.
     * @return the measurement.
     * @throws IOException when {@code /proc} cannot be read.
     */
    public static IdleCpu measure(final long pid, final String thread, final String reference, final Duration window)
        throws IOException
    {
        final long threadBefore = ticks(pid, thread);
        final long referenceBefore = ticks(pid, reference);
        final long start = System.nanoTime();
        LockSupport.parkNanos(window.toNanos());
        final long threadTicks = ticks(pid, thread) - threadBefore;
        final long referenceTicks = ticks(pid, reference) - referenceBefore;
        final double seconds = (System.nanoTime() - start) / 1e9;
        return new IdleCpu(threadTicks / (double)ProcessCpu.TICKS_PER_SECOND / seconds,
            referenceTicks / (double)ProcessCpu.TICKS_PER_SECOND / seconds, threadTicks, referenceTicks, seconds);
    }

    /**
     * The idle thread's share of a core beyond the reference's: the cost of the wait itself.
     *
     * @return a fraction of a core.
     */
    public double beyondReference()
    {
        return thread - reference;
    }

    @Override
    public String toString()
    {
        return String.format(Locale.ROOT, "%.3f%% of a core (%d ticks in %.1f s), %.3f%% beyond a thread that only " +
            "sleeps 100 ms at a time (%.3f%%, %d ticks)", thread * 100, threadTicks, seconds,
            beyondReference() * 100, reference * 100, referenceTicks);
    }

    private static long ticks(final long pid, final String name) throws IOException
    {
        final long ticks = ProcessCpu.threadTicks(pid, name);
        if (ticks < 0)
        {
            throw new AssertionError("no thread " + name + " in process " + pid);
        }
        return ticks;
    }
}
