package io.shmipc.bridge;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The check a bridge makes of the files it maps itself (replay logs, its counters) after a fault on mapped memory:
 * a file shorter than its mapping was truncated under it, and is named in the error.
 */
final class MappedFiles
{
    private MappedFiles()
    {
    }

    /**
     * Check that a file is still as long as its mapping.
     *
     * @param file         the file.
     * @param mappedLength bytes mapped from its start.
     * @throws BridgeException on field {@code file.size} when it was truncated.
     */
    static void checkWhole(final Path file, final long mappedLength)
    {
        long size;
        try
        {
            size = Files.size(file);
        }
        catch (final IOException ex)
        {
            size = -1;
        }
        if (size < mappedLength)
        {
            throw BridgeException.corrupt(file, "file.size", "the mapped length " + mappedLength +
                " (the file was truncated while mapped)", size);
        }
    }
}
