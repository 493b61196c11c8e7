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
        try
        {
            final long bufferOffset = entryLong(location, channelName, DirectoryDescriptor.BUFFER_OFFSET_OFFSET);
            final long capacity = entryLong(location, channelName, DirectoryDescriptor.CAPACITY_OFFSET) & 0xFFFF_FFFFL;
            try (FileChannel file = FileChannel.open(location.path(), StandardOpenOption.WRITE))
            {
                final ByteBuffer value = ByteBuffer.allocate(Long.BYTES).order(ByteOrder.LITTLE_ENDIAN);
                value.putLong(0, tail);
                file.write(value, bufferOffset + capacity + io.shmipc.layout.LogBufferDescriptor.TAIL_POSITION_OFFSET);
            }
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
