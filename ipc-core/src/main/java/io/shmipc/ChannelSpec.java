package io.shmipc;

import io.shmipc.exceptions.InvalidConfigurationException;
import io.shmipc.layout.RegionLayout;

import java.util.Objects;

/**
 * What a channel is: its name, kind, buffer capacity and the longest message it accepts. A configuration lists
 * the channels to create ({@link RegionConfig.Builder#channel(ChannelSpec)}), and an open region lists the channels
 * it has ({@link Region#channels()}).
 *
 * @param name             1 to 56 characters of {@code [A-Za-z0-9._-]}, unique in the region.
 * @param kind             the channel kind.
 * @param capacity         data capacity in bytes, a power of two from 1 KiB to 1 GiB.
 * @param maxMessageLength longest message in bytes, at most {@code capacity / 8}. In a configuration, 0 asks for
 *                         that largest limit; a region's channels always report the limit in force.
 */
public record ChannelSpec(String name, ChannelKind kind, int capacity, int maxMessageLength)
{
    /**
     * Check the parts that need no region to check: the rest is checked when the region is created.
     *
     * @param name             the name.
     * @param kind             the kind.
     * @param capacity         the capacity.
     * @param maxMessageLength the message limit, or 0 in a configuration.
     */
    public ChannelSpec
    {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(kind, "kind");
    }

    /**
     * Check a channel name before any region is involved, for names that come from users (the rule of
     * {@link #name()}; a region checks it again when the channel is created).
     *
     * @param name the name.
     * @return the name.
     * @throws InvalidConfigurationException naming the name and what is wrong with it.
     */
    public static String checkName(final String name)
    {
        final String problem = RegionLayout.nameProblem(name);
        if (problem != null)
        {
            throw new InvalidConfigurationException(null, "invalid channel name: channel=" +
                RegionLayout.nameForMessage(name) + " (" + problem + ")");
        }
        return name;
    }
}
