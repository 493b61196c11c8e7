package io.shmipc;

import io.shmipc.layout.DirectoryDescriptor;
import io.shmipc.layout.RegionHeaderDescriptor;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.StandardOpenOption;

/**
 * Reads a channel's control-block offset straight from the region file's directory, as a C reader would.
 */
final class RegionInspectorAccess
{
    private RegionInspectorAccess()
    {
    }

    static long controlOffset(final Region region, final String channelName) throws IOException
    {
        return entryLong(region.location(), channelName, DirectoryDescriptor.CONTROL_OFFSET_OFFSET);
    }

    /**
     * Overwrite a {@code PUBLISH_SUBSCRIBE} channel's tail position in the file, as a hostile writer would.
     */
    static void corruptLogTail(final RegionLocation location, final String channelName, final long tail)
    {
        final long capacity = entry(location, channelName, DirectoryDescriptor.CAPACITY_OFFSET) & 0xFFFF_FFFFL;
        corruptBuffer(location, channelName, capacity + io.shmipc.layout.LogBufferDescriptor.TAIL_POSITION_OFFSET,
            tail);
    }

    /**
     * Overwrite a long of a channel's buffer (data and trailer) in the file.
     */
    static void corruptBuffer(final RegionLocation location, final String channelName, final long offset,
        final long value)
    {
        write(location, entry(location, channelName, DirectoryDescriptor.BUFFER_OFFSET_OFFSET) + offset, value);
    }

    /**
     * Overwrite a long of an endpoint slot of a channel in the file.
     */
    static void corruptSlot(final RegionLocation location, final String channelName, final int slot,
        final int field, final long value)
    {
        write(location, entry(location, channelName, DirectoryDescriptor.ENDPOINT_TABLE_OFFSET_OFFSET) +
            (long)slot * io.shmipc.layout.EndpointDescriptor.SLOT_LENGTH + field, value);
    }

    /**
     * Read a long of an endpoint slot of a channel from the file.
     */
    static long slotLong(final RegionLocation location, final String channelName, final int slot, final int field)
    {
        final long at = entry(location, channelName, DirectoryDescriptor.ENDPOINT_TABLE_OFFSET_OFFSET) +
            (long)slot * io.shmipc.layout.EndpointDescriptor.SLOT_LENGTH + field;
        try (FileChannel file = FileChannel.open(location.path(), StandardOpenOption.READ))
        {
            final ByteBuffer bytes = ByteBuffer.allocate(Long.BYTES).order(ByteOrder.LITTLE_ENDIAN);
            file.read(bytes, at);
            return bytes.getLong(0);
        }
        catch (final IOException ex)
        {
            throw new java.io.UncheckedIOException(ex);
        }
    }

    private static void write(final RegionLocation location, final long at, final long value)
    {
        try (FileChannel file = FileChannel.open(location.path(), StandardOpenOption.WRITE))
        {
            final ByteBuffer bytes = ByteBuffer.allocate(Long.BYTES).order(ByteOrder.LITTLE_ENDIAN);
            bytes.putLong(0, value);
            file.write(bytes, at);
        }
        catch (final IOException ex)
        {
            throw new java.io.UncheckedIOException(ex);
        }
    }

    private static long entry(final RegionLocation location, final String channelName, final int field)
    {
        try
        {
            return entryLong(location, channelName, field);
        }
        catch (final IOException ex)
        {
            throw new java.io.UncheckedIOException(ex);
        }
    }

    private static long entryLong(final RegionLocation location, final String channelName, final int field)
        throws IOException
    {
        try (FileChannel file = FileChannel.open(location.path(), StandardOpenOption.READ))
        {
            final ByteBuffer header = ByteBuffer.allocate(RegionHeaderDescriptor.HEADER_LENGTH + 128 * 16)
                .order(ByteOrder.LITTLE_ENDIAN);
            file.read(header, 0);
            final int count = Math.min(16, header.getInt(RegionHeaderDescriptor.DIRECTORY_CAPACITY_OFFSET));
            for (int i = 0; i < count; i++)
            {
                final int entry = RegionHeaderDescriptor.HEADER_LENGTH + i * DirectoryDescriptor.ENTRY_LENGTH;
                if (header.getInt(entry + DirectoryDescriptor.ENTRY_STATE_OFFSET) != DirectoryDescriptor.ENTRY_READY)
                {
                    continue;
                }
                final int nameLength = header.getInt(entry + DirectoryDescriptor.NAME_LENGTH_OFFSET);
                final byte[] name = new byte[nameLength];
                header.get(entry + DirectoryDescriptor.NAME_OFFSET, name);
                if (new String(name, StandardCharsets.US_ASCII).equals(channelName))
                {
                    return field == DirectoryDescriptor.CAPACITY_OFFSET ? header.getInt(entry + field) :
                        header.getLong(entry + field);
                }
            }
            throw new IllegalArgumentException("no channel " + channelName);
        }
    }
}
