package io.shmipc.toolkit;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A small JSON reader for JSON lines (what {@link Json} writes): objects become {@link Map}, arrays {@link List},
 * numbers {@link Double}, plus {@link String}, {@link Boolean} and {@code null}.
 */
public final class JsonReader
{
    private final String text;
    private int position;

    private JsonReader(final String text)
    {
        this.text = text;
    }

    /**
     * Parse one JSON value that must fill the whole text.
     *
     * @param text the JSON.
     * @return the value.
     * @throws IllegalArgumentException for malformed JSON.
     */
    public static Object parse(final String text)
    {
        final JsonReader json = new JsonReader(text);
        final Object value = json.value();
        json.skipSpace();
        if (json.position != text.length())
        {
            throw json.error("trailing characters");
        }
        return value;
    }

    /**
     * Parse one JSON object that must fill the whole text.
     *
     * @param text the JSON.
     * @return the object's fields in order.
     * @throws IllegalArgumentException for malformed JSON or another value than an object.
     */
    @SuppressWarnings("unchecked")
    public static Map<String, Object> parseObject(final String text)
    {
        final Object value = parse(text);
        if (!(value instanceof Map))
        {
            throw new IllegalArgumentException("not a JSON object: " + text);
        }
        return (Map<String, Object>)value;
    }

    private Object value()
    {
        skipSpace();
        if (position >= text.length())
        {
            throw error("unexpected end");
        }
        final char c = text.charAt(position);
        switch (c)
        {
            case '{':
                return object();
            case '[':
                return array();
            case '"':
                return string();
            case 't':
                return literal("true", Boolean.TRUE);
            case 'f':
                return literal("false", Boolean.FALSE);
            case 'n':
                return literal("null", null);
            default:
                return number();
        }
    }

    private Map<String, Object> object()
    {
        final Map<String, Object> map = new LinkedHashMap<>();
        position++;
        skipSpace();
        if (peek() == '}')
        {
            position++;
            return map;
        }
        while (true)
        {
            skipSpace();
            final String key = string();
            skipSpace();
            expect(':');
            map.put(key, value());
            skipSpace();
            if (peek() == ',')
            {
                position++;
                continue;
            }
            expect('}');
            return map;
        }
    }

    private List<Object> array()
    {
        final List<Object> list = new ArrayList<>();
        position++;
        skipSpace();
        if (peek() == ']')
        {
            position++;
            return list;
        }
        while (true)
        {
            list.add(value());
            skipSpace();
            if (peek() == ',')
            {
                position++;
                continue;
            }
            expect(']');
            return list;
        }
    }

    private String string()
    {
        expect('"');
        final StringBuilder builder = new StringBuilder();
        while (true)
        {
            if (position >= text.length())
            {
                throw error("unterminated string");
            }
            final char c = text.charAt(position++);
            if (c == '"')
            {
                return builder.toString();
            }
            if (c != '\\')
            {
                builder.append(c);
                continue;
            }
            final char escaped = text.charAt(position++);
            if (escaped == 'u')
            {
                builder.append((char)Integer.parseInt(text.substring(position, position + 4), 16));
                position += 4;
            }
            else
            {
                final int index = Json.ESCAPES.indexOf(escaped);
                builder.append(index >= 0 ? Json.ESCAPED.charAt(index) : escaped);
            }
        }
    }

    private Double number()
    {
        final int start = position;
        while (position < text.length() && "+-0123456789.eE".indexOf(text.charAt(position)) >= 0)
        {
            position++;
        }
        if (start == position)
        {
            throw error("unexpected character");
        }
        return Double.valueOf(text.substring(start, position));
    }

    private Object literal(final String word, final Object value)
    {
        if (!text.startsWith(word, position))
        {
            throw error("expected " + word);
        }
        position += word.length();
        return value;
    }

    private void expect(final char c)
    {
        if (peek() != c)
        {
            throw error("expected '" + c + "'");
        }
        position++;
    }

    private char peek()
    {
        return position < text.length() ? text.charAt(position) : '\0';
    }

    private void skipSpace()
    {
        while (position < text.length() && Character.isWhitespace(text.charAt(position)))
        {
            position++;
        }
    }

    private IllegalArgumentException error(final String problem)
    {
        return new IllegalArgumentException(problem + " at " + position + " in " + text);
    }
}
