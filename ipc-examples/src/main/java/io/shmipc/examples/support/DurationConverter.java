package io.shmipc.examples.support;

import io.shmipc.toolkit.Durations;
import picocli.CommandLine;

import java.time.Duration;

/**
 * Reads a duration option with the one grammar of {@link Durations}: {@code 500ms}, {@code 1.5s}, {@code 10s},
 * {@code 2m}, {@code 1h}, a bare number of seconds, or ISO-8601 ({@code PT10S}).
 */
public final class DurationConverter implements CommandLine.ITypeConverter<Duration>
{
    @Override
    public Duration convert(final String value)
    {
        try
        {
            return Durations.parse(value);
        }
        catch (final IllegalArgumentException ex)
        {
            throw new CommandLine.TypeConversionException(ex.getMessage());
        }
    }

    /**
     * Reads an interval that must be more than zero (a refresh period), with the same grammar.
     */
    public static final class Positive implements CommandLine.ITypeConverter<Duration>
    {
        @Override
        public Duration convert(final String value)
        {
            Duration interval;
            try
            {
                interval = Durations.parse(value);
            }
            catch (final IllegalArgumentException ex)
            {
                interval = null;
            }
            if (interval == null || interval.isZero())
            {
                throw new CommandLine.TypeConversionException("'" + value + "' is no interval: use e.g. 250ms, 1s or " +
                    "2m (more than 0)");
            }
            return interval;
        }
    }

    /**
     * How the tools print a timeout they were given: {@code 10s}, {@code 250ms}, or {@code forever} for zero,
     * which means no limit.
     *
     * @param timeout the timeout.
     * @return the text.
     */
    public static String describe(final Duration timeout)
    {
        return timeout.isZero() ? "forever" : Durations.format(timeout);
    }
}
