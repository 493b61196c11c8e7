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

    /**
     * The command line of a peer to suggest: {@code shm-ipc <command> --region <this region> <options>}; for an
     * anonymous region, which no command started by hand can attach, who starts that peer instead.
     *
     * @param command the peer's command.
     * @param options the peer's other options, each with a leading space, or empty.
     * @return the suggestion.
     */
    public String peerCommand(final String command, final String options)
    {
        return location.isAnonymous() ? "shm-ipc " + command + ", started by the process that holds " + location +
            " and hands it the region" : "shm-ipc " + command + " --region " + argument() + options;
    }
}
