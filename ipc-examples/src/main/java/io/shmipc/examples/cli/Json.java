package io.shmipc.examples.cli;

import java.util.Locale;

/**
 * A minimal JSON object writer for the tools' {@code --json} output: one object per line, no dependencies.
 */
final class Json
{
    private final StringBuilder text = new StringBuilder(256);
    private boolean first = true;

    Json()
    {
        text.append('{');
    }

    Json field(final String name, final String value)
    {
        key(name);
        if (value == null)
        {
            text.append("null");
        }
        else
        {
            quote(value);
        }
        return this;
    }

    Json field(final String name, final long value)
    {
        key(name);
        text.append(value);
        return this;
    }

    Json field(final String name, final double value)
    {
        key(name);
        text.append(Double.isFinite(value) ? String.format(Locale.ROOT, "%.3f", value) : "null");
        return this;
    }

    Json field(final String name, final boolean value)
    {
        key(name);
        text.append(value);
        return this;
    }

    /**
     * Add a field whose value is already JSON (an object or an array).
     */
    Json raw(final String name, final String json)
    {
        key(name);
        text.append(json);
        return this;
    }

    static String array(final Iterable<String> jsonValues)
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

    private void key(final String name)
    {
        if (!first)
        {
            text.append(',');
        }
        first = false;
        quote(name);
        text.append(':');
    }

    private void quote(final String value)
    {
        text.append('"');
        for (int i = 0; i < value.length(); i++)
        {
            final char c = value.charAt(i);
            switch (c)
            {
                case '"':
                    text.append("\\\"");
                    break;
                case '\\':
                    text.append("\\\\");
                    break;
                case '\n':
                    text.append("\\n");
                    break;
                case '\t':
                    text.append("\\t");
                    break;
                default:
                    if (c < 0x20)
                    {
                        text.append(String.format(Locale.ROOT, "\\u%04x", (int)c));
                    }
                    else
                    {
                        text.append(c);
                    }
            }
        }
        text.append('"');
    }
}
