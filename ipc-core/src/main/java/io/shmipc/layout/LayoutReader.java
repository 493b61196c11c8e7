package io.shmipc.layout;

import io.shmipc.ChannelKind;
import io.shmipc.ChannelSpec;
import io.shmipc.exceptions.CorruptRegionException;
import io.shmipc.exceptions.IncompatibleLayoutException;
import io.shmipc.exceptions.UnknownChannelKindException;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.charset.StandardCharsets;

import static io.shmipc.layout.DirectoryDescriptor.*;
import static io.shmipc.layout.RegionHeaderDescriptor.*;

/**
 * Reads a region's layout from untrusted shared memory: every header field and every directory entry is checked
 * against the file's real size before anything uses it, and the first field that is wrong is named in a
 * {@link CorruptRegionException} with what was expected and what was found. The directory of a live region changes
 * while it is read: {@link DirectoryReader} reads its entries consistently.
 */
public final class LayoutReader
{
    private LayoutReader()
    {
    }

    /**
     * The header fields {@link #validateHeader} checked, kept so that nothing is read twice from memory another
     * process may change meanwhile.
     *
     * @param regionLength      the region length, equal to the file size.
     * @param directoryCapacity entries in the directory, 1 to {@link DirectoryDescriptor#MAX_CHANNELS}.
     * @param metadataLength    bytes of header plus directory.
     * @param dataAreaOffset    where the data area, which holds every channel area, begins; it ends with the region.
     */
    public record Header(long regionLength, int directoryCapacity, int metadataLength, long dataAreaOffset)
    {
        /**
         * The length of the data area.
         *
         * @return bytes.
         */
        public long dataAreaLength()
        {
            return regionLength - dataAreaOffset;
        }
    }

    /**
     * Check the magic and major version of a header, which come before any other field.
     *
     * @param header a buffer over at least the first 16 bytes.
     * @param region the region, for messages.
     * @throws CorruptRegionException      when the magic is wrong.
     * @throws IncompatibleLayoutException when the major version is another.
     */
    public static void checkMagicAndVersion(final UnsafeBuffer header, final String region)
    {
        final long magic = header.getLong(MAGIC_OFFSET);
        if (magic != MAGIC)
        {
            throw new CorruptRegionException(region, "header.magic", "0x" + Long.toHexString(MAGIC) +
                " (\"SHM-IPC!\")", "0x" + Long.toHexString(magic));
        }
        final int major = header.getInt(MAJOR_VERSION_OFFSET);
        if (major != MAJOR_VERSION)
        {
            throw new IncompatibleLayoutException(region, MAJOR_VERSION, MINOR_VERSION, major,
                header.getInt(MINOR_VERSION_OFFSET));
        }
    }

    /**
     * Validate the fixed header fields of a READY region against the file's real size.
     *
     * @param header   a buffer over at least the header page.
     * @param fileSize {@code st_size} from {@code fstat}.
     * @param region   the region, for messages.
     * @return the validated fields, to pass to {@link #readDirectory}.
     * @throws CorruptRegionException naming the first field that is wrong.
     */
    public static Header validateHeader(final UnsafeBuffer header, final long fileSize, final String region)
    {
        checkMagicAndVersion(header, region);
        final long regionLength = header.getLong(REGION_LENGTH_OFFSET);
        if (regionLength != fileSize)
        {
            throw new CorruptRegionException(region, "header.regionLength", "the file size " + fileSize +
                " (a smaller file was truncated)", Long.toString(regionLength));
        }
        expectInt(header, HEADER_LENGTH_OFFSET, HEADER_LENGTH, "header.headerLength", region);
        expectInt(header, PAGE_SIZE_OFFSET, PAGE_SIZE, "header.pageSize", region);
        expectInt(header, DIRECTORY_ENTRY_LENGTH_OFFSET, ENTRY_LENGTH, "header.directoryEntryLength", region);
        expectLong(header, DIRECTORY_OFFSET_OFFSET, HEADER_LENGTH, "header.directoryOffset", region);
        final int count = header.getInt(DIRECTORY_CAPACITY_OFFSET);
        if (count < 1 || count > MAX_CHANNELS)
        {
            throw new CorruptRegionException(region, "header.directoryCapacity", "1.." + MAX_CHANNELS,
                Integer.toString(count));
        }
        final long directoryEnd = RegionLayout.directoryEnd(count);
        final long channelsStart = RegionLayout.channelsStart(count);
        if (channelsStart > regionLength)
        {
            throw new CorruptRegionException(region, "header.directoryCapacity", "a directory and counters within " +
                "the region length " + regionLength, count + " entries needing " + channelsStart + " bytes");
        }
        expectLong(header, COUNTERS_METADATA_OFFSET_OFFSET, directoryEnd, "header.countersMetadataOffset", region);
        expectInt(header, COUNTERS_METADATA_LENGTH_OFFSET, CountersDescriptor.metadataLength(count),
            "header.countersMetadataLength", region);
        expectInt(header, COUNTERS_VALUES_LENGTH_OFFSET, CountersDescriptor.valuesLength(count),
            "header.countersValuesLength", region);
        expectLong(header, COUNTERS_VALUES_OFFSET_OFFSET, directoryEnd + CountersDescriptor.metadataLength(count),
            "header.countersValuesOffset", region);
        expectLong(header, DATA_AREA_OFFSET_OFFSET, channelsStart, "header.dataAreaOffset", region);
        expectLong(header, DATA_AREA_LENGTH_OFFSET, regionLength - channelsStart, "header.dataAreaLength", region);
        if ((regionLength & (PAGE_SIZE - 1)) != 0)
        {
            throw new CorruptRegionException(region, "header.regionLength", "a multiple of " + PAGE_SIZE,
                Long.toString(regionLength));
        }
        return new Header(regionLength, count, (int)directoryEnd, channelsStart);
    }

    /**
     * Read and validate the directory of a region whose header passed {@link #validateHeader}: every READY entry on
     * its own, then that names are unique and channel areas do not overlap, as one consistent snapshot of a
     * directory other processes may be changing.
     *
     * @param metadata a buffer over the header and directory.
     * @param header   what {@link #validateHeader} returned.
     * @param region   the region, for messages.
     * @return the layout, with the channels READY when it was read.
     * @throws CorruptRegionException naming the first entry and field that is wrong.
     */
    public static RegionLayout readDirectory(final UnsafeBuffer metadata, final Header header, final String region)
    {
        return new RegionLayout(header.regionLength(), header.directoryCapacity(),
            DirectoryReader.channels(metadata, header, region));
    }

    /**
     * Read and validate one directory entry on its own: every field against its limits and against the others,
     * and the channel area within the region, after {@code channelsStart}.
     *
     * @param metadata      a buffer over the header and directory.
     * @param index         the entry's index.
     * @param regionLength  the validated region length.
     * @param channelsStart where channel areas may begin: the data area offset.
     * @param region        the region, for messages.
     * @param status        the entry status read before the fields.
     * @return the channel's placement.
     * @throws CorruptRegionException      naming the entry and the field that is wrong.
     * @throws UnknownChannelKindException when the entry's kind code is not one this library knows.
     */
    public static ChannelLayout readEntry(
        final UnsafeBuffer metadata,
        final int index,
        final long regionLength,
        final long channelsStart,
        final String region,
        final long status)
    {
        final int entry = DirectoryDescriptor.entryOffset(index);
        final String prefix = "directory[" + index + "].";
        final String name = readName(metadata, entry, prefix, region);
        final int kindCode = metadata.getInt(entry + KIND_OFFSET);
        final ChannelKind kind = ChannelKind.ofCode(kindCode);
        if (kind == null)
        {
            throw new UnknownChannelKindException(region, "directory[" + index + "](" + name + ").kind",
                knownKindCodes(), kindCode);
        }
        final int capacity = metadata.getInt(entry + CAPACITY_OFFSET);
        if (!RegionLayout.isValidCapacity(capacity))
        {
            throw new CorruptRegionException(region, prefix + "capacity", "a power of two from " +
                ChannelDescriptor.MIN_CAPACITY + " to " + ChannelDescriptor.MAX_CAPACITY, Integer.toString(capacity));
        }
        expectInt(metadata, entry + ENDPOINT_SLOTS_OFFSET, ChannelDescriptor.DEFAULT_ENDPOINT_SLOTS,
            prefix + "endpointSlots", region);
        final long channelOffset = metadata.getLong(entry + CHANNEL_OFFSET_OFFSET);
        final long channelLength = ChannelDescriptor.channelLength(kind, capacity,
            ChannelDescriptor.DEFAULT_ENDPOINT_SLOTS);
        expectLong(metadata, entry + CHANNEL_LENGTH_OFFSET, channelLength, prefix + "channelLength", region);
        if (channelOffset < channelsStart || (channelOffset & (PAGE_SIZE - 1)) != 0 ||
            channelOffset > regionLength - channelLength)
        {
            throw new CorruptRegionException(region, prefix + "channelOffset", "page aligned, from " + channelsStart +
                " to " + (regionLength - channelLength) + " (within the data area)", Long.toString(channelOffset));
        }
        final int maxMessageLength = metadata.getInt(entry + MAX_MESSAGE_LENGTH_OFFSET);
        final ChannelLayout placed = ChannelLayout.place(index, new ChannelSpec(name, kind, capacity,
            maxMessageLength), channelOffset, status);
        // Each of these follows from the channel area's offset and the spec: a mismatch is damage to one of the two.
        final String derived = " (from channelOffset " + channelOffset + ": one of the two is damaged)";
        expectDerived(metadata.getLong(entry + CONTROL_OFFSET_OFFSET), placed.controlOffset(), prefix + "controlOffset",
            derived, region);
        expectDerived(metadata.getLong(entry + ENDPOINT_TABLE_OFFSET_OFFSET), placed.endpointTableOffset(),
            prefix + "endpointTableOffset", derived, region);
        expectDerived(metadata.getLong(entry + BUFFER_OFFSET_OFFSET), placed.bufferOffset(), prefix + "bufferOffset",
            derived, region);
        expectInt(metadata, entry + BUFFER_LENGTH_OFFSET, placed.bufferLength(), prefix + "bufferLength", region);
        final int limit = ChannelDescriptor.maxMessageLength(capacity);
        if (maxMessageLength < 1 || maxMessageLength > limit)
        {
            throw new CorruptRegionException(region, prefix + "maxMessageLength", "1.." + limit,
                Integer.toString(maxMessageLength));
        }
        return placed;
    }

    private static String readName(final UnsafeBuffer metadata, final int entry, final String prefix,
        final String region)
    {
        final int nameLength = metadata.getInt(entry + NAME_LENGTH_OFFSET);
        if (nameLength < 1 || nameLength > MAX_NAME_LENGTH)
        {
            throw new CorruptRegionException(region, prefix + "nameLength", "1.." + MAX_NAME_LENGTH,
                Integer.toString(nameLength));
        }
        final byte[] nameBytes = new byte[nameLength];
        metadata.getBytes(entry + NAME_OFFSET, nameBytes);
        final String name = new String(nameBytes, StandardCharsets.US_ASCII);
        if (RegionLayout.nameProblem(name) != null)
        {
            throw new CorruptRegionException(region, prefix + "name", "a valid channel name", printable(nameBytes));
        }
        return name;
    }

    private static String knownKindCodes()
    {
        final StringBuilder codes = new StringBuilder();
        final ChannelKind[] kinds = ChannelKind.values();
        for (int i = 0; i < kinds.length; i++)
        {
            codes.append(i == 0 ? "" : i == kinds.length - 1 ? " or " : ", ").append(kinds[i].code());
        }
        return codes.toString();
    }

    private static void expectInt(
        final UnsafeBuffer buffer, final int offset, final int expected, final String field, final String region)
    {
        final int actual = buffer.getInt(offset);
        if (actual != expected)
        {
            throw new CorruptRegionException(region, field, Integer.toString(expected), Integer.toString(actual));
        }
    }

    private static void expectDerived(final long actual, final long expected, final String field,
        final String derivedFrom, final String region)
    {
        if (actual != expected)
        {
            throw new CorruptRegionException(region, field, expected + derivedFrom, Long.toString(actual));
        }
    }

    private static void expectLong(
        final UnsafeBuffer buffer, final int offset, final long expected, final String field, final String region)
    {
        final long actual = buffer.getLong(offset);
        if (actual != expected)
        {
            throw new CorruptRegionException(region, field, Long.toString(expected), Long.toString(actual));
        }
    }

    private static String printable(final byte[] bytes)
    {
        final StringBuilder builder = new StringBuilder();
        for (final byte b : bytes)
        {
            builder.append(b >= 32 && b < 127 ? Character.toString(b) : String.format("\\x%02x", b & 0xFF));
        }
        return builder.toString();
    }
}
