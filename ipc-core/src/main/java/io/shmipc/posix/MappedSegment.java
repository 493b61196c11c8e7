package io.shmipc.posix;

import io.shmipc.exceptions.RegionClosedException;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * A shared mapping of {@code [0, length)} of a file, unmapped explicitly by {@link #close()}, never by the
 * garbage collector. Lengths above 2 GiB are fine: {@link #buffer(long, int)} hands out int-sized windows at any
 * long offset.
 * <p>
 * After {@link #close()} every method throws {@link RegionClosedException}; buffers handed out earlier must not
 * be used, which is why the classes above this one check their own closed state before every access.
 */
public final class MappedSegment implements AutoCloseable
{
    private final String region;
    private final long address;
    private final long length;
    private final boolean writable;
    private volatile boolean closed;

    private MappedSegment(final String region, final long address, final long length, final boolean writable)
    {
        this.region = region;
        this.address = address;
        this.length = length;
        this.writable = writable;
    }

    /**
     * Map a file shared.
     *
     * @param fd       an open descriptor.
     * @param length   bytes to map, at most the file's length.
     * @param writable read-write, else read-only ({@code PROT_READ}).
     * @param region   the region, for messages.
     * @return the mapping.
     */
    public static MappedSegment map(final int fd, final long length, final boolean writable, final String region)
    {
        final long address = Posix.mmapShared(fd, length, writable, region);
        return new MappedSegment(region, address, length, writable);
    }

    /**
     * A buffer over {@code [offset, offset + bufferLength)} of the mapping.
     *
     * @param offset       from the start of the mapping.
     * @param bufferLength bytes.
     * @return a new buffer over that window.
     * @throws IndexOutOfBoundsException if the window is outside the mapping.
     */
    public UnsafeBuffer buffer(final long offset, final int bufferLength)
    {
        ensureOpen();
        if (offset < 0 || bufferLength < 0 || offset + bufferLength > length)
        {
            throw new IndexOutOfBoundsException("window outside mapping: region=" + region + " offset=" + offset +
                " length=" + bufferLength + " mappingLength=" + length);
        }
        return new UnsafeBuffer(address + offset, bufferLength);
    }

    /**
     * Flush a file-backed mapping to its file.
     */
    public void sync()
    {
        ensureOpen();
        Posix.msync(address, length, region);
    }

    /**
     * The mapped length.
     *
     * @return bytes.
     */
    public long length()
    {
        return length;
    }

    /**
     * Whether the mapping allows writes.
     *
     * @return true when mapped read-write.
     */
    public boolean isWritable()
    {
        return writable;
    }

    /**
     * Whether {@link #close()} has run.
     *
     * @return true once unmapped.
     */
    public boolean isClosed()
    {
        return closed;
    }

    /**
     * Unmap now. Idempotent.
     */
    @Override
    public void close()
    {
        synchronized (this)
        {
            if (closed)
            {
                return;
            }
            closed = true;
        }
        Posix.munmap(address, length, region);
    }

    private void ensureOpen()
    {
        if (closed)
        {
            throw new RegionClosedException(region, "mapping is closed: region=" + region);
        }
    }
}
