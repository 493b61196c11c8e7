package io.shmipc.examples.support;

import picocli.CommandLine;

import java.util.Locale;

/**
 * Reads a byte count: a number, optionally followed by {@code k}, {@code m} or {@code g} (powers of 1024).
 */
public class ByteSizeConverter implements CommandLine.ITypeConverter<Integer>
{
    @Override
    public Integer convert(final String value)
    {
        return parse(value);
    }

    /**
     * Parse a byte count.
     *
     * @param value e.g. {@code 64}, {@code 64k}, {@code 1m}.
     * @return bytes.
     * @throws CommandLine.TypeConversionException for anything else, or a count over {@code Integer.MAX_VALUE}.
     */
    public static int parse(final String value)
    {
        final String text = value.trim().toLowerCase(Locale.ROOT);
        long multiplier = 1;
        String digits = text;
        if (text.endsWith("k") || text.endsWith("m") || text.endsWith("g"))
        {
            final char unit = text.charAt(text.length() - 1);
            multiplier = unit == 'k' ? 1L << 10 : unit == 'm' ? 1L << 20 : 1L << 30;
            digits = text.substring(0, text.length() - 1);
        }
        try
        {
            final long bytes = Long.parseLong(digits) * multiplier;
            if (bytes >= 0 && bytes <= Integer.MAX_VALUE)
            {
                return (int)bytes;
            }
        }
        catch (final NumberFormatException ex)
        {
            // reported below
        }
        throw new CommandLine.TypeConversionException("invalid size: '" + value +
            "' (use a byte count from 0 to 2g-1, e.g. 64, 64k, 1m)");
    }
}
