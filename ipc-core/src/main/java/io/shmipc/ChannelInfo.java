package io.shmipc;

/**
 * A channel of an open region, as its directory describes it.
 *
 * @param name             the name.
 * @param kind             the kind.
 * @param capacity         data capacity in bytes.
 * @param maxMessageLength longest message in bytes.
 */
public record ChannelInfo(String name, ChannelKind kind, int capacity, int maxMessageLength)
{
}
