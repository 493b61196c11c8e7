package io.shmipc.toolkit;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;

/**
 * Durations as people type them, one grammar for every tool: a number with a unit, {@code ns}, {@code us},
 * {@code ms}, {@code s}, {@code m} or {@code h} ({@code 250ms}, {@code 1.5s}, {@code 2m}), a bare number of
 * seconds ({@code 30}, {@code 0}), or ISO-8601 ({@code PT10S}). Never negative.
 */
public final class Durations
{
    private static final String[] UNITS = {"ns", "us", "ms", "s", "m", "h"};
    private static final long[] UNIT_NANOS = {1L, 1_000L, 1_000_000L, 1_000_000_000L, 60_000_000_000L,
        3_600_000_000_000L};

    private Durations()
    {
    }

    /**
     * Read a duration.
     *
     * @param text the text.
     * @return the duration.
     * @throws IllegalArgumentException naming the text and the grammar.
     */
    public static Duration parse(final String text)
    {
        final String value = text.trim().toLowerCase(Locale.ROOT);
        try
        {
            final Duration duration;
            if (value.startsWith("p"))
            {
                duration = Duration.parse(value.toUpperCase(Locale.ROOT));
            }
            else
            {
                duration = withUnit(value);
            }
            if (duration.isNegative())
            {
                throw invalid(text, "negative");
            }
            if (duration.isZero() && value.chars().anyMatch(c -> c >= '1' && c <= '9'))
            {
                // Not zero as written, zero once rounded to whole nanoseconds: to tools, 0 means no limit.
                throw invalid(text, "more than 0 but less than 1 ns");
            }
            return duration;
        }
        catch (final NumberFormatException | DateTimeParseException | ArithmeticException ex)
        {
            throw invalid(text, null);
        }
    }

    /**
     * Write a duration the way {@link #parse(String)} reads it, in the largest unit that keeps it whole:
     * {@code 10s}, {@code 250ms}, {@code 2m}, {@code 1500us}; {@code 0} for zero.
     *
     * @param duration the duration.
     * @return the text.
     */
    public static String format(final Duration duration)
    {
        final long nanos = duration.toNanos();
        if (nanos == 0)
        {
            return "0";
        }
        for (int unit = UNITS.length - 1; unit >= 0; unit--)
        {
            if (nanos % UNIT_NANOS[unit] == 0)
            {
                return nanos / UNIT_NANOS[unit] + UNITS[unit];
            }
        }
        return nanos + "ns";
    }

    private static Duration withUnit(final String value)
    {
        for (int unit = 0; unit < UNITS.length; unit++)
        {
            // "ms" before "s" and "m": try the two-letter units first.
            final String name = UNITS[unit];
            if (name.length() == 2 && value.endsWith(name))
            {
                return nanos(value.substring(0, value.length() - 2), UNIT_NANOS[unit]);
            }
        }
        for (int unit = 0; unit < UNITS.length; unit++)
        {
            final String name = UNITS[unit];
            if (name.length() == 1 && value.endsWith(name))
            {
                return nanos(value.substring(0, value.length() - 1), UNIT_NANOS[unit]);
            }
        }
        return nanos(value, UNIT_NANOS[3]);
    }

    private static Duration nanos(final String number, final long unitNanos)
    {
        if (number.isEmpty() || !Character.isDigit(number.charAt(number.length() - 1)))
        {
            throw new NumberFormatException(number);
        }
        return Duration.ofNanos(new BigDecimal(number).multiply(BigDecimal.valueOf(unitNanos)).setScale(0,
            java.math.RoundingMode.HALF_UP).longValueExact());
    }

    private static IllegalArgumentException invalid(final String text, final String reason)
    {
        return new IllegalArgumentException("invalid duration: '" + text + "'" + (reason != null ? " (" + reason +
            ")" : "") + "; use e.g. 500ms, 1.5s, 10s, 2m, 1h, 30 (seconds) or 0");
    }
}
