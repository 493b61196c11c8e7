package io.shmipc.tests.support;

import java.util.LinkedHashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A line a child prints as {@code TAG key=value key=value ...}, read back by the test.
 */
public final class Summary
{
    private final String line;
    private final Map<String, String> values = new LinkedHashMap<>();

    private Summary(final String line)
    {
        this.line = line;
        final String[] words = line.trim().split("\\s+");
        for (final String word : words)
        {
            final int equals = word.indexOf('=');
            if (equals > 0)
            {
                values.put(word.substring(0, equals), word.substring(equals + 1));
            }
        }
    }

    /**
     * Parse a line.
     *
     * @param line the line as printed.
     * @return the summary.
     */
    public static Summary parse(final String line)
    {
        return new Summary(line);
    }

    /**
     * A value as text.
     *
     * @param key the key.
     * @return the value.
     * @throws AssertionError naming the line when the key is missing.
     */
    public String text(final String key)
    {
        final String value = values.get(key);
        assertTrue(value != null, () -> "no " + key + "= in: " + line);
        return value;
    }

    /**
     * A value as a long.
     *
     * @param key the key.
     * @return the value.
     */
    public long number(final String key)
    {
        return Long.parseLong(text(key));
    }

    /**
     * Assert a value, with the whole line in the failure message.
     *
     * @param key      the key.
     * @param expected the value expected.
     * @return this, for chaining.
     */
    public Summary assertValue(final String key, final long expected)
    {
        assertEquals(expected, number(key), () -> key + " in: " + line);
        return this;
    }

    /**
     * Assert a text value, with the whole line in the failure message.
     *
     * @param key      the key.
     * @param expected the value expected.
     * @return this, for chaining.
     */
    public Summary assertText(final String key, final String expected)
    {
        assertEquals(expected, text(key), () -> key + " in: " + line);
        return this;
    }

    /**
     * The line as printed.
     *
     * @return the line.
     */
    public String line()
    {
        return line;
    }

    @Override
    public String toString()
    {
        return line;
    }
}
