package io.shmipc.examples.support;

import picocli.CommandLine.Option;

/**
 * {@code --keep-region}, for a process that unlinks its region as it exits. A picocli mixin.
 */
public final class KeepRegionOption
{
    @Option(names = "--keep-region")
    private boolean keep;

    /**
     * Whether to keep the region.
     *
     * @return true with {@code --keep-region}.
     */
    public boolean keep()
    {
        return keep;
    }
}
