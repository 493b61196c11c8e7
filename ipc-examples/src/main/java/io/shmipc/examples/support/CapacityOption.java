package io.shmipc.examples.support;

import picocli.CommandLine.Option;

/**
 * {@code --capacity BYTES}: a channel's capacity when this process creates the region; every process of the channel
 * must give the same (checked when attaching). A picocli mixin.
 */
public final class CapacityOption
{
    @Option(names = "--capacity", paramLabel = "BYTES", defaultValue = "1m", converter = CapacityConverter.class)
    private int capacity;

    /**
     * The capacity.
     *
     * @return bytes.
     */
    public int bytes()
    {
        return capacity;
    }
}
