package io.shmipc.tests.support;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Starts child JVMs as an unprivileged user ({@code nobody}, uid 65534) when the tests run as root, as they do on
 * the project's machines: root bypasses file permission checks, so a region that only root could open would pass
 * every other test. The test class path usually lives where {@code nobody} cannot read (under {@code /root}), so
 * it is copied into a world-readable directory first.
 */
public final class UnprivilegedJava
{
    /** The user and group the children run as. */
    public static final int NOBODY = 65534;
    /** A second unprivileged user and group, with no name: a process of another user than {@link #NOBODY}. */
    public static final int OTHER_USER = 65533;

    private static final Path SETPRIV = Path.of("/usr/bin/setpriv");

    private final Path directory;
    private final String classPath;

    private UnprivilegedJava(final Path directory, final String classPath)
    {
        this.directory = directory;
        this.classPath = classPath;
    }

    /**
     * Go on when children can be started as another user; else skip the test, or fail it under CI
     * ({@link Prerequisites}).
     */
    public static void require()
    {
        Prerequisites.require("tests running children as another user", isAvailable() ? null :
            "they need root and " + SETPRIV);
    }

    /**
     * Whether children can be started as another user: this JVM runs as root and {@code setpriv} exists.
     *
     * @return true when {@link #prepare} can be used.
     */
    public static boolean isAvailable()
    {
        try
        {
            for (final String line : Files.readAllLines(Path.of("/proc/self/status")))
            {
                if (line.startsWith("Uid:"))
                {
                    return "0".equals(line.substring(4).trim().split("\\s+")[1]) && Files.isExecutable(SETPRIV);
                }
            }
            return false;
        }
        catch (final IOException ex)
        {
            return false;
        }
    }

    /**
     * Copy the test class path into {@code directory} (made world-readable) for unprivileged children.
     *
     * @param directory an empty directory, for example a {@code @TempDir}.
     * @return the launcher.
     */
    public static UnprivilegedJava prepare(final Path directory)
    {
        try
        {
            Files.setPosixFilePermissions(directory, PosixFilePermissions.fromString("rwxrwxrwx"));
            final List<String> entries = new ArrayList<>();
            int index = 0;
            for (final String entry : System.getProperty("java.class.path").split(File.pathSeparator))
            {
                final Path source = Path.of(entry);
                if (!Files.exists(source))
                {
                    continue;
                }
                final Path copy = directory.resolve(index++ + "-" + source.getFileName());
                copyReadable(source, copy);
                entries.add(copy.toString());
            }
            return new UnprivilegedJava(directory, String.join(File.pathSeparator, entries));
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }

    /**
     * The command that runs {@code mainClass} as {@code nobody}.
     *
     * @param mainClass class with a {@code main}.
     * @param args      its arguments.
     * @return the command for {@link ChildProcesses#start(String, List)}.
     */
    public List<String> command(final Class<?> mainClass, final String... args)
    {
        return command(NOBODY, mainClass, args);
    }

    /**
     * The command that runs {@code mainClass} as another unprivileged user.
     *
     * @param uid       the user and group id, e.g. {@link #OTHER_USER}.
     * @param mainClass class with a {@code main}.
     * @param args      its arguments.
     * @return the command for {@link ChildProcesses#start(String, List)}.
     */
    public List<String> command(final int uid, final Class<?> mainClass, final String... args)
    {
        final List<String> command = new ArrayList<>(List.of(SETPRIV.toString(), "--reuid=" + uid,
            "--regid=" + uid, "--clear-groups"));
        command.addAll(ChildJvms.javaCommand(List.of("-Djna.tmpdir=" + directory,
            "-Djava.io.tmpdir=" + directory, "-Duser.home=" + directory)));
        command.add("-cp");
        command.add(classPath);
        command.add(mainClass.getName());
        command.addAll(List.of(args));
        return command;
    }

    private static void copyReadable(final Path source, final Path target) throws IOException
    {
        if (!Files.isDirectory(source))
        {
            Files.copy(source, target, StandardCopyOption.COPY_ATTRIBUTES);
            Files.setPosixFilePermissions(target, PosixFilePermissions.fromString("rw-r--r--"));
            return;
        }
        try (Stream<Path> tree = Files.walk(source))
        {
            for (final Path path : (Iterable<Path>)tree::iterator)
            {
                final Path destination = target.resolve(source.relativize(path).toString());
                if (Files.isDirectory(path))
                {
                    Files.createDirectories(destination);
                    Files.setPosixFilePermissions(destination, PosixFilePermissions.fromString("rwxr-xr-x"));
                }
                else
                {
                    Files.copy(path, destination);
                    Files.setPosixFilePermissions(destination, PosixFilePermissions.fromString("rw-r--r--"));
                }
            }
        }
    }
}
