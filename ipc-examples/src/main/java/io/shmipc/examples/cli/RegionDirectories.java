package io.shmipc.examples.cli;

import io.shmipc.Regions;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The directories a tool scans for regions: {@code /dev/shm} unless {@code --no-shm}, plus every {@code --dir}. A
 * picocli mixin of {@code list} and {@code clean}.
 */
final class RegionDirectories
{
    @Option(names = "--dir", paramLabel = "DIRECTORY")
    List<Path> directories = new ArrayList<>();

    @Option(names = "--no-shm")
    boolean noShm;

    List<Path> all()
    {
        final List<Path> all = new ArrayList<>();
        if (!noShm)
        {
            all.add(Regions.SHM_DIRECTORY);
        }
        all.addAll(directories);
        return all;
    }

    /**
     * Name, on standard error, the regular files of these directories that this process may not read: regions of
     * another user (or anything else) that a scan leaves out. Nothing when there are none.
     *
     * @param command the command, e.g. {@code list}.
     */
    void noteUnreadable(final String command)
    {
        final List<String> files = new ArrayList<>();
        for (final Path directory : all())
        {
            try (DirectoryStream<Path> entries = Files.newDirectoryStream(directory))
            {
                for (final Path entry : entries)
                {
                    if (Files.isRegularFile(entry, LinkOption.NOFOLLOW_LINKS) && !Files.isReadable(entry))
                    {
                        files.add(entry + " (owner " + owner(entry) + ")");
                    }
                }
            }
            catch (final IOException ex)
            {
                // The scan has just read it; a directory gone since then has nothing to add.
            }
        }
        if (!files.isEmpty())
        {
            files.sort(null);
            System.err.println("shm-ipc " + command + ": left out " + files.size() + (files.size() == 1 ? " file" :
                " files") + " this user may not read, regions or not (run as the owner or root to see them): " +
                String.join(", ", files));
        }
    }

    /**
     * The owner's name of a file, {@code ?} when it cannot be read.
     *
     * @param path the file.
     * @return the name.
     */
    static String owner(final Path path)
    {
        try
        {
            return Files.getOwner(path, LinkOption.NOFOLLOW_LINKS).getName();
        }
        catch (final IOException | UnsupportedOperationException ex)
        {
            return "?";
        }
    }
}
