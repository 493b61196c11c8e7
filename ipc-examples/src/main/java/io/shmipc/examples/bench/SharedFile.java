package io.shmipc.examples.bench;

import org.agrona.IoUtil;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * A plain file in {@code /dev/shm} mapped {@code MAP_SHARED} with {@link FileChannel#map}, with no framework: the
 * memory under the floor and bare-ring baselines.
 */
final class SharedFile implements AutoCloseable
{
    /** One page: the length of a file holding one word with its cache line to itself. */
    static final long PAGE = 4096;

    private final MappedByteBuffer mapped;
    private final UnsafeBuffer buffer;

    private SharedFile(final MappedByteBuffer mapped)
    {
        this.mapped = mapped;
        this.buffer = new UnsafeBuffer(mapped);
    }

    /**
     * The directory for shared files: {@code /dev/shm} where it exists, else the temporary directory.
     *
     * @return the directory.
     */
    static Path directory()
    {
        final Path shm = Path.of("/dev/shm");
        return Files.isDirectory(shm) ? shm : Path.of(System.getProperty("java.io.tmpdir"));
    }

    /**
     * Create a zero-filled file (sparse on tmpfs: pages appear on first touch, during the warm-up).
     *
     * @param path   where.
     * @param length bytes.
     * @throws IOException when it cannot be created.
     */
    static void create(final Path path, final long length) throws IOException
    {
        try (RandomAccessFile file = new RandomAccessFile(path.toFile(), "rw"))
        {
            file.setLength(length);
        }
    }

    /**
     * Map a whole existing file, read-write and shared.
     *
     * @param path the file.
     * @return the mapping.
     * @throws IOException when it cannot be mapped.
     */
    static SharedFile map(final Path path) throws IOException
    {
        try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE))
        {
            return new SharedFile(channel.map(FileChannel.MapMode.READ_WRITE, 0, channel.size()));
        }
    }

    /**
     * The whole mapping.
     *
     * @return a buffer over it.
     */
    UnsafeBuffer buffer()
    {
        return buffer;
    }

    @Override
    public void close()
    {
        IoUtil.unmap(mapped);
    }
}
