package io.shmipc;

import java.util.Objects;

/**
 * One channel of a region being created: name, kind, buffer capacity and the longest message it accepts.
 *
 * @param name             1 to 56 characters of {@code [A-Za-z0-9._-]}, unique in the region.
 * @param kind             the channel kind.
 * @param capacity         data capacity in bytes, a power of two from 1 KiB to 1 GiB.
 * @param maxMessageLength longest message in bytes, or 0 for the largest the buffer allows (capacity / 8).
 */
public record ChannelConfig(String name, ChannelKind kind, int capacity, int maxMessageLength)
{
    /**
     * Check the parts that need no region to check.
     *
     * @param name             the name.
     * @param kind             the kind.
     * @param capacity         the capacity.
     * @param maxMessageLength the message limit.
     */
    public ChannelConfig
    {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(kind, "kind");
    }
}
