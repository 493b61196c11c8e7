package io.shmipc.examples.support;

import picocli.CommandLine;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;

/**
 * Reads a duration as people type it: {@code 0}, {@code 100us}, {@code 250ms}, {@code 10s}, {@code 2m},
 * {@code 1h}, or ISO-8601 ({@code PT10S}).
 */
public final class DurationConverter implements CommandLine.ITypeConverter<Duration>
{
    @Override
    public Duration convert(final String value)
    {
        final String text = value.trim().toLowerCase(Locale.ROOT);
        try
        {
            if (text.startsWith("pt"))
            {
                return nonNegative(Duration.parse(text), value);
            }
            if (text.endsWith("us"))
            {
                return nonNegative(Duration.ofNanos(1000 * Long.parseLong(text.substring(0, text.length() - 2))),
                    value);
            }
            if (text.endsWith("ms"))
            {
                return nonNegative(Duration.ofMillis(Long.parseLong(text.substring(0, text.length() - 2))), value);
            }
            if (text.endsWith("s"))
            {
                return nonNegative(Duration.ofSeconds(Long.parseLong(text.substring(0, text.length() - 1))), value);
            }
            if (text.endsWith("m"))
            {
                return nonNegative(Duration.ofMinutes(Long.parseLong(text.substring(0, text.length() - 1))), value);
            }
            if (text.endsWith("h"))
            {
                return nonNegative(Duration.ofHours(Long.parseLong(text.substring(0, text.length() - 1))), value);
            }
            if ("0".equals(text))
            {
                return Duration.ZERO;
            }
        }
        catch (final NumberFormatException | DateTimeParseException ex)
        {
            // reported below
        }
        throw new CommandLine.TypeConversionException("invalid duration: '" + value +
            "' (use e.g. 100us, 500ms, 10s, 2m, 1h or 0)");
    }

    /**
     * How the tools print a duration they were given: {@code 10s}, {@code 250ms}, or {@code forever} for zero
     * where zero means no limit.
     *
     * @param duration the duration.
     * @return the text.
     */
    public static String describe(final Duration duration)
    {
        if (duration.isZero())
        {
            return "forever";
        }
        final long millis = duration.toMillis();
        return millis % 1000 == 0 ? millis / 1000 + "s" : millis + "ms";
    }

    private static Duration nonNegative(final Duration duration, final String value)
    {
        if (duration.isNegative())
        {
            throw new CommandLine.TypeConversionException("invalid duration: '" + value + "' (negative)");
        }
        return duration;
    }
}
