package io.shmipc.tests.support;

import io.shmipc.RegionLocation;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code key=value} arguments of a child process's {@code main}. A missing required key or a malformed
 * value fails at once with the key named, so a test's child never runs with a half-understood command line.
 */
public final class ChildArguments
{
    private final Map<String, String> values = new LinkedHashMap<>();

    private ChildArguments(final String[] args)
    {
        for (final String argument : args)
        {
            final int equals = argument.indexOf('=');
            if (equals <= 0)
            {
                throw new IllegalArgumentException("expected key=value, got: " + argument);
            }
            values.put(argument.substring(0, equals), argument.substring(equals + 1));
        }
    }

    /**
     * Parse a command line.
     *
     * @param args the arguments of {@code main}.
     * @return the parsed arguments.
     */
    public static ChildArguments parse(final String[] args)
    {
        return new ChildArguments(args);
    }

    /**
     * The keys that start with a prefix, in command-line order.
     *
     * @param prefix the start of the key.
     * @return the matching keys.
     */
    public List<String> keysStartingWith(final String prefix)
    {
        final List<String> keys = new ArrayList<>();
        for (final String key : values.keySet())
        {
            if (key.startsWith(prefix))
            {
                keys.add(key);
            }
        }
        return keys;
    }

    /**
     * A required text value.
     *
     * @param key the key.
     * @return the value.
     */
    public String text(final String key)
    {
        final String value = values.get(key);
        if (value == null)
        {
            throw new IllegalArgumentException("missing argument: " + key + " (have " + values.keySet() + ")");
        }
        return value;
    }

    /**
     * An optional text value.
     *
     * @param key          the key.
     * @param defaultValue returned when the key is absent.
     * @return the value.
     */
    public String text(final String key, final String defaultValue)
    {
        return values.getOrDefault(key, defaultValue);
    }

    /**
     * A required int.
     *
     * @param key the key.
     * @return the value.
     */
    public int integer(final String key)
    {
        return Integer.parseInt(text(key));
    }

    /**
     * An optional int.
     *
     * @param key          the key.
     * @param defaultValue returned when the key is absent.
     * @return the value.
     */
    public int integer(final String key, final int defaultValue)
    {
        return values.containsKey(key) ? integer(key) : defaultValue;
    }

    /**
     * A required long.
     *
     * @param key the key.
     * @return the value.
     */
    public long longValue(final String key)
    {
        return Long.parseLong(text(key));
    }

    /**
     * An optional long.
     *
     * @param key          the key.
     * @param defaultValue returned when the key is absent.
     * @return the value.
     */
    public long longValue(final String key, final long defaultValue)
    {
        return values.containsKey(key) ? longValue(key) : defaultValue;
    }

    /**
     * An optional boolean.
     *
     * @param key          the key.
     * @param defaultValue returned when the key is absent.
     * @return the value.
     */
    public boolean flag(final String key, final boolean defaultValue)
    {
        return values.containsKey(key) ? Boolean.parseBoolean(text(key)) : defaultValue;
    }

    /**
     * A required region location, as {@link RegionLocation#parse(String)} reads it: a path containing {@code /}
     * is a file, anything else a shared-memory name.
     *
     * @param key the key.
     * @return the location.
     */
    public RegionLocation location(final String key)
    {
        return RegionLocation.parse(text(key));
    }

    /**
     * How a test passes a location to a child: the inverse of {@link #location(String)}.
     *
     * @param location the location.
     * @return the shared-memory name, the file path, or {@code anon:<label>} for an anonymous region (which the child
     *         attaches through the hand-off its parent gave it).
     */
    public static String format(final RegionLocation location)
    {
        if (location.isAnonymous())
        {
            return "anon:" + location.anonymousLabel();
        }
        return location.isShm() ? location.shmName() : location.path().toString();
    }
}
