package io.shmipc.layout;

/**
 * What the creator asks for one channel; {@link RegionLayout#plan} turns it into a {@link ChannelLayout}.
 *
 * @param name             channel name.
 * @param kind             a {@link DirectoryDescriptor} kind code.
 * @param capacity         power-of-two data capacity.
 * @param maxMessageLength longest payload, or 0 for the largest the buffer allows.
 */
public record ChannelSpec(String name, int kind, int capacity, int maxMessageLength)
{
}
