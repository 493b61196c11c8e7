package io.shmipc.wait;

import java.time.Duration;
import java.util.Objects;

/**
 * Timeouts as the API takes them, turned into nanoseconds every wait can add to {@link System#nanoTime()} and compare
 * with wrap-around arithmetic: a negative timeout waits not at all, and one beyond {@link Long#MAX_VALUE} nanoseconds
 * (about 292 years, as {@code Duration.ofSeconds(Long.MAX_VALUE)} or {@code ChronoUnit.FOREVER.getDuration()}) waits
 * that long, never throwing on the way.
 */
public final class Timeouts
{
    /**
     * The longest single sleep handed to the kernel; a longer wait sleeps again, so that an absolute deadline on the
     * monotonic clock never overflows.
     */
    public static final long MAX_SLEEP_NS = 3_600_000_000_000L;

    private Timeouts()
    {
    }

    /**
     * A timeout in nanoseconds: 0 when negative, {@link Long#MAX_VALUE} when longer.
     *
     * @param timeout the timeout.
     * @return nanoseconds from 0 to {@link Long#MAX_VALUE}.
     * @throws NullPointerException naming the timeout when it is null.
     */
    public static long nanos(final Duration timeout)
    {
        Objects.requireNonNull(timeout, "timeout");
        if (timeout.isNegative())
        {
            return 0;
        }
        try
        {
            return timeout.toNanos();
        }
        catch (final ArithmeticException ex)
        {
            return Long.MAX_VALUE;
        }
    }

    /**
     * A timeout in nanoseconds, 0 when negative ({@link Long#MIN_VALUE} included, whose negation is itself).
     *
     * @param timeoutNs the timeout.
     * @return nanoseconds from 0 to {@link Long#MAX_VALUE}.
     */
    public static long nanos(final long timeoutNs)
    {
        return Math.max(0, timeoutNs);
    }
}
