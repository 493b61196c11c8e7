package io.shmipc.testing;

import io.shmipc.layout.DirectoryDescriptor;
import io.shmipc.layout.EndpointDescriptor;
import io.shmipc.layout.RegionHeaderDescriptor;
import org.agrona.IoUtil;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.broadcast.BroadcastBufferDescriptor;
import org.agrona.concurrent.ringbuffer.RingBufferDescriptor;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Another process's view of a region: it maps the file itself, finds a channel from the directory as a C program
 * would, and writes whatever it likes into the channel's positions and records.
 */
public final class ChannelAttacker implements AutoCloseable
{
    private final MappedByteBuffer mapping;
    private final UnsafeBuffer region;
    private final UnsafeBuffer buffer;
    private final UnsafeBuffer control;
    private final UnsafeBuffer endpointTable;
    private final int capacity;

    /**
     * Map a region file and find a channel in its directory.
     *
     * @param file    the region file.
     * @param channel the channel's name.
     */
    public ChannelAttacker(final Path file, final String channel)
    {
        try (FileChannel fileChannel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE))
        {
            mapping = fileChannel.map(FileChannel.MapMode.READ_WRITE, 0, fileChannel.size());
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
        region = new UnsafeBuffer(mapping);
        final int count = region.getInt(RegionHeaderDescriptor.DIRECTORY_CAPACITY_OFFSET);
        for (int i = 0; i < count; i++)
        {
            final int entry = RegionHeaderDescriptor.HEADER_LENGTH + i * DirectoryDescriptor.ENTRY_LENGTH;
            if (region.getInt(entry + DirectoryDescriptor.ENTRY_STATE_OFFSET) != DirectoryDescriptor.ENTRY_READY)
            {
                continue;
            }
            final byte[] name = new byte[region.getInt(entry + DirectoryDescriptor.NAME_LENGTH_OFFSET)];
            region.getBytes(entry + DirectoryDescriptor.NAME_OFFSET, name);
            if (new String(name, StandardCharsets.US_ASCII).equals(channel))
            {
                capacity = region.getInt(entry + DirectoryDescriptor.CAPACITY_OFFSET);
                buffer = new UnsafeBuffer(region, (int)region.getLong(entry + DirectoryDescriptor.BUFFER_OFFSET_OFFSET),
                    region.getInt(entry + DirectoryDescriptor.BUFFER_LENGTH_OFFSET));
                final long controlOffset = region.getLong(entry + DirectoryDescriptor.CONTROL_OFFSET_OFFSET);
                control = new UnsafeBuffer(region, (int)controlOffset, 4096);
                endpointTable = new UnsafeBuffer(region,
                    (int)region.getLong(entry + DirectoryDescriptor.ENDPOINT_TABLE_OFFSET_OFFSET),
                    region.getInt(entry + DirectoryDescriptor.ENDPOINT_SLOTS_OFFSET) * EndpointDescriptor.SLOT_LENGTH);
                return;
            }
        }
        throw new IllegalArgumentException("no channel " + channel + " in " + file);
    }

    /**
     * The channel's data and trailer.
     *
     * @return a buffer over them.
     */
    public UnsafeBuffer buffer()
    {
        return buffer;
    }

    /**
     * The channel's control block.
     *
     * @return a buffer over it.
     */
    public UnsafeBuffer control()
    {
        return control;
    }

    /**
     * The channel's endpoint table.
     *
     * @return a buffer over its slots.
     */
    public UnsafeBuffer endpointTable()
    {
        return endpointTable;
    }

    /**
     * The channel's capacity.
     *
     * @return bytes.
     */
    public int capacity()
    {
        return capacity;
    }

    /**
     * A ring's head position.
     *
     * @return the head.
     */
    public long head()
    {
        return buffer.getLongVolatile(capacity + RingBufferDescriptor.HEAD_POSITION_OFFSET);
    }

    /**
     * A ring's tail position.
     *
     * @return the tail.
     */
    public long tail()
    {
        return buffer.getLongVolatile(capacity + RingBufferDescriptor.TAIL_POSITION_OFFSET);
    }

    /**
     * Overwrite a ring's head.
     *
     * @param head the value.
     */
    public void head(final long head)
    {
        buffer.putLongVolatile(capacity + RingBufferDescriptor.HEAD_POSITION_OFFSET, head);
    }

    /**
     * Overwrite a ring's tail.
     *
     * @param tail the value.
     */
    public void tail(final long tail)
    {
        buffer.putLongVolatile(capacity + RingBufferDescriptor.TAIL_POSITION_OFFSET, tail);
    }

    /**
     * Overwrite a ring's head cache.
     *
     * @param headCache the value.
     */
    public void headCache(final long headCache)
    {
        buffer.putLongVolatile(capacity + RingBufferDescriptor.HEAD_CACHE_POSITION_OFFSET, headCache);
    }

    /**
     * Overwrite the header of the ring record at a position.
     *
     * @param position where the record starts.
     * @param length   its length field.
     * @param typeId   its type field.
     */
    public void record(final long position, final int length, final int typeId)
    {
        final int index = (int)position & (capacity - 1);
        buffer.putInt(index + Integer.BYTES, typeId);
        buffer.putIntVolatile(index, length);
    }

    /**
     * Overwrite a broadcast buffer's counters.
     *
     * @param tailIntent the tail intent counter.
     * @param tail       the tail counter.
     * @param latest     the latest counter.
     */
    public void broadcastCounters(final long tailIntent, final long tail, final long latest)
    {
        buffer.putLongVolatile(capacity + BroadcastBufferDescriptor.TAIL_INTENT_COUNTER_OFFSET, tailIntent);
        buffer.putLongVolatile(capacity + BroadcastBufferDescriptor.LATEST_COUNTER_OFFSET, latest);
        buffer.putLongVolatile(capacity + BroadcastBufferDescriptor.TAIL_COUNTER_OFFSET, tail);
    }

    @Override
    public void close()
    {
        IoUtil.unmap(mapping);
    }
}
