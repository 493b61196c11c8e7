package io.shmipc.examples.container;

import io.shmipc.RegionLocation;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The command line of {@link ContainerPeer}: positional words and {@code --name value} or {@code --flag} options.
 */
final class PeerArguments
{
    private final List<String> positional = new ArrayList<>();
    private final Map<String, String> options = new HashMap<>();

    private PeerArguments()
    {
    }

    /**
     * Parse a command line.
     *
     * @param args  the words after the mode.
     * @param flags option names that take no value.
     * @return the parsed arguments.
     * @throws IllegalArgumentException for an option missing its value.
     */
    static PeerArguments parse(final List<String> args, final Set<String> flags)
    {
        final PeerArguments parsed = new PeerArguments();
        for (int i = 0; i < args.size(); i++)
        {
            final String word = args.get(i);
            if (word.startsWith("--"))
            {
                final String name = word.substring(2);
                if (flags.contains(name))
                {
                    parsed.options.put(name, "true");
                }
                else if (i + 1 < args.size())
                {
                    parsed.options.put(name, args.get(++i));
                }
                else
                {
                    throw new IllegalArgumentException("option needs a value: " + word);
                }
            }
            else
            {
                parsed.positional.add(word);
            }
        }
        return parsed;
    }

    /**
     * A required positional word.
     *
     * @param index       its position.
     * @param description what it is, for the error message.
     * @return the word.
     */
    String positional(final int index, final String description)
    {
        if (index >= positional.size())
        {
            throw new IllegalArgumentException("missing argument " + (index + 1) + ": " + description);
        }
        return positional.get(index);
    }

    /**
     * A required positional region location ({@code shm:name}, a plain name, or a path).
     *
     * @param index its position.
     * @return the location.
     */
    RegionLocation location(final int index)
    {
        return RegionLocation.parse(positional(index, "region (shm:NAME, NAME or /path/to/file)"));
    }

    /**
     * A string option.
     *
     * @param name         option name without dashes.
     * @param defaultValue value when absent.
     * @return the value.
     */
    String string(final String name, final String defaultValue)
    {
        return options.getOrDefault(name, defaultValue);
    }

    /**
     * A number option, with an optional {@code k}, {@code m} or {@code g} binary suffix.
     *
     * @param name         option name without dashes.
     * @param defaultValue value when absent.
     * @return the value.
     */
    long number(final String name, final long defaultValue)
    {
        final String value = options.get(name);
        return value == null ? defaultValue : parseSize(value);
    }

    /**
     * A duration option in seconds.
     *
     * @param name         option name without dashes.
     * @param defaultValue value when absent.
     * @return the value.
     */
    Duration seconds(final String name, final Duration defaultValue)
    {
        final String value = options.get(name);
        return value == null ? defaultValue : Duration.ofMillis(Math.round(Double.parseDouble(value) * 1000));
    }

    /**
     * A flag.
     *
     * @param name option name without dashes.
     * @return true when given.
     */
    boolean flag(final String name)
    {
        return options.containsKey(name);
    }

    /**
     * Parse a byte count such as {@code 4096}, {@code 64k}, {@code 128m} or {@code 1g}.
     *
     * @param text the count.
     * @return bytes.
     */
    static long parseSize(final String text)
    {
        final String lower = text.trim().toLowerCase(java.util.Locale.ROOT);
        final char last = lower.isEmpty() ? ' ' : lower.charAt(lower.length() - 1);
        final int shift = last == 'k' ? 10 : last == 'm' ? 20 : last == 'g' ? 30 : 0;
        final String digits = shift == 0 ? lower : lower.substring(0, lower.length() - 1);
        return Long.parseLong(digits) << shift;
    }
}
