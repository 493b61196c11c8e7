package io.shmipc.tests.support;

import io.shmipc.ChannelKind;
import io.shmipc.layout.ChannelDescriptor;
import io.shmipc.layout.EndpointDescriptor;
import io.shmipc.layout.RegionHeaderDescriptor;
import org.agrona.concurrent.broadcast.BroadcastBufferDescriptor;
import org.agrona.concurrent.ringbuffer.RingBufferDescriptor;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static io.shmipc.layout.DirectoryDescriptor.*;
import static io.shmipc.layout.RegionHeaderDescriptor.*;

/**
 * Reads a region's file with plain positional reads, without attaching through the library (so it works on a
 * region the library refuses, and never maps anything): the header page, the directory entries, and for each
 * channel its control block, live endpoint slots and Agrona trailer positions, plus the OFD locks the kernel
 * reports for the file. Fields past the end of a truncated file read as zero and the dump says so.
 */
public final class RegionDump
{
    /** Most directory entries decoded, whatever the header's channel count claims. */
    public static final int MAX_ENTRIES_DUMPED = 64;

    private RegionDump()
    {
    }

    /**
     * The decoded header page.
     *
     * @param magic                the magic.
     * @param majorVersion         the layout major version.
     * @param minorVersion         the layout minor version.
     * @param regionLength         the region length the header claims.
     * @param state                0 new, 1 initialising, 2 ready.
     * @param headerLength         the header length.
     * @param directoryOffset      the directory offset.
     * @param directoryCapacity    the number of directory entries.
     * @param directoryEntryLength the directory entry length.
     * @param creatorPid           the creator's pid.
     * @param pageSize             the page size the layout was aligned to.
     * @param creatorStartTime     the creator's process start time.
     * @param creatorBootId        the creator's boot id.
     * @param creationTime         the creation time, ms since the epoch.
     * @param ownerHeartbeat       the owner heartbeat, ms since the epoch.
     * @param dataAreaOffset       where the data area begins.
     * @param dataAreaLength       its length.
     * @param changeCount          the directory change count.
     */
    public record Header(
        long magic,
        int majorVersion,
        int minorVersion,
        long regionLength,
        int state,
        int headerLength,
        long directoryOffset,
        int directoryCapacity,
        int directoryEntryLength,
        int creatorPid,
        int pageSize,
        long creatorStartTime,
        UUID creatorBootId,
        long creationTime,
        long ownerHeartbeat,
        long dataAreaOffset,
        long dataAreaLength,
        int changeCount)
    {
    }

    /**
     * One decoded directory entry.
     *
     * @param index               its position in the directory.
     * @param nameLength          the name length field.
     * @param name                the name bytes, non-printable bytes escaped.
     * @param kind                the kind code.
     * @param channelOffset       the channel area offset.
     * @param channelLength       the channel area length.
     * @param bufferOffset        the Agrona buffer offset.
     * @param bufferLength        the Agrona buffer length.
     * @param capacity            the buffer capacity.
     * @param maxMessageLength    the longest message.
     * @param endpointSlots       the endpoint slot count.
     * @param endpointTableOffset the endpoint table offset.
     * @param controlOffset       the control block offset.
     * @param entryState          0 free, 1 initialising, 2 ready.
     * @param entryGeneration     the entry generation.
     */
    public record DirectoryEntry(
        int index,
        int nameLength,
        String name,
        int kind,
        long channelOffset,
        long channelLength,
        long bufferOffset,
        int bufferLength,
        int capacity,
        int maxMessageLength,
        int endpointSlots,
        long endpointTableOffset,
        long controlOffset,
        int entryState,
        int entryGeneration)
    {
    }

    /**
     * Read the header page.
     *
     * @param file the region's file ({@code /dev/shm/<name>} for a shared-memory region).
     * @return the decoded header.
     * @throws IOException when the file cannot be read.
     */
    public static Header readHeader(final Path file) throws IOException
    {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ))
        {
            return decodeHeader(read(channel, 0, HEADER_LENGTH));
        }
    }

    /**
     * Read the directory entries that hold or are getting a channel (of the first {@link #MAX_ENTRIES_DUMPED}).
     *
     * @param file the region's file.
     * @return the entries, in directory order.
     * @throws IOException when the file cannot be read.
     */
    public static List<DirectoryEntry> readDirectory(final Path file) throws IOException
    {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ))
        {
            final List<DirectoryEntry> entries = new ArrayList<>();
            for (final DirectoryEntry entry : readDirectory(channel, decodeHeader(read(channel, 0, HEADER_LENGTH))))
            {
                if (entry.entryState() != ENTRY_FREE)
                {
                    entries.add(entry);
                }
            }
            return entries;
        }
    }

    /**
     * Read one little-endian long anywhere in the file (for example an Agrona trailer position).
     *
     * @param file   the region's file.
     * @param offset from the start of the file.
     * @return the value, 0 past the end of the file.
     * @throws IOException when the file cannot be read.
     */
    public static long readLong(final Path file, final long offset) throws IOException
    {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ))
        {
            return read(channel, offset, Long.BYTES).getLong(0);
        }
    }

    /**
     * Everything this class can decode, as text. Never throws: a failure to read becomes a line of the dump.
     *
     * @param file the region's file.
     * @return the dump.
     */
    public static String describe(final Path file)
    {
        final StringBuilder out = new StringBuilder();
        out.append("==== region dump: ").append(file).append(" ====\n");
        if (!Files.exists(file))
        {
            return out.append("  (no such file)\n").toString();
        }
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ))
        {
            final long size = channel.size();
            out.append("file size: ").append(size).append(size < HEADER_LENGTH ?
                " (shorter than the header: fields past the end read as 0)" : "").append('\n');
            final Header header = decodeHeader(read(channel, 0, HEADER_LENGTH));
            describeHeader(header, size, out);
            out.append("directory:\n");
            for (final DirectoryEntry entry : readDirectory(channel, header))
            {
                describeEntry(channel, entry, size, out);
            }
        }
        catch (final IOException | RuntimeException ex)
        {
            out.append("  (dump failed: ").append(ex).append(")\n");
        }
        describeLocks(file, out);
        return out.toString();
    }

    private static Header decodeHeader(final ByteBuffer page)
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

    private static List<DirectoryEntry> readDirectory(final FileChannel channel, final Header header)
        throws IOException
    {
        final int count = Math.max(0, Math.min(header.directoryCapacity(), MAX_ENTRIES_DUMPED));
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

    private static void describeHeader(final Header header, final long size, final StringBuilder out)
    {
        out.append("header:\n");
        field(out, "magic", "0x" + Long.toHexString(header.magic()) +
            (header.magic() == MAGIC ? " (\"SHM-IPC!\")" : " WRONG, expected 0x" + Long.toHexString(MAGIC)));
        field(out, "majorVersion", header.majorVersion() +
            (header.majorVersion() == MAJOR_VERSION ? "" : " (this library reads " + MAJOR_VERSION + ")"));
        field(out, "minorVersion", Integer.toString(header.minorVersion()));
        field(out, "regionLength", header.regionLength() +
            (header.regionLength() == size ? " (= file size)" : " (file size is " + size + ")"));
        field(out, "state", header.state() + " (" + stateName(header.state()) + ")");
        field(out, "headerLength", Integer.toString(header.headerLength()));
        field(out, "directoryOffset", Long.toString(header.directoryOffset()));
        field(out, "directoryCapacity", Integer.toString(header.directoryCapacity()));
        field(out, "directoryEntryLength", Integer.toString(header.directoryEntryLength()));
        field(out, "creatorPid", Integer.toString(header.creatorPid()));
        field(out, "pageSize", Integer.toString(header.pageSize()));
        field(out, "creatorStartTime", Long.toString(header.creatorStartTime()));
        field(out, "creatorBootId", header.creatorBootId().toString());
        field(out, "creationTime", time(header.creationTime()));
        field(out, "ownerHeartbeat", time(header.ownerHeartbeat()));
        field(out, "dataAreaOffset", Long.toString(header.dataAreaOffset()));
        field(out, "dataAreaLength", Long.toString(header.dataAreaLength()));
        field(out, "changeCount", Integer.toString(header.changeCount()));
    }

    private static void describeEntry(
        final FileChannel channel, final DirectoryEntry entry, final long size, final StringBuilder out)
        throws IOException
    {
        if (entry.entryState() == ENTRY_FREE)
        {
            return;
        }
        out.append("  [").append(entry.index()).append("] state=").append(entry.entryState())
            .append(entry.entryState() == ENTRY_READY ? " (READY)" : entry.entryState() == ENTRY_INITIALISING ?
            " (INITIALISING)" : " (unknown)").append(" generation=").append(entry.entryGeneration())
            .append(" name=").append(entry.name())
            .append(" nameLength=").append(entry.nameLength())
            .append(" kind=").append(entry.kind())
            .append(" (").append(kindName(entry.kind())).append(')')
            .append(" channelOffset=").append(entry.channelOffset())
            .append(" channelLength=").append(entry.channelLength())
            .append(" bufferOffset=").append(entry.bufferOffset())
            .append(" bufferLength=").append(entry.bufferLength())
            .append(" capacity=").append(entry.capacity())
            .append(" maxMessageLength=").append(entry.maxMessageLength())
            .append(" endpointSlots=").append(entry.endpointSlots())
            .append(" endpointTableOffset=").append(entry.endpointTableOffset())
            .append(" controlOffset=").append(entry.controlOffset()).append('\n');
        if (!within(entry.controlOffset(), ChannelDescriptor.CONTROL_LENGTH, size))
        {
            out.append("      (control block outside the file)\n");
            return;
        }
        final ByteBuffer control = read(channel, entry.controlOffset(), ChannelDescriptor.CONTROL_LENGTH);
        out.append("      control: wakeSequence=").append(control.getInt(ChannelDescriptor.WAKE_SEQUENCE_OFFSET))
            .append(" waiterCount=").append(control.getInt(ChannelDescriptor.WAITER_COUNT_OFFSET))
            .append(" broadcastNextSequence=").append(control.getLong(ChannelDescriptor.BROADCAST_SEQUENCE_OFFSET))
            .append('\n');
        describeTrailer(channel, entry, size, out);
        describeEndpoints(channel, entry, size, out);
    }

    private static void describeTrailer(
        final FileChannel channel, final DirectoryEntry entry, final long size, final StringBuilder out)
        throws IOException
    {
        final long trailerOffset = entry.bufferOffset() + entry.capacity();
        final boolean broadcast = entry.kind() == ChannelKind.BROADCAST.code();
        final int trailerLength = broadcast ?
            BroadcastBufferDescriptor.TRAILER_LENGTH : RingBufferDescriptor.TRAILER_LENGTH;
        if (entry.capacity() <= 0 || !within(trailerOffset, trailerLength, size))
        {
            out.append("      (buffer trailer outside the file)\n");
            return;
        }
        final ByteBuffer trailer = read(channel, trailerOffset, trailerLength);
        if (broadcast)
        {
            out.append("      broadcast: tailIntent=")
                .append(trailer.getLong(BroadcastBufferDescriptor.TAIL_INTENT_COUNTER_OFFSET))
                .append(" tail=").append(trailer.getLong(BroadcastBufferDescriptor.TAIL_COUNTER_OFFSET))
                .append(" latest=").append(trailer.getLong(BroadcastBufferDescriptor.LATEST_COUNTER_OFFSET))
                .append('\n');
        }
        else
        {
            out.append("      ring: tail=").append(trailer.getLong(RingBufferDescriptor.TAIL_POSITION_OFFSET))
                .append(" headCache=").append(trailer.getLong(RingBufferDescriptor.HEAD_CACHE_POSITION_OFFSET))
                .append(" head=").append(trailer.getLong(RingBufferDescriptor.HEAD_POSITION_OFFSET))
                .append(" correlation=").append(trailer.getLong(RingBufferDescriptor.CORRELATION_COUNTER_OFFSET))
                .append(" consumerHeartbeat=")
                .append(trailer.getLong(RingBufferDescriptor.CONSUMER_HEARTBEAT_OFFSET)).append('\n');
        }
    }

    private static void describeEndpoints(
        final FileChannel channel, final DirectoryEntry entry, final long size, final StringBuilder out)
        throws IOException
    {
        final int slots = Math.max(0, Math.min(entry.endpointSlots(), ChannelDescriptor.DEFAULT_ENDPOINT_SLOTS));
        final int tableLength = slots * EndpointDescriptor.SLOT_LENGTH;
        if (!within(entry.endpointTableOffset(), tableLength, size))
        {
            out.append("      (endpoint table outside the file)\n");
            return;
        }
        final ByteBuffer table = read(channel, entry.endpointTableOffset(), tableLength);
        int used = 0;
        for (int slot = 0; slot < slots; slot++)
        {
            final int offset = slot * EndpointDescriptor.SLOT_LENGTH;
            final long id = table.getLong(offset + EndpointDescriptor.ENDPOINT_ID_OFFSET);
            if (id == 0)
            {
                continue;
            }
            used++;
            final int role = table.getInt(offset + EndpointDescriptor.ROLE_OFFSET);
            out.append("      endpoint slot=").append(slot)
                .append(" lockByte=").append(entry.endpointTableOffset() + offset)
                .append(" id=").append(Long.toHexString(id))
                .append(" role=").append(role == EndpointDescriptor.ROLE_PUBLISHER ? "PUBLISHER" :
                    role == EndpointDescriptor.ROLE_SUBSCRIBER ? "SUBSCRIBER" : Integer.toString(role))
                .append(" pid=").append(table.getInt(offset + EndpointDescriptor.PID_OFFSET))
                .append(" startTime=").append(table.getLong(offset + EndpointDescriptor.START_TIME_OFFSET))
                .append(" heartbeat=").append(time(table.getLong(offset + EndpointDescriptor.HEARTBEAT_OFFSET)))
                .append(" attachTime=").append(time(table.getLong(offset + EndpointDescriptor.ATTACH_TIME_OFFSET)))
                .append('\n');
        }
        if (used == 0)
        {
            out.append("      (no endpoint slot written)\n");
        }
    }

    private static void describeLocks(final Path file, final StringBuilder out)
    {
        try
        {
            final long inode = ((Number)Files.getAttribute(file, "unix:ino")).longValue();
            out.append("locks (/proc/locks, inode ").append(inode).append("):\n");
            int found = 0;
            for (final String line : Files.readAllLines(Path.of("/proc/locks")))
            {
                final String[] words = line.trim().split("\\s+");
                if (words.length >= 6 && words[5].endsWith(":" + inode))
                {
                    out.append("  ").append(line.trim()).append('\n');
                    found++;
                }
            }
            if (found == 0)
            {
                out.append("  (none)\n");
            }
        }
        catch (final IOException | RuntimeException ex)
        {
            out.append("locks: (unavailable: ").append(ex).append(")\n");
        }
    }

    private static ByteBuffer read(final FileChannel channel, final long position, final int length)
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

    private static boolean within(final long offset, final long length, final long size)
    {
        return offset >= 0 && length >= 0 && offset <= size - length;
    }

    private static void field(final StringBuilder out, final String name, final String value)
    {
        out.append("  ").append(String.format("%-21s", name)).append(value).append('\n');
    }

    private static String stateName(final int state)
    {
        switch (state)
        {
            case RegionHeaderDescriptor.STATE_NEW:
                return "NEW";
            case RegionHeaderDescriptor.STATE_INITIALISING:
                return "INITIALISING";
            case RegionHeaderDescriptor.STATE_READY:
                return "READY";
            default:
                return "UNKNOWN";
        }
    }

    private static String kindName(final int code)
    {
        final ChannelKind kind = ChannelKind.ofCode(code);
        return kind == null ? "UNKNOWN(" + code + ")" : kind.name();
    }

    private static String time(final long epochMillis)
    {
        return epochMillis + (epochMillis > 0 ? " (" + Instant.ofEpochMilli(epochMillis) + ")" : "");
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
