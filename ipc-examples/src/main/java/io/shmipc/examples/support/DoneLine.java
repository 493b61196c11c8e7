package io.shmipc.examples.support;

import io.shmipc.toolkit.KeyValues;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The last line of every command, for people and for scripts alike: {@code done: key=value key=value ...}. Values
 * never contain spaces; decimals use a dot. {@link #parse(String)} reads it back (the demo and the tests do).
 */
public final class DoneLine
{
    /** What starts the result part of the line. */
    public static final String MARKER = "done: ";

    private final StringBuilder text = new StringBuilder(MARKER);

    /**
     * Add an integer value.
     *
     * @param key   the name.
     * @param value the value.
     * @return this.
     */
    public DoneLine add(final String key, final long value)
    {
        return append(key, Long.toString(value));
    }

    /**
     * Add a decimal value, with three decimals.
     *
     * @param key   the name.
     * @param value the value.
     * @return this.
     */
    public DoneLine add(final String key, final double value)
    {
        return append(key, String.format(Locale.ROOT, "%.3f", value));
    }

    /**
     * Add a word (spaces become {@code _}).
     *
     * @param key   the name.
     * @param value the value.
     * @return this.
     */
    public DoneLine add(final String key, final String value)
    {
        return append(key, value.replace(' ', '_'));
    }

    /**
     * Whether a line (with or without its {@code [role pid]} prefix) is a result line.
     *
     * @param line a line of output.
     * @return true when it contains {@link #MARKER}.
     */
    public static boolean isDoneLine(final String line)
    {
        return line.contains(MARKER);
    }

    /**
     * Read the values of a result line.
     *
     * @param line a line of output, with or without its {@code [role pid]} prefix.
     * @return the values in order, empty when the line is not a result line.
     */
    public static Map<String, String> parse(final String line)
    {
        final Map<String, String> values = KeyValues.after(MARKER, line);
        return values != null ? values : new LinkedHashMap<>();
    }

    @Override
    public String toString()
    {
        return text.toString();
    }

    private DoneLine append(final String key, final String value)
    {
        if (text.length() > MARKER.length())
        {
            text.append(' ');
        }
        text.append(key).append('=').append(value);
        return this;
    }
}
