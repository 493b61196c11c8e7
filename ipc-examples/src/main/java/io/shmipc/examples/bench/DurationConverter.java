package io.shmipc.examples.bench;

import picocli.CommandLine;

import java.time.Duration;
import java.util.Locale;

/**
 * Reads a duration as {@code 500ms}, {@code 3s}, {@code 1.5s}, {@code 2m}, an ISO-8601 {@code PT3S}, or a plain
 * number of seconds.
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
                return Duration.parse(text.toUpperCase(Locale.ROOT));
            }
            if (text.endsWith("ms"))
            {
                return Duration.ofNanos(Math.round(Double.parseDouble(text.substring(0, text.length() - 2)) * 1e6));
            }
            if (text.endsWith("s"))
            {
                return Duration.ofNanos(Math.round(Double.parseDouble(text.substring(0, text.length() - 1)) * 1e9));
            }
            if (text.endsWith("m"))
            {
                return Duration.ofNanos(Math.round(Double.parseDouble(text.substring(0, text.length() - 1)) * 6e10));
            }
            return Duration.ofNanos(Math.round(Double.parseDouble(text) * 1e9));
        }
        catch (final RuntimeException ex)
        {
            throw new CommandLine.TypeConversionException("not a duration: " + value +
                " (examples: 500ms, 3s, 1.5s, 2m, PT3S)");
        }
    }
}
