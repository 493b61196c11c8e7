package io.shmipc.toolkit;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Lines of {@code key=value} words, as processes here report to each other: a first word (or marker) then the
 * words, values without spaces. The result line of every {@code shm-ipc} command ({@code done: key=value ...}),
 * the harness's {@code READY} and {@code RESULT} lines, and the arguments of test children all use it.
 */
public final class KeyValues
{
    private KeyValues()
    {
    }

    /**
     * Write a line.
     *
     * @param first  the first word, or empty for none.
     * @param values the values, in order.
     * @return the line.
     */
    public static String format(final String first, final Map<String, ?> values)
    {
        final StringBuilder line = new StringBuilder(first);
        for (final Map.Entry<String, ?> entry : values.entrySet())
        {
            if (line.length() > 0 && line.charAt(line.length() - 1) != ' ')
            {
                line.append(' ');
            }
            line.append(entry.getKey()).append('=').append(entry.getValue());
        }
        return line.toString();
    }

    /**
     * Read the words of a line after the first {@code marker} in it.
     *
     * @param marker what precedes the words, e.g. {@code "done: "}; empty to read the whole line.
     * @param line   the line.
     * @return the values in order, or {@code null} when the line does not contain the marker.
     */
    public static Map<String, String> after(final String marker, final String line)
    {
        final int start = line.indexOf(marker);
        if (start < 0)
        {
            return null;
        }
        return words(line.substring(start + marker.length()));
    }

    /**
     * Read a line whose first word is {@code first}.
     *
     * @param first the expected first word.
     * @param line  the line.
     * @return its values in order, or {@code null} when the line does not start with that word.
     */
    public static Map<String, String> startingWith(final String first, final String line)
    {
        if (!line.equals(first) && !line.startsWith(first + " "))
        {
            return null;
        }
        return words(line.substring(first.length()));
    }

    /**
     * Read {@code key=value} words; a word without {@code =} is skipped, and the first word with a key wins, so a
     * trailing value that itself holds {@code k=v} pairs (a printed map: {@code outcomes={typed=3}}) cannot hide an
     * earlier key.
     *
     * @param text the words, separated by white space.
     * @return the values in order.
     */
    public static Map<String, String> words(final String text)
    {
        final Map<String, String> values = new LinkedHashMap<>();
        for (final String word : text.trim().split("\\s+"))
        {
            final int equals = word.indexOf('=');
            if (equals > 0)
            {
                values.putIfAbsent(word.substring(0, equals), word.substring(equals + 1));
            }
        }
        return values;
    }

    /**
     * Read {@code key=value} arguments, refusing anything else.
     *
     * @param args the arguments.
     * @param from index of the first.
     * @return the values in order.
     * @throws IllegalArgumentException naming an argument without {@code =}.
     */
    public static Map<String, String> arguments(final String[] args, final int from)
    {
        final Map<String, String> values = new LinkedHashMap<>();
        for (int i = from; i < args.length; i++)
        {
            final int equals = args[i].indexOf('=');
            if (equals <= 0)
            {
                throw new IllegalArgumentException("expected key=value, got: " + args[i]);
            }
            values.put(args[i].substring(0, equals), args[i].substring(equals + 1));
        }
        return values;
    }
}
