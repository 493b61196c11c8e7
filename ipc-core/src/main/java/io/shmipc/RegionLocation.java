package io.shmipc;

import io.shmipc.exceptions.InvalidConfigurationException;
import io.shmipc.layout.RegionLayout;

import java.nio.file.Path;
import java.util.Objects;

/**
 * Where a region lives: a POSIX shared-memory object ({@code /dev/shm/<name>} on Linux) or any file, on tmpfs or
 * disk, mapped {@code MAP_SHARED}.
 */
public final class RegionLocation
{
    private final String shmName;
    private final Path path;

    private RegionLocation(final String shmName, final Path path)
    {
        this.shmName = shmName;
        this.path = path;
    }

    /**
     * A POSIX shared-memory object.
     *
     * @param name 1 to 56 characters of {@code [A-Za-z0-9._-]}, not {@code .} or {@code ..}; no {@code /}.
     * @return the location.
     * @throws InvalidConfigurationException for an invalid name.
     */
    public static RegionLocation shm(final String name)
    {
        final String problem = RegionLayout.nameProblem(name);
        if (problem != null)
        {
            throw new InvalidConfigurationException(name, "invalid region name: name=" + name + " (" + problem + ")");
        }
        return new RegionLocation(name, null);
    }

    /**
     * A file. The last component must not be a symbolic link (it is opened with {@code O_NOFOLLOW}).
     *
     * @param path the file path.
     * @return the location.
     */
    public static RegionLocation file(final Path path)
    {
        Objects.requireNonNull(path, "path");
        if (path.getFileName() == null)
        {
            throw new InvalidConfigurationException(path.toString(), "invalid region path: path=" + path +
                " (names no file)");
        }
        return new RegionLocation(null, path.toAbsolutePath().normalize());
    }

    /**
     * Parse a location as the tools take it: a path containing {@code /} is a file, anything else a
     * shared-memory name.
     *
     * @param text a name or a path.
     * @return the location.
     */
    public static RegionLocation parse(final String text)
    {
        return text.indexOf('/') >= 0 ? file(Path.of(text)) : shm(text);
    }

    /**
     * Whether this is a POSIX shared-memory object.
     *
     * @return true for {@link #shm(String)} locations.
     */
    public boolean isShm()
    {
        return shmName != null;
    }

    /**
     * The shared-memory name.
     *
     * @return the name, or {@code null} for a file location.
     */
    public String shmName()
    {
        return shmName;
    }

    /**
     * The path in the file system: the file, or {@code /dev/shm/<name>} for a shared-memory object on Linux.
     *
     * @return the path.
     */
    public Path path()
    {
        return shmName != null ? Path.of("/dev/shm", shmName) : path;
    }

    /**
     * How messages name the region: {@code shm:<name>} or the file path.
     *
     * @return the display name.
     */
    @Override
    public String toString()
    {
        return shmName != null ? "shm:" + shmName : path.toString();
    }

    @Override
    public boolean equals(final Object other)
    {
        return other instanceof RegionLocation && toString().equals(other.toString());
    }

    @Override
    public int hashCode()
    {
        return toString().hashCode();
    }
}
