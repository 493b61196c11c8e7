package io.shmipc.examples.support;

import io.shmipc.RegionLocation;
import picocli.CommandLine.Option;

/**
 * {@code --region NAME|PATH}, the same in every command ({@link RegionLocationConverter} has the rule), with the
 * command's own default. A picocli mixin: {@code @Mixin RegionOption region = new RegionOption("shm-ipc-logs");}.
 */
public final class RegionOption
{
    @Option(names = "--region", paramLabel = "NAME|PATH", converter = RegionLocationConverter.class)
    private RegionLocation location;

    /**
     * The option with a default shared-memory name.
     *
     * @param defaultName the name used without {@code --region}.
     */
    public RegionOption(final String defaultName)
    {
        this.location = RegionLocation.shm(defaultName);
    }

    /**
     * The region.
     *
     * @return the location given, or the default.
     */
    public RegionLocation location()
    {
        return location;
    }

    /**
     * The region as a command line takes it back, for the commands a process suggests.
     *
     * @return the shared-memory name or the path.
     */
    public String argument()
    {
        return RegionLocationConverter.shellArgument(location);
    }
}
