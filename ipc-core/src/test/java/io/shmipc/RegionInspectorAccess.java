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
        try (FileChannel file = FileChannel.open(region.location().path(), StandardOpenOption.READ))
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
                    return header.getLong(entry + DirectoryDescriptor.CONTROL_OFFSET_OFFSET);
                }
            }
            throw new IllegalArgumentException("no channel " + channelName);
        }
    }
}
