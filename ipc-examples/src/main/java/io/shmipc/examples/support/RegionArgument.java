package io.shmipc.examples.support;

import io.shmipc.RegionLocation;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParameterException;

/**
 * The region a tool looks at, given as its first argument ({@code shm-ipc stat quotes}) or, as every other command
 * takes it, with {@code --region quotes}. A picocli mixin.
 */
public final class RegionArgument
{
    @Parameters(index = "0", arity = "0..1", paramLabel = "REGION", converter = RegionLocationConverter.class,
        descriptionKey = "region-argument")
    private RegionLocation positional;

    @Option(names = "--region", paramLabel = "NAME|PATH", converter = RegionLocationConverter.class)
    private RegionLocation option;

    /**
     * The region given.
     *
     * @param spec the command, for usage errors.
     * @return the location.
     * @throws ParameterException when none is given, or two different ones.
     */
    public RegionLocation location(final CommandSpec spec)
    {
        if (positional != null && option != null && !positional.equals(option))
        {
            throw new ParameterException(spec.commandLine(), "REGION " + positional + " and --region " + option +
                " differ: give one");
        }
        if (positional == null && option == null)
        {
            throw new ParameterException(spec.commandLine(), "missing REGION: give a region name, e.g. '" +
                spec.qualifiedName() + " quotes' or '" + spec.qualifiedName() + " --region quotes'");
        }
        return positional != null ? positional : option;
    }
}
