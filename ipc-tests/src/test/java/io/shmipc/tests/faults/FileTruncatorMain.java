package io.shmipc.tests.faults;

import io.shmipc.tests.support.ChildSupport;
import java.io.IOException;
import java.io.RandomAccessFile;

/**
 * Truncates a file to zero bytes ({@code ftruncate} through {@link RandomAccessFile#setLength}) and prints
 * {@code TRUNCATED}. Argument: the path.
 */
public final class FileTruncatorMain
{
    private FileTruncatorMain()
    {
    }

    public static void main(final String[] args) throws IOException
    {
        try (RandomAccessFile file = new RandomAccessFile(args[0], "rw"))
        {
            file.setLength(0);
        }
        ChildSupport.println("TRUNCATED");
    }
}
