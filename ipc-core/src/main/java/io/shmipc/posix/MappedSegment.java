package io.shmipc.posix;

import io.shmipc.exceptions.RegionClosedException;

import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * A shared mapping of {@code [0, length)} of a file, released explicitly by {@link #close()}, never by the
 * garbage collector. Lengths above 2 GiB are fine: {@link #buffer(long, int)} hands out int-sized windows at any
 * long offset.
 * <p>
 * Close releases the file's pages at once by replacing the mapping, at the same address, with private anonymous
 * memory that is never backed until touched. A thread that still holds a buffer over the mapping (one that raced
 * the close, or misused a stale pointer) then reads zeros and writes into private pages that vanish, instead of
 * crashing the JVM or corrupting whatever the address space is used for next. The placeholder itself is
 * unmapped after {@link #LINGER_NS}, when the next mapping is made or closed.
 */
public final class MappedSegment implements AutoCloseable
{
    /** How long a closed mapping's placeholder keeps its addresses reserved. */
    public static final long LINGER_NS = 10_000_000_000L;

    private static final ConcurrentLinkedQueue<MappedSegment> LINGERING = new ConcurrentLinkedQueue<>();

    private final String region;
    private final long address;
    private final long length;
    private final boolean writable;
    private volatile boolean closed;
    private volatile boolean keepAddresses;
    private long closedAtNs;

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
        unmapExpiredPlaceholders();
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
    public MappedBuffer buffer(final long offset, final int bufferLength)
    {
        ensureOpen();
        if (offset < 0 || bufferLength < 0 || offset + bufferLength > length)
        {
            throw new IndexOutOfBoundsException("window outside mapping: region=" + region + " offset=" + offset +
                " length=" + bufferLength + " mappingLength=" + length);
        }
        return new MappedBuffer(address + offset, bufferLength);
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
     * @return true once released.
     */
    public boolean isClosed()
    {
        return closed;
    }

    /**
     * Release the file's pages now, leaving a private placeholder at the addresses until the linger passes.
     * Idempotent.
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
        try
        {
            Posix.replaceWithPlaceholder(address, length, region);
            closedAtNs = System.nanoTime();
            if (!keepAddresses)
            {
                LINGERING.add(this);
            }
        }
        catch (final RuntimeException ex)
        {
            Posix.munmap(address, length, region);
        }
        unmapExpiredPlaceholders();
    }

    /**
     * Never give the addresses up: once closed, the placeholder stays for the life of the process. For a mapping into
     * which another thread may still write at any later time (a claim's view of a publisher closed from another
     * thread): its writes must never reach whatever the addresses would be reused for. It costs address space only;
     * the placeholder holds no memory until written.
     */
    public void keepAddresses()
    {
        keepAddresses = true;
    }

    /**
     * Whether the addresses stay reserved for the life of the process once closed ({@link #keepAddresses()}).
     *
     * @return true once asked to keep them.
     */
    public boolean keepsAddresses()
    {
        return keepAddresses;
    }

    /**
     * Unmap every placeholder whose linger has passed.
     */
    static void unmapExpiredPlaceholders()
    {
        final long now = System.nanoTime();
        MappedSegment lingering;
        while ((lingering = LINGERING.peek()) != null && now - lingering.closedAtNs >= LINGER_NS)
        {
            if (LINGERING.remove(lingering))
            {
                Posix.munmap(lingering.address, lingering.length, lingering.region);
            }
        }
    }

    private void ensureOpen()
    {
        if (closed)
        {
            throw new RegionClosedException(region, "mapping is closed: region=" + region);
        }
    }
}
