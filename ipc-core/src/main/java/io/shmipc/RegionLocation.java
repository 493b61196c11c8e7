package io.shmipc;

import io.shmipc.exceptions.InvalidConfigurationException;
import io.shmipc.layout.RegionLayout;

import java.nio.file.Path;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where a region lives:
 * <ul>
 * <li>a POSIX shared-memory object ({@link #shm(String)}, {@code /dev/shm/<name>} on Linux), which unrelated
 * processes open by name;</li>
 * <li>any file, on tmpfs or disk ({@link #file(Path)}), mapped {@code MAP_SHARED};</li>
 * <li>an anonymous region ({@link #anonymous(String)}): shared memory with no name in any file system, created by
 * one process and handed to the processes it starts ({@link RegionHandoff#of(Region, ProcessBuilder)}); the label
 * only tells this process's anonymous regions apart;</li>
 * <li>a descriptor of a running process that holds a region ({@link #descriptor(long, int)},
 * {@code /proc/<pid>/fd/<fd>}), the way tools inspect an anonymous region from outside.</li>
 * </ul>
 */
public final class RegionLocation
{
    /** What {@link #parse} takes before an anonymous region's label. */
    public static final String ANONYMOUS_PREFIX = "anon:";
    /** What {@link #parse} takes before a shared-memory name, and what {@link #toString()} puts there. */
    public static final String SHM_PREFIX = "shm:";
    /** What {@link #parse} takes before a file's path. */
    public static final String FILE_PREFIX = "file:";
    private static final Pattern DESCRIPTOR_PATH = Pattern.compile("/proc/([1-9][0-9]{0,9}|self)/fd/([0-9]{1,9})");

    private final String shmName;
    private final Path path;
    private final String anonymousLabel;
    private final boolean descriptor;

    private RegionLocation(final String shmName, final Path path, final String anonymousLabel,
        final boolean descriptor)
    {
        this.shmName = shmName;
        this.path = path;
        this.anonymousLabel = anonymousLabel;
        this.descriptor = descriptor;
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
        checkName(name, "region name");
        return new RegionLocation(name, null, null, false);
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
        if (path.getFileName() == null || path.toString().isEmpty())
        {
            throw new InvalidConfigurationException(path.toString(), "invalid region path: path=" + path +
                " (names no file)");
        }
        return new RegionLocation(null, path.toAbsolutePath().normalize(), null, false);
    }

    /**
     * An anonymous region: {@link Region#create} makes it with {@code memfd_create}, sized and sealed, with no name
     * in any file system; {@link Region#attach(RegionLocation, java.time.Duration)} attaches the one the process
     * that started this one handed it under this label ({@link RegionHandoff#of(Region, ProcessBuilder)}).
     *
     * @param label 1 to 56 characters of {@code [A-Za-z0-9._-]}, as a region name; it names the region in
     *              messages, in {@code /proc/<pid>/fd} ({@code /memfd:shmipc:<label>}) and in the hand-off.
     * @return the location.
     * @throws InvalidConfigurationException for an invalid label.
     */
    public static RegionLocation anonymous(final String label)
    {
        checkName(label, "anonymous region label");
        return new RegionLocation(null, null, label, false);
    }

    /**
     * A region held open by a running process, reached through {@code /proc/<pid>/fd/<fd>}: what tools use to
     * inspect an anonymous region. Opening it needs the right to look into that process (the same user while the
     * process is dumpable, or root).
     *
     * @param pid the process, in this process's PID namespace.
     * @param fd  its descriptor of the region.
     * @return the location.
     */
    public static RegionLocation descriptor(final long pid, final int fd)
    {
        if (pid <= 0 || fd < 0)
        {
            throw new InvalidConfigurationException("/proc/" + pid + "/fd/" + fd, "invalid descriptor location: pid=" +
                pid + " fd=" + fd);
        }
        return new RegionLocation(null, Path.of("/proc", Long.toString(pid), "fd", Integer.toString(fd)), null, true);
    }

    /**
     * Parse a location's text: {@code anon:<label>} is an anonymous region, {@code shm:<name>} a
     * shared-memory name and {@code file:<path>} a file (so that {@code parse(location.toString())} gives the
     * location back), {@code /proc/<pid>/fd/<fd>} a process's descriptor ({@code /proc/self/fd/<fd>} this
     * process's, as a shell hands one to a command: {@code 3<file}), any other text containing {@code /} a file,
     * anything else a shared-memory name. (The command-line tools read more spellings as shared-memory names,
     * {@code /<name>} and {@code /dev/shm/<name>} among them: docs/cli-and-demos.md.)
     *
     * @param text a name, a path, or one with its prefix.
     * @return the location.
     * @throws InvalidConfigurationException for an invalid name, label or path.
     */
    public static RegionLocation parse(final String text)
    {
        if (text.startsWith(SHM_PREFIX))
        {
            return shm(text.substring(SHM_PREFIX.length()));
        }
        if (text.startsWith(FILE_PREFIX))
        {
            return file(Path.of(text.substring(FILE_PREFIX.length())));
        }
        if (text.startsWith(ANONYMOUS_PREFIX))
        {
            return anonymous(text.substring(ANONYMOUS_PREFIX.length()));
        }
        final Matcher descriptorPath = DESCRIPTOR_PATH.matcher(text);
        if (descriptorPath.matches())
        {
            final String pid = descriptorPath.group(1);
            return descriptor(pid.equals("self") ? ProcessHandle.current().pid() : Long.parseLong(pid),
                Integer.parseInt(descriptorPath.group(2)));
        }
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
     * Whether this is an anonymous region, created here or handed to this process.
     *
     * @return true for {@link #anonymous(String)} locations.
     */
    public boolean isAnonymous()
    {
        return anonymousLabel != null;
    }

    /**
     * Whether this is a descriptor of a running process.
     *
     * @return true for {@link #descriptor(long, int)} locations.
     */
    public boolean isDescriptor()
    {
        return descriptor;
    }

    /**
     * Whether the region has a name in a file system, which can be opened, linked and unlinked.
     *
     * @return true for {@link #shm(String)} and {@link #file(Path)} locations.
     */
    public boolean isNamed()
    {
        return anonymousLabel == null && !descriptor;
    }

    /**
     * The shared-memory name.
     *
     * @return the name, or {@code null} for any other location.
     */
    public String shmName()
    {
        return shmName;
    }

    /**
     * The anonymous region's label.
     *
     * @return the label, or {@code null} for any other location.
     */
    public String anonymousLabel()
    {
        return anonymousLabel;
    }

    /**
     * The path in the file system: the file, {@code /dev/shm/<name>} for a shared-memory object on Linux, or
     * {@code /proc/<pid>/fd/<fd>} for a descriptor.
     *
     * @return the path, or {@code null} for an anonymous region, which has none.
     */
    public Path path()
    {
        return shmName != null ? Path.of("/dev/shm", shmName) : path;
    }

    /**
     * How messages name the region: {@code shm:<name>}, the file path, {@code anon:<label>} or
     * {@code /proc/<pid>/fd/<fd>}.
     *
     * @return the display name.
     */
    @Override
    public String toString()
    {
        if (shmName != null)
        {
            return SHM_PREFIX + shmName;
        }
        return anonymousLabel != null ? ANONYMOUS_PREFIX + anonymousLabel : path.toString();
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

    private static void checkName(final String name, final String what)
    {
        final String problem = RegionLayout.nameProblem(name);
        if (problem != null)
        {
            final String shown = RegionLayout.nameForMessage(name);
            throw new InvalidConfigurationException(shown, "invalid " + what + ": name=" + shown + " (" + problem +
                ")");
        }
    }
}
