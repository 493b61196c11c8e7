package io.shmipc.layout;

import io.shmipc.exceptions.CorruptRegionException;
import io.shmipc.exceptions.IncompatibleLayoutException;
import io.shmipc.exceptions.InvalidConfigurationException;
import org.agrona.BitUtil;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static io.shmipc.layout.DirectoryDescriptor.*;
import static io.shmipc.layout.RegionHeaderDescriptor.*;

/**
 * A region's layout: its length and its channels. {@link #plan} computes one for a creator and
 * {@link #writeTo} stores it; {@link #validateHeader} and {@link #readDirectory} read one from untrusted shared
 * memory, checking every field before anything uses it.
 */
public final class RegionLayout
{
    private final long regionLength;
    private final long directoryOffset;
    private final List<ChannelLayout> channels;

    private RegionLayout(final long regionLength, final long directoryOffset, final List<ChannelLayout> channels)
    {
        this.regionLength = regionLength;
        this.directoryOffset = directoryOffset;
        this.channels = List.copyOf(channels);
    }

    /**
     * Offset of the counters metadata buffer: the first page after the directory.
     *
     * @return bytes from the start of the region.
     */
    public long countersMetadataOffset()
    {
        return directoryEnd(channels.size());
    }

    /**
     * Offset of the counters values buffer, right after the metadata.
     *
     * @return bytes from the start of the region.
     */
    public long countersValuesOffset()
    {
        return countersMetadataOffset() + CountersDescriptor.metadataLength(channels.size());
    }

    /**
     * Where channel areas begin, after the counters.
     *
     * @param channelCount channels in the region.
     * @return bytes from the start of the region.
     */
    static long channelsStart(final int channelCount)
    {
        return directoryEnd(channelCount) + CountersDescriptor.metadataLength(channelCount) +
            CountersDescriptor.valuesLength(channelCount);
    }

    private static long directoryEnd(final int channelCount)
    {
        return BitUtil.align(HEADER_LENGTH + (long)channelCount * ENTRY_LENGTH, PAGE_SIZE);
    }

    /**
     * Total length of the region.
     *
     * @return bytes.
     */
    public long regionLength()
    {
        return regionLength;
    }

    /**
     * Offset of the directory.
     *
     * @return bytes from the start of the region.
     */
    public long directoryOffset()
    {
        return directoryOffset;
    }

    /**
     * The channels, in directory order.
     *
     * @return an unmodifiable list.
     */
    public List<ChannelLayout> channels()
    {
        return channels;
    }

    /**
     * Plan a region for the channels asked for: header page, directory, then each channel area, page aligned.
     *
     * @param region   the region, for messages.
     * @param requests the channels.
     * @return the layout.
     * @throws InvalidConfigurationException naming the channel and option that is invalid.
     */
    public static RegionLayout plan(final String region, final List<ChannelSpec> requests)
    {
        if (requests.size() > MAX_CHANNELS)
        {
            throw new InvalidConfigurationException(region, "too many channels: region=" + region + " channels=" +
                requests.size() + " max=" + MAX_CHANNELS);
        }
        final Set<String> names = new HashSet<>();
        final long directoryOffset = HEADER_LENGTH;
        long offset = channelsStart(requests.size());
        final List<ChannelLayout> channels = new ArrayList<>(requests.size());
        for (final ChannelSpec request : requests)
        {
            final String name = request.name();
            final String problem = nameProblem(name);
            if (problem != null)
            {
                throw new InvalidConfigurationException(region, "invalid channel name: region=" + region +
                    " channel=" + name + " (" + problem + ")");
            }
            if (!names.add(name))
            {
                throw new InvalidConfigurationException(region, "duplicate channel name: region=" + region +
                    " channel=" + name);
            }
            final int capacity = request.capacity();
            if (!BitUtil.isPowerOfTwo(capacity) || capacity < ChannelDescriptor.MIN_CAPACITY ||
                capacity > ChannelDescriptor.MAX_CAPACITY)
            {
                throw new InvalidConfigurationException(region, "invalid channel capacity: region=" + region +
                    " channel=" + name + " capacity=" + capacity + " (a power of two from " +
                    ChannelDescriptor.MIN_CAPACITY + " to " + ChannelDescriptor.MAX_CAPACITY + ")");
            }
            final int limit = ChannelDescriptor.maxMessageLength(capacity);
            final int maxMessageLength = request.maxMessageLength() == 0 ? limit : request.maxMessageLength();
            if (maxMessageLength < 1 || maxMessageLength > limit)
            {
                throw new InvalidConfigurationException(region, "invalid max message length: region=" + region +
                    " channel=" + name + " maxMessageLength=" + maxMessageLength + " (1 to " + limit +
                    " for capacity " + capacity + ")");
            }
            final int slots = ChannelDescriptor.DEFAULT_ENDPOINT_SLOTS;
            final long channelLength = ChannelDescriptor.channelLength(request.kind(), capacity, slots);
            final long tableOffset = offset + ChannelDescriptor.CONTROL_LENGTH;
            final long bufferOffset = tableOffset + ChannelDescriptor.endpointTableLength(slots);
            channels.add(new ChannelLayout(channels.size(), name, request.kind(), offset, channelLength, offset,
                tableOffset, slots,
                bufferOffset, capacity + ChannelDescriptor.trailerLength(request.kind()), capacity,
                maxMessageLength));
            offset += channelLength;
        }
        return new RegionLayout(offset, directoryOffset, channels);
    }

    /**
     * Write the header fields (all but the state and the identity of the creator) and the directory.
     *
     * @param regionBuffer a buffer over the header page and directory.
     */
    public void writeTo(final UnsafeBuffer regionBuffer)
    {
        regionBuffer.putLong(MAGIC_OFFSET, MAGIC);
        regionBuffer.putInt(MAJOR_VERSION_OFFSET, MAJOR_VERSION);
        regionBuffer.putInt(MINOR_VERSION_OFFSET, MINOR_VERSION);
        regionBuffer.putLong(REGION_LENGTH_OFFSET, regionLength);
        regionBuffer.putInt(HEADER_LENGTH_OFFSET, HEADER_LENGTH);
        regionBuffer.putLong(DIRECTORY_OFFSET_OFFSET, directoryOffset);
        regionBuffer.putInt(CHANNEL_COUNT_OFFSET, channels.size());
        regionBuffer.putInt(DIRECTORY_ENTRY_LENGTH_OFFSET, ENTRY_LENGTH);
        regionBuffer.putInt(PAGE_SIZE_OFFSET, PAGE_SIZE);
        regionBuffer.putLong(COUNTERS_METADATA_OFFSET_OFFSET, countersMetadataOffset());
        regionBuffer.putInt(COUNTERS_METADATA_LENGTH_OFFSET, CountersDescriptor.metadataLength(channels.size()));
        regionBuffer.putInt(COUNTERS_VALUES_LENGTH_OFFSET, CountersDescriptor.valuesLength(channels.size()));
        regionBuffer.putLong(COUNTERS_VALUES_OFFSET_OFFSET, countersValuesOffset());
        for (int i = 0; i < channels.size(); i++)
        {
            final ChannelLayout channel = channels.get(i);
            final int entry = (int)directoryOffset + i * ENTRY_LENGTH;
            final byte[] name = channel.name().getBytes(StandardCharsets.US_ASCII);
            regionBuffer.putInt(entry + NAME_LENGTH_OFFSET, name.length);
            regionBuffer.putInt(entry + KIND_OFFSET, channel.kind());
            regionBuffer.putBytes(entry + NAME_OFFSET, name);
            regionBuffer.putLong(entry + CHANNEL_OFFSET_OFFSET, channel.channelOffset());
            regionBuffer.putLong(entry + CHANNEL_LENGTH_OFFSET, channel.channelLength());
            regionBuffer.putLong(entry + BUFFER_OFFSET_OFFSET, channel.bufferOffset());
            regionBuffer.putInt(entry + BUFFER_LENGTH_OFFSET, channel.bufferLength());
            regionBuffer.putInt(entry + CAPACITY_OFFSET, channel.capacity());
            regionBuffer.putInt(entry + MAX_MESSAGE_LENGTH_OFFSET, channel.maxMessageLength());
            regionBuffer.putInt(entry + ENDPOINT_SLOTS_OFFSET, channel.endpointSlots());
            regionBuffer.putLong(entry + ENDPOINT_TABLE_OFFSET_OFFSET, channel.endpointTableOffset());
            regionBuffer.putLong(entry + CONTROL_OFFSET_OFFSET, channel.controlOffset());
        }
    }

    /**
     * The number of bytes from the start of the region that hold the header and directory of this layout.
     *
     * @return bytes, page aligned.
     */
    public int metadataLength()
    {
        return (int)directoryEnd(channels.size());
    }

    /**
     * The header fields {@link #validateHeader} checked, kept so that nothing is read twice from memory another
     * process may change meanwhile.
     *
     * @param regionLength   the region length, equal to the file size.
     * @param channelCount   channels in the directory, 0 to {@link DirectoryDescriptor#MAX_CHANNELS}.
     * @param metadataLength bytes of header plus directory.
     */
    public record Header(long regionLength, int channelCount, int metadataLength)
    {
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
        final long directoryOffset = header.getLong(DIRECTORY_OFFSET_OFFSET);
        if (directoryOffset != HEADER_LENGTH)
        {
            throw new CorruptRegionException(region, "header.directoryOffset", Integer.toString(HEADER_LENGTH),
                Long.toString(directoryOffset));
        }
        final int count = header.getInt(CHANNEL_COUNT_OFFSET);
        if (count < 0 || count > MAX_CHANNELS)
        {
            throw new CorruptRegionException(region, "header.channelCount", "0.." + MAX_CHANNELS,
                Integer.toString(count));
        }
        final long directoryEnd = directoryEnd(count);
        final long channelsStart = channelsStart(count);
        if (channelsStart > regionLength)
        {
            throw new CorruptRegionException(region, "header.channelCount", "a directory and counters within the " +
                "region length " + regionLength, count + " channels needing " + channelsStart + " bytes");
        }
        expectLong(header, COUNTERS_METADATA_OFFSET_OFFSET, directoryEnd, "header.countersMetadataOffset", region);
        expectInt(header, COUNTERS_METADATA_LENGTH_OFFSET, CountersDescriptor.metadataLength(count),
            "header.countersMetadataLength", region);
        expectInt(header, COUNTERS_VALUES_LENGTH_OFFSET, CountersDescriptor.valuesLength(count),
            "header.countersValuesLength", region);
        expectLong(header, COUNTERS_VALUES_OFFSET_OFFSET, directoryEnd + CountersDescriptor.metadataLength(count),
            "header.countersValuesOffset", region);
        return new Header(regionLength, count, (int)directoryEnd);
    }

    /**
     * Check the magic and major version of a header, which come before any other field.
     *
     * @param header a buffer over at least the first 16 bytes.
     * @param region the region, for messages.
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
            throw new IncompatibleLayoutException(region, MAJOR_VERSION, major);
        }
    }

    /**
     * Read and validate the directory of a region whose header passed {@link #validateHeader}.
     *
     * @param metadata a buffer over the header and directory.
     * @param header   what {@link #validateHeader} returned.
     * @param region   the region, for messages.
     * @return the layout.
     * @throws CorruptRegionException naming the first entry and field that is wrong.
     */
    public static RegionLayout readDirectory(final UnsafeBuffer metadata, final Header header, final String region)
    {
        final long regionLength = header.regionLength();
        final int count = header.channelCount();
        final long channelsStart = channelsStart(count);
        final List<ChannelLayout> channels = new ArrayList<>(count);
        final Set<String> names = new HashSet<>();
        for (int i = 0; i < count; i++)
        {
            final ChannelLayout channel = readEntry(metadata, HEADER_LENGTH + i * ENTRY_LENGTH, i, regionLength,
                channelsStart, region);
            if (!names.add(channel.name()))
            {
                throw new CorruptRegionException(region, "directory[" + i + "].name", "a unique name",
                    channel.name());
            }
            channels.add(channel);
        }
        final ChannelLayout[] byOffset = channels.toArray(new ChannelLayout[0]);
        Arrays.sort(byOffset, Comparator.comparingLong(ChannelLayout::channelOffset));
        for (int i = 1; i < byOffset.length; i++)
        {
            final ChannelLayout previous = byOffset[i - 1];
            if (byOffset[i].channelOffset() < previous.channelOffset() + previous.channelLength())
            {
                throw new CorruptRegionException(region, "directory[" + byOffset[i].name() + "].channelOffset",
                    "no overlap with channel " + previous.name() + " ending at " +
                    (previous.channelOffset() + previous.channelLength()), Long.toString(byOffset[i].channelOffset()));
            }
        }
        return new RegionLayout(regionLength, HEADER_LENGTH, channels);
    }

    private static ChannelLayout readEntry(
        final UnsafeBuffer metadata,
        final int entry,
        final int index,
        final long regionLength,
        final long channelsStart,
        final String region)
    {
        final String prefix = "directory[" + index + "].";
        final int nameLength = metadata.getInt(entry + NAME_LENGTH_OFFSET);
        if (nameLength < 1 || nameLength > MAX_NAME_LENGTH)
        {
            throw new CorruptRegionException(region, prefix + "nameLength", "1.." + MAX_NAME_LENGTH,
                Integer.toString(nameLength));
        }
        final byte[] nameBytes = new byte[nameLength];
        metadata.getBytes(entry + NAME_OFFSET, nameBytes);
        final String name = new String(nameBytes, StandardCharsets.US_ASCII);
        if (nameProblem(name) != null)
        {
            throw new CorruptRegionException(region, prefix + "name", "a valid channel name", printable(nameBytes));
        }
        final int kind = metadata.getInt(entry + KIND_OFFSET);
        if (!isKnownKind(kind))
        {
            throw new CorruptRegionException(region, prefix + "kind", "1, 2 or 3", Integer.toString(kind));
        }
        final int capacity = metadata.getInt(entry + CAPACITY_OFFSET);
        if (!BitUtil.isPowerOfTwo(capacity) || capacity < ChannelDescriptor.MIN_CAPACITY ||
            capacity > ChannelDescriptor.MAX_CAPACITY)
        {
            throw new CorruptRegionException(region, prefix + "capacity", "a power of two from " +
                ChannelDescriptor.MIN_CAPACITY + " to " + ChannelDescriptor.MAX_CAPACITY, Integer.toString(capacity));
        }
        final int slots = metadata.getInt(entry + ENDPOINT_SLOTS_OFFSET);
        if (slots != ChannelDescriptor.DEFAULT_ENDPOINT_SLOTS)
        {
            throw new CorruptRegionException(region, prefix + "endpointSlots",
                Integer.toString(ChannelDescriptor.DEFAULT_ENDPOINT_SLOTS), Integer.toString(slots));
        }
        final long channelOffset = metadata.getLong(entry + CHANNEL_OFFSET_OFFSET);
        final long channelLength = metadata.getLong(entry + CHANNEL_LENGTH_OFFSET);
        final long expectedLength = ChannelDescriptor.channelLength(kind, capacity, slots);
        if (channelLength != expectedLength)
        {
            throw new CorruptRegionException(region, prefix + "channelLength", Long.toString(expectedLength),
                Long.toString(channelLength));
        }
        if (channelOffset < channelsStart || (channelOffset & (PAGE_SIZE - 1)) != 0 ||
            channelOffset > regionLength - channelLength)
        {
            throw new CorruptRegionException(region, prefix + "channelOffset", "page aligned, from " + channelsStart +
                " to " + (regionLength - channelLength) + " (within the region)", Long.toString(channelOffset));
        }
        expectLong(metadata, entry + CONTROL_OFFSET_OFFSET, channelOffset, prefix + "controlOffset", region);
        final long tableOffset = channelOffset + ChannelDescriptor.CONTROL_LENGTH;
        expectLong(metadata, entry + ENDPOINT_TABLE_OFFSET_OFFSET, tableOffset, prefix + "endpointTableOffset",
            region);
        final long bufferOffset = tableOffset + ChannelDescriptor.endpointTableLength(slots);
        expectLong(metadata, entry + BUFFER_OFFSET_OFFSET, bufferOffset, prefix + "bufferOffset", region);
        final int bufferLength = capacity + ChannelDescriptor.trailerLength(kind);
        expectInt(metadata, entry + BUFFER_LENGTH_OFFSET, bufferLength, prefix + "bufferLength", region);
        final int maxMessageLength = metadata.getInt(entry + MAX_MESSAGE_LENGTH_OFFSET);
        final int limit = ChannelDescriptor.maxMessageLength(capacity);
        if (maxMessageLength < 1 || maxMessageLength > limit)
        {
            throw new CorruptRegionException(region, prefix + "maxMessageLength", "1.." + limit,
                Integer.toString(maxMessageLength));
        }
        return new ChannelLayout(index, name, kind, channelOffset, channelLength, channelOffset, tableOffset, slots,
            bufferOffset, bufferLength, capacity, maxMessageLength);
    }

    /**
     * Why a channel or region name is invalid: names are 1 to 56 characters of {@code [A-Za-z0-9._-]}, not
     * {@code .} or {@code ..}.
     *
     * @param name the name.
     * @return the problem in words, or {@code null} when the name is valid.
     */
    public static String nameProblem(final String name)
    {
        if (name == null || name.isEmpty())
        {
            return "empty";
        }
        if (name.length() > MAX_NAME_LENGTH)
        {
            return "longer than " + MAX_NAME_LENGTH + " characters: length=" + name.length();
        }
        if (name.equals(".") || name.equals(".."))
        {
            return "'.' and '..' are not names";
        }
        for (int i = 0; i < name.length(); i++)
        {
            final char c = name.charAt(i);
            final boolean valid = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                c == '.' || c == '_' || c == '-';
            if (!valid)
            {
                return "only letters, digits, '.', '_' and '-' are allowed; found '" + (c < 32 || c > 126 ?
                    String.format("\\u%04x", (int)c) : String.valueOf(c)) + "' at index " + i;
            }
        }
        return null;
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
