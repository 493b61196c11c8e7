package io.shmipc.tests.support;

import io.shmipc.layout.RegionHeaderDescriptor;

import java.io.IOException;
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
import static io.shmipc.tests.support.ChannelDump.describeEntry;
import static io.shmipc.tests.support.RegionFileDecoder.decodeHeader;
import static io.shmipc.tests.support.RegionFileDecoder.read;

/**
 * Reads a region's file with plain positional reads, without attaching through the library (so it works on a
 * region the library refuses, and never maps anything): the header page, the directory entries, and for each
 * channel its control block, live endpoint slots and Agrona trailer positions, plus the OFD locks the kernel
 * reports for the file. Fields past the end of a truncated file read as zero and the dump says so.
 * <p>
 * The reads and decoding are {@link RegionFileDecoder}'s, the description of each channel {@link ChannelDump}'s.
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
            final Header header = decodeHeader(read(channel, 0, HEADER_LENGTH));
            for (final DirectoryEntry entry : RegionFileDecoder.readDirectory(channel, header))
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
            for (final DirectoryEntry entry : RegionFileDecoder.readDirectory(channel, header))
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

    /**
     * A time in ms since the epoch, followed by its instant when it is set.
     */
    static String time(final long epochMillis)
    {
        return epochMillis + (epochMillis > 0 ? " (" + Instant.ofEpochMilli(epochMillis) + ")" : "");
    }
}
