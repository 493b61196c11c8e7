package io.shmipc.tests.support;

import io.shmipc.tests.support.RegionDump.DirectoryEntry;
import io.shmipc.tests.support.RegionDump.Header;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static io.shmipc.layout.DirectoryDescriptor.*;
import static io.shmipc.layout.RegionHeaderDescriptor.*;

/**
 * The plain positional reads {@link RegionDump} is built on: little-endian bytes at any offset of a region's file
 * (zero past its end, never mapped), decoded into the header page and the directory entries as the layout
 * descriptors place them.
 */
final class RegionFileDecoder
{
    private RegionFileDecoder()
    {
    }

    /**
     * The header page's fields, as {@link #read} returned the page.
     */
    static Header decodeHeader(final ByteBuffer page)
    {
        return new Header(
            page.getLong(MAGIC_OFFSET),
            page.getInt(MAJOR_VERSION_OFFSET),
            page.getInt(MINOR_VERSION_OFFSET),
            page.getLong(REGION_LENGTH_OFFSET),
            page.getInt(STATE_OFFSET),
            page.getInt(HEADER_LENGTH_OFFSET),
            page.getLong(DIRECTORY_OFFSET_OFFSET),
            page.getInt(DIRECTORY_CAPACITY_OFFSET),
            page.getInt(DIRECTORY_ENTRY_LENGTH_OFFSET),
            page.getInt(CREATOR_PID_OFFSET),
            page.getInt(PAGE_SIZE_OFFSET),
            page.getLong(CREATOR_START_TIME_OFFSET),
            new UUID(page.getLong(CREATOR_BOOT_ID_OFFSET), page.getLong(CREATOR_BOOT_ID_OFFSET + Long.BYTES)),
            page.getLong(CREATION_TIME_OFFSET),
            page.getLong(OWNER_HEARTBEAT_OFFSET),
            page.getLong(DATA_AREA_OFFSET_OFFSET),
            page.getLong(DATA_AREA_LENGTH_OFFSET),
            page.getInt(DIRECTORY_CHANGE_COUNT_OFFSET));
    }

    /**
     * Every directory entry, free ones included, of the first {@link RegionDump#MAX_ENTRIES_DUMPED}.
     */
    static List<DirectoryEntry> readDirectory(final FileChannel channel, final Header header)
        throws IOException
    {
        final int count = Math.max(0, Math.min(header.directoryCapacity(), RegionDump.MAX_ENTRIES_DUMPED));
        final ByteBuffer directory = read(channel, HEADER_LENGTH, count * ENTRY_LENGTH);
        final List<DirectoryEntry> entries = new ArrayList<>(count);
        for (int i = 0; i < count; i++)
        {
            final int entry = i * ENTRY_LENGTH;
            final int nameLength = directory.getInt(entry + NAME_LENGTH_OFFSET);
            final byte[] name = new byte[Math.max(0, Math.min(nameLength, MAX_NAME_LENGTH))];
            directory.get(entry + NAME_OFFSET, name);
            entries.add(new DirectoryEntry(
                i,
                nameLength,
                printable(name),
                directory.getInt(entry + KIND_OFFSET),
                directory.getLong(entry + CHANNEL_OFFSET_OFFSET),
                directory.getLong(entry + CHANNEL_LENGTH_OFFSET),
                directory.getLong(entry + BUFFER_OFFSET_OFFSET),
                directory.getInt(entry + BUFFER_LENGTH_OFFSET),
                directory.getInt(entry + CAPACITY_OFFSET),
                directory.getInt(entry + MAX_MESSAGE_LENGTH_OFFSET),
                directory.getInt(entry + ENDPOINT_SLOTS_OFFSET),
                directory.getLong(entry + ENDPOINT_TABLE_OFFSET_OFFSET),
                directory.getLong(entry + CONTROL_OFFSET_OFFSET),
                directory.getInt(entry + ENTRY_STATE_OFFSET),
                directory.getInt(entry + ENTRY_GENERATION_OFFSET)));
        }
        return entries;
    }

    /**
     * {@code length} bytes from {@code position}, little-endian; those past the end of the file are 0.
     */
    static ByteBuffer read(final FileChannel channel, final long position, final int length)
        throws IOException
    {
        final ByteBuffer buffer = ByteBuffer.allocate(length).order(ByteOrder.LITTLE_ENDIAN);
        long at = position;
        while (buffer.hasRemaining())
        {
            final int read = channel.read(buffer, at);
            if (read <= 0)
            {
                break;
            }
            at += read;
        }
        buffer.clear();
        return buffer;
    }

    /**
     * Whether {@code length} bytes at {@code offset} lie inside a file of {@code size} bytes.
     */
    static boolean within(final long offset, final long length, final long size)
    {
        return offset >= 0 && length >= 0 && offset <= size - length;
    }

    private static String printable(final byte[] bytes)
    {
        final StringBuilder builder = new StringBuilder();
        for (final byte b : bytes)
        {
            if (b >= 32 && b < 127)
            {
                builder.append((char)b);
            }
            else
            {
                builder.append(String.format("\\x%02x", b & 0xFF));
            }
        }
        return builder.toString();
    }
}
