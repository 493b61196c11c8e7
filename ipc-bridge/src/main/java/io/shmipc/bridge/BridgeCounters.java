package io.shmipc.bridge;

import org.agrona.IoUtil;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.status.AtomicCounter;
import org.agrona.concurrent.status.CountersManager;

import java.io.IOException;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

import static io.shmipc.bridge.BridgeCountersDescriptor.HEADER_LENGTH;

/**
 * The bridge's side of its counters file (see {@link BridgeCountersDescriptor}): created fresh at each start,
 * removed on a clean close.
 */
final class BridgeCounters implements AutoCloseable
{
    /** Counters the file has room for. */
    static final int MAX_COUNTERS = 256;

    private final Path file;
    private final MappedByteBuffer mapped;
    private final UnsafeBuffer header;
    private final CountersManager manager;

    private BridgeCounters(final Path file, final MappedByteBuffer mapped)
    {
        this.file = file;
        this.mapped = mapped;
        final int valuesLength = MAX_COUNTERS * CountersManager.COUNTER_LENGTH;
        final int metadataLength = MAX_COUNTERS * CountersManager.METADATA_LENGTH;
        this.header = new UnsafeBuffer(mapped, 0, HEADER_LENGTH);
        this.manager = new CountersManager(new UnsafeBuffer(mapped, HEADER_LENGTH, metadataLength),
            new UnsafeBuffer(mapped, HEADER_LENGTH + metadataLength, valuesLength));
        final ByteOrder order = ByteOrder.LITTLE_ENDIAN;
        header.putLong(BridgeCountersDescriptor.MAGIC_OFFSET, BridgeCountersDescriptor.MAGIC, order);
        header.putInt(BridgeCountersDescriptor.PID_OFFSET, (int)ProcessHandle.current().pid(), order);
        header.putLong(BridgeCountersDescriptor.START_TIME_OFFSET, System.currentTimeMillis(), order);
        header.putInt(BridgeCountersDescriptor.METADATA_LENGTH_OFFSET, metadataLength, order);
        header.putInt(BridgeCountersDescriptor.VALUES_LENGTH_OFFSET, valuesLength, order);
        heartbeat(System.currentTimeMillis());
    }

    static BridgeCounters create(final Path file)
    {
        final long length = HEADER_LENGTH +
            (long)MAX_COUNTERS * (CountersManager.COUNTER_LENGTH + CountersManager.METADATA_LENGTH);
        try
        {
            Files.deleteIfExists(file);
            try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE_NEW,
                StandardOpenOption.READ, StandardOpenOption.WRITE))
            {
                return new BridgeCounters(file, channel.map(FileChannel.MapMode.READ_WRITE, 0, length));
            }
        }
        catch (final IOException ex)
        {
            throw new BridgeException(null, "cannot create counters file: file=" + file + ": " + ex.getMessage(),
                ex);
        }
    }

    /**
     * Allocate the counters of a route.
     *
     * @param outbound  the route's direction.
     * @param label     how the route is named, e.g. {@code "out orders"}.
     * @return {@link BridgeCountersDescriptor#COUNTERS_PER_ROUTE} counters, indexed by type.
     */
    AtomicCounter[] allocateRoute(final boolean outbound, final String label)
    {
        final AtomicCounter[] counters = new AtomicCounter[BridgeCountersDescriptor.COUNTERS_PER_ROUTE];
        for (int type = 0; type < counters.length; type++)
        {
            counters[type] = manager.newCounter(label + ": " + BridgeCountersDescriptor.name(outbound, type),
                BridgeCountersDescriptor.TYPE_ID_BASE + type);
        }
        return counters;
    }

    /**
     * Mark the counters allocated: readers may use the file.
     */
    void signalReady()
    {
        header.putIntRelease(BridgeCountersDescriptor.VERSION_OFFSET, BridgeCountersDescriptor.VERSION);
    }

    /**
     * Check that the file is still as long as its mapping.
     *
     * @throws BridgeException on field {@code file.size} when it was truncated.
     */
    void checkWhole()
    {
        MappedFiles.checkWhole(file, mapped.capacity());
    }

    void heartbeat(final long nowMs)
    {
        header.putLongRelease(BridgeCountersDescriptor.HEARTBEAT_OFFSET, nowMs);
    }

    @Override
    public void close()
    {
        IoUtil.unmap(mapped);
        try
        {
            Files.deleteIfExists(file);
        }
        catch (final IOException ignored)
        {
            // The file only informs tools; a later start replaces it.
        }
    }
}
