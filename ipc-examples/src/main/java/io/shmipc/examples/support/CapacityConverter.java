package io.shmipc.examples.support;

import picocli.CommandLine;

/**
 * Reads a channel capacity: a {@link ByteSizeConverter byte size} that is a power of two from 1 KiB to 1 GiB, as
 * the library requires.
 */
public final class CapacityConverter extends ByteSizeConverter
{
    private static final int MIN_CAPACITY = 1 << 10;
    private static final int MAX_CAPACITY = 1 << 30;

    @Override
    public Integer convert(final String value)
    {
        final int capacity = parse(value);
        if (capacity < MIN_CAPACITY || capacity > MAX_CAPACITY || Integer.bitCount(capacity) != 1)
        {
            throw new CommandLine.TypeConversionException("invalid capacity: '" + value +
                "' (a power of two from 1k to 1g, e.g. 64k or 1m)");
        }
        return capacity;
    }
}
