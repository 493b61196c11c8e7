package io.shmipc.examples.support;

import io.shmipc.RegionLocation;
import io.shmipc.exceptions.InvalidConfigurationException;
import picocli.CommandLine;

import java.nio.charset.Charset;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Pattern;

/**
 * Reads a region as every tool takes it ({@code --region}, or the REGION of {@code stat}, {@code peek}, {@code rm}).
 * A file region only where a path is plainly meant:
 * <ul>
 * <li>{@code NAME}, {@code shm:NAME} (as the tools print it), {@code /NAME} (POSIX spelling, as
 * {@code shm_open} takes it) and {@code /dev/shm/NAME}: the POSIX shared-memory object {@code NAME}, a file in
 * {@code /dev/shm};</li>
 * <li>{@code ./NAME}, {@code DIR/NAME}, {@code /DIR/NAME} (a path with a directory part) and {@code file:PATH}:
 * the file at that path, whose directory must exist;</li>
 * <li>anything ending in {@code /} is refused: it names a directory.</li>
 * </ul>
 * An absolute path is read in its normal form ({@code //chat} and {@code /dev/shm/../shm/chat} are {@code /chat} and
 * {@code /dev/shm/chat}), so a spelling never turns a shared-memory name into a file elsewhere.
 */
public final class RegionLocationConverter implements CommandLine.ITypeConverter<RegionLocation>
{
    /** What a charset decoder puts for bytes it cannot decode. */
    private static final char UNDECODABLE = '\uFFFD';

    /** What the {@code --region} option says of its value in every command's help. */
    public static final String DESCRIPTION = "Region: a shared-memory name (NAME, /NAME or shm:NAME: /dev/shm/NAME) " +
        "or a file (./NAME, DIR/NAME, /DIR/NAME or file:PATH); anon:LABEL for an anonymous region handed to this " +
        "process, /proc/PID/fd/FD for one a running process holds (/proc/self/fd/FD: one the shell hands this " +
        "command, as in 3<FILE).";

    private static final String SHM_PREFIX = RegionLocation.SHM_PREFIX;
    private static final String FILE_PREFIX = RegionLocation.FILE_PREFIX;
    private static final String SHM_DIRECTORY = "/dev/shm/";
    private static final String ANONYMOUS_PREFIX = RegionLocation.ANONYMOUS_PREFIX;
    private static final Pattern DESCRIPTOR_PATH = Pattern.compile("/proc/([0-9]+|self)/fd/[0-9]+");
    private static final Pattern SHELL_PLAIN = Pattern.compile("[A-Za-z0-9._+/:,=@%-]+");

    @Override
    public RegionLocation convert(final String value)
    {
        try
        {
            return parse(value);
        }
        catch (final IllegalArgumentException ex)
        {
            throw new CommandLine.TypeConversionException(ex.getMessage());
        }
    }

    /**
     * Read a region by the rule above.
     *
     * @param value the text.
     * @return the location.
     * @throws IllegalArgumentException saying what is wrong and what to write instead.
     */
    public static RegionLocation parse(final String value)
    {
        if (value.isEmpty())
        {
            throw new IllegalArgumentException("'' is no region: give a name, e.g. chat");
        }
        if (value.indexOf(UNDECODABLE) >= 0)
        {
            // The JVM decoded the argument with the locale's charset and replaced each byte it could not decode by
            // U+FFFD: the path built from it would name another file (one whose name holds U+FFFD), so refuse.
            throw new IllegalArgumentException("'" + value + "' holds bytes that are not text in this locale's " +
                "charset (" + Charset.defaultCharset() + "; shown as \uFFFD), or U+FFFD itself: shm-ipc cannot " +
                "name that file exactly; rename it, or run with a locale whose charset decodes its name");
        }
        if (value.startsWith(ANONYMOUS_PREFIX) || DESCRIPTOR_PATH.matcher(value).matches())
        {
            try
            {
                return RegionLocation.parse(value);
            }
            catch (final InvalidConfigurationException ex)
            {
                throw new IllegalArgumentException("'" + value + "' is no region: " + ex.getMessage());
            }
        }
        if (value.endsWith("/"))
        {
            throw new IllegalArgumentException("'" + value + "' ends with '/': that names a directory, not a region " +
                "(a shared-memory name is e.g. chat, a file region e.g. ./chat or /tmp/chat)");
        }
        if (value.startsWith(FILE_PREFIX))
        {
            return file(value, value.substring(FILE_PREFIX.length()));
        }
        final String shmName;
        final String absolute = value.startsWith("/") ? Path.of(value).normalize().toString() : null;
        if (value.startsWith(SHM_PREFIX))
        {
            shmName = value.substring(SHM_PREFIX.length());
        }
        else if (absolute != null && absolute.startsWith(SHM_DIRECTORY) &&
            absolute.indexOf('/', SHM_DIRECTORY.length()) < 0)
        {
            shmName = absolute.substring(SHM_DIRECTORY.length());
        }
        else if (absolute != null && absolute.lastIndexOf('/') == 0)
        {
            shmName = absolute.substring(1); // "/chat": shm_open's spelling of the name "chat"
        }
        else if (value.indexOf('/') >= 0)
        {
            return file(value, value);
        }
        else
        {
            shmName = value;
        }
        try
        {
            return RegionLocation.shm(shmName);
        }
        catch (final InvalidConfigurationException ex)
        {
            throw new IllegalArgumentException("'" + value + "' is no shared-memory name: " + ex.getMessage() +
                "; a file region needs a directory part, e.g. ./" + shmName);
        }
    }

    /**
     * The command-line form of a location, which {@link #parse(String)} reads back: the shared-memory name,
     * {@code anon:LABEL}, {@code /proc/PID/fd/FD}, or the file path ({@code file:PATH} when the path alone would
     * read as a shared-memory name).
     *
     * @param location a location.
     * @return the argument text.
     */
    public static String argument(final RegionLocation location)
    {
        if (location.isShm())
        {
            // A name that starts with '-' would be read as an option.
            return location.shmName().startsWith("-") ? SHM_PREFIX + location.shmName() : location.shmName();
        }
        if (location.isAnonymous() || location.isDescriptor())
        {
            return location.toString();
        }
        final String path = location.path().toString();
        return path.lastIndexOf('/') == 0 || path.startsWith(SHM_DIRECTORY) ? FILE_PREFIX + path : path;
    }

    /**
     * The command-line form of a location as a shell reads it back, for the commands a tool suggests: quoted when it
     * holds anything but letters, digits and {@code ._-+/:,=@%}.
     *
     * @param location a location.
     * @return the argument, quoted for a POSIX shell when it needs it.
     */
    public static String shellArgument(final RegionLocation location)
    {
        final String argument = argument(location);
        return SHELL_PLAIN.matcher(argument).matches() ? argument : "'" + argument.replace("'", "'\\''") + "'";
    }

    private static RegionLocation file(final String value, final String path)
    {
        if (path.isEmpty() || path.endsWith("/"))
        {
            throw new IllegalArgumentException("'" + value + "' names no file");
        }
        final Path file = Path.of(path).toAbsolutePath().normalize();
        final Path directory = file.getParent();
        if (directory == null || !Files.isDirectory(directory))
        {
            throw new IllegalArgumentException("'" + value + "': directory " + directory + " does not exist " +
                "(create it first, or give a shared-memory name such as " + file.getFileName() + ")");
        }
        return RegionLocation.file(file);
    }
}
