package io.shmipc.examples.support;

import io.shmipc.RegionLocation;
import io.shmipc.exceptions.InvalidConfigurationException;
import picocli.CommandLine;

/**
 * Reads a region as the tools take it: a name for {@code /dev/shm}, a file path (anything containing
 * {@code /}), {@code anon:<label>} for an anonymous region handed to the process, or {@code /proc/<pid>/fd/<fd>}.
 */
public final class RegionLocationConverter implements CommandLine.ITypeConverter<RegionLocation>
{
    @Override
    public RegionLocation convert(final String value)
    {
        try
        {
            return RegionLocation.parse(value);
        }
        catch (final InvalidConfigurationException ex)
        {
            throw new CommandLine.TypeConversionException(ex.getMessage());
        }
    }

    /**
     * The command-line form of a location, which this converter reads back: the shared-memory name, the path, or
     * {@code anon:<label>}.
     *
     * @param location a location.
     * @return the argument text.
     */
    public static String argument(final RegionLocation location)
    {
        if (location.isShm())
        {
            return location.shmName();
        }
        return location.isAnonymous() ? location.toString() : location.path().toString();
    }
}
