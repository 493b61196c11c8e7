package io.shmipc.toolkit;

import java.util.List;
import java.util.Map;

/**
 * A one-line JSON object writer for JSON lines (the tools' {@code --json} output, the harness's rows): strings
 * escaped, NaN and infinities written as {@code null}. {@link JsonReader} reads such lines back.
 */
public final class Json
{
    /** Characters written as a backslash and the letter at the same index of {@link #ESCAPES}. */
    static final String ESCAPED = "\"\\\n\t\r\b\f";
    /** What follows the backslash for each character of {@link #ESCAPED}. */
    static final String ESCAPES = "\"\\ntrbf";

    private final StringBuilder text = new StringBuilder("{");

    /**
     * Add a text field; {@code null} is written as JSON null.
     *
     * @param name  the field name.
     * @param value the value.
     * @return this.
     */
    public Json field(final String name, final String value)
    {
        name(name);
        if (value == null)
        {
            text.append("null");
        }
        else
        {
            string(value);
        }
        return this;
    }

    /**
     * Add an integer field.
     *
     * @param name  the field name.
     * @param value the value.
     * @return this.
     */
    public Json field(final String name, final long value)
    {
        name(name);
        text.append(value);
        return this;
    }

    /**
     * Add a boolean field.
     *
     * @param name  the field name.
     * @param value the value.
     * @return this.
     */
    public Json field(final String name, final boolean value)
    {
        name(name);
        text.append(value);
        return this;
    }

    /**
     * Add a number field; NaN and infinities are written as null, whole numbers without a fraction.
     *
     * @param name  the field name.
     * @param value the value.
     * @return this.
     */
    public Json field(final String name, final double value)
    {
        name(name);
        number(value);
        return this;
    }

    /**
     * Add an array of numbers.
     *
     * @param name   the field name.
     * @param values the values.
     * @return this.
     */
    public Json field(final String name, final double[] values)
    {
        name(name);
        text.append('[');
        for (int i = 0; i < values.length; i++)
        {
            if (i > 0)
            {
                text.append(',');
            }
            number(values[i]);
        }
        text.append(']');
        return this;
    }

    /**
     * Add an array of texts.
     *
     * @param name   the field name.
     * @param values the values.
     * @return this.
     */
    public Json field(final String name, final List<String> values)
    {
        name(name);
        text.append('[');
        for (int i = 0; i < values.size(); i++)
        {
            if (i > 0)
            {
                text.append(',');
            }
            string(values.get(i));
        }
        text.append(']');
        return this;
    }

    /**
     * Add an object of numbers and texts (any other value is written as its text).
     *
     * @param name   the field name.
     * @param values the values.
     * @return this.
     */
    public Json field(final String name, final Map<String, Object> values)
    {
        name(name);
        final Json object = new Json();
        for (final Map.Entry<String, Object> entry : values.entrySet())
        {
            final Object value = entry.getValue();
            if (value instanceof Long || value instanceof Integer)
            {
                object.field(entry.getKey(), ((Number)value).longValue());
            }
            else if (value instanceof Number)
            {
                object.field(entry.getKey(), ((Number)value).doubleValue());
            }
            else
            {
                object.field(entry.getKey(), String.valueOf(value));
            }
        }
        text.append(object);
        return this;
    }

    /**
     * Add a field whose value is already JSON text (an object or an array).
     *
     * @param name  the field name.
     * @param json  the value, valid JSON.
     * @return this.
     */
    public Json raw(final String name, final String json)
    {
        name(name);
        text.append(json);
        return this;
    }

    /**
     * A JSON array of values that are already JSON text.
     *
     * @param jsonValues the elements.
     * @return the array.
     */
    public static String array(final Iterable<String> jsonValues)
    {
        final StringBuilder array = new StringBuilder("[");
        for (final String value : jsonValues)
        {
            if (array.length() > 1)
            {
                array.append(',');
            }
            array.append(value);
        }
        return array.append(']').toString();
    }

    @Override
    public String toString()
    {
        return text + "}";
    }

    private void name(final String name)
    {
        if (text.length() > 1)
        {
            text.append(',');
        }
        string(name);
        text.append(':');
    }

    private void number(final double value)
    {
        if (Double.isNaN(value) || Double.isInfinite(value))
        {
            text.append("null");
        }
        else if (value == Math.rint(value) && Math.abs(value) < 1e15)
        {
            text.append((long)value);
        }
        else
        {
            text.append(value);
        }
    }

    private void string(final String value)
    {
        text.append('"');
        for (int i = 0; i < value.length(); i++)
        {
            final char c = value.charAt(i);
            final int escape = ESCAPED.indexOf(c);
            if (escape >= 0)
            {
                text.append('\\').append(ESCAPES.charAt(escape));
            }
            else if (c < 0x20)
            {
                text.append(String.format(java.util.Locale.ROOT, "\\u%04x", (int)c));
            }
            else
            {
                text.append(c);
            }
        }
        text.append('"');
    }
}
