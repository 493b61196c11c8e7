package io.shmipc.examples.support;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * Removing a directory with everything in it (a killed bridge's home, say).
 */
public final class FileTrees
{
    private FileTrees()
    {
    }

    /**
     * Delete a directory and everything below it; nothing when it does not exist.
     *
     * @param directory the directory.
     * @throws IOException naming what could not be deleted.
     */
    public static void deleteTree(final Path directory) throws IOException
    {
        if (!Files.exists(directory))
        {
            return;
        }
        try (Stream<Path> files = Files.walk(directory))
        {
            for (final Path file : files.sorted(Comparator.reverseOrder()).toList())
            {
                Files.deleteIfExists(file);
            }
        }
    }
}
