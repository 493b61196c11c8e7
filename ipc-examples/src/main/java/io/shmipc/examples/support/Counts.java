package io.shmipc.examples.support;

import io.shmipc.RegionConfig;
import picocli.CommandLine;

import java.util.regex.Pattern;

/**
 * Counts on the command line, checked as they are read, so the error names the option: {@code Invalid value for
 * option '--count': -1 is negative: give 0 or more}. Picocli converters: {@code converter = Counts.AtLeastZero.class}.
 */
public final class Counts
{
    /** A whole number in digits, however long: one that does not parse is too large, not malformed. */
    private static final Pattern DIGITS = Pattern.compile("[+-]?[0-9][0-9_]*");

    private Counts()
    {
    }

    /**
     * Read a whole number no smaller than a minimum.
     *
     * @param value   the text.
     * @param minimum the smallest value allowed.
     * @return the number.
     * @throws CommandLine.TypeConversionException naming the value and the limit.
     */
    static long atLeast(final String value, final long minimum)
    {
        final long number;
        try
        {
            number = Long.parseLong(value.trim().replace("_", ""));
        }
        catch (final NumberFormatException ex)
        {
            throw new CommandLine.TypeConversionException(DIGITS.matcher(value.trim()).matches() ?
                "'" + value + "' is too large: at most " + Long.MAX_VALUE : "'" + value + "' is not a whole number");
        }
        if (number < minimum)
        {
            throw new CommandLine.TypeConversionException(number + (minimum == 0 ? " is negative: give 0 or more" :
                " is less than " + minimum));
        }
        return number;
    }

    /** 0 or more, for {@code long} and {@code Long} options. */
    public static final class AtLeastZero implements CommandLine.ITypeConverter<Long>
    {
        @Override
        public Long convert(final String value)
        {
            return atLeast(value, 0);
        }
    }

    /** 1 or more, for {@code long} options. */
    public static final class AtLeastOne implements CommandLine.ITypeConverter<Long>
    {
        @Override
        public Long convert(final String value)
        {
            return atLeast(value, 1);
        }
    }

    /** 0 or more, for {@code int} options. */
    public static final class IntAtLeastZero implements CommandLine.ITypeConverter<Integer>
    {
        @Override
        public Integer convert(final String value)
        {
            return Math.toIntExact(Math.min(atLeast(value, 0), Integer.MAX_VALUE));
        }
    }

    /** 1 or more, for {@code int} options. */
    public static final class IntAtLeastOne implements CommandLine.ITypeConverter<Integer>
    {
        @Override
        public Integer convert(final String value)
        {
            return Math.toIntExact(Math.min(atLeast(value, 1), Integer.MAX_VALUE));
        }
    }

    /** A region's most channels at once, 1 to {@link RegionConfig#MAX_CHANNELS}: {@code --max-channels}. */
    public static final class MaxChannels implements CommandLine.ITypeConverter<Integer>
    {
        @Override
        public Integer convert(final String value)
        {
            final long number = atLeast(value, 1);
            if (number > RegionConfig.MAX_CHANNELS)
            {
                throw new CommandLine.TypeConversionException(number + " is more than " + RegionConfig.MAX_CHANNELS +
                    ", the most channels a region holds");
            }
            return (int)number;
        }
    }
}
