package io.shmipc.layout;

import io.shmipc.ChannelSpec;
import io.shmipc.exceptions.InvalidConfigurationException;
import org.agrona.BitUtil;
import org.agrona.concurrent.AtomicBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.status.CountersManager;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static io.shmipc.layout.DirectoryDescriptor.*;
import static io.shmipc.layout.RegionHeaderDescriptor.*;

/**
 * A region's layout: its length, its directory's capacity, its data area and the channels it holds. {@link #plan}
 * computes one for a creator and {@link #writeTo} stores it; {@link LayoutReader} reads one from untrusted shared
 * memory, checking every field before anything uses it. A layout read from a live region is a snapshot: channels
 * are added and removed at runtime (see {@link DirectoryDescriptor}).
 */
public final class RegionLayout
{
    /** Directory capacity of a region whose configuration does not give one, unless it lists more channels. */
    public static final int DEFAULT_DIRECTORY_CAPACITY = 16;

    private final long regionLength;
    private final int directoryCapacity;
    private final List<ChannelLayout> channels;

    RegionLayout(final long regionLength, final int directoryCapacity, final List<ChannelLayout> channels)
    {
        this.regionLength = regionLength;
        this.directoryCapacity = directoryCapacity;
        this.channels = List.copyOf(channels);
    }

    /**
     * Plan a region for the channels asked for, with the default limits: a directory of
     * {@link #DEFAULT_DIRECTORY_CAPACITY} entries (or as many as the channels listed) and a data area that holds
     * exactly those channels.
     *
     * @param region   the region, for messages.
     * @param requests the channels; a message limit of 0 asks for the largest the capacity allows.
     * @return the layout.
     * @throws InvalidConfigurationException naming the channel and the option that is invalid.
     */
    public static RegionLayout plan(final String region, final List<ChannelSpec> requests)
    {
        return plan(region, requests, 0, -1);
    }

    /**
     * Plan a region: header page, directory of {@code directoryCapacity} entries, counters for every entry, then the
     * data area, with the channels asked for placed one after the other from its start, in the order given.
     *
     * @param region            the region, for messages.
     * @param requests          the channels; a message limit of 0 asks for the largest the capacity allows.
     * @param directoryCapacity most channels at once, 1 to {@link DirectoryDescriptor#MAX_CHANNELS}; 0 for the
     *                          default.
     * @param dataAreaLength    bytes for channel areas, at least what the channels listed need, rounded up to a page;
     *                          -1 for exactly what they need.
     * @return the layout.
     * @throws InvalidConfigurationException naming the channel and the option that is invalid.
     */
    public static RegionLayout plan(final String region, final List<ChannelSpec> requests,
        final int directoryCapacity, final long dataAreaLength)
    {
        final int capacity = directoryCapacity == 0 ?
            Math.max(DEFAULT_DIRECTORY_CAPACITY, requests.size()) : directoryCapacity;
        if (capacity < 1 || capacity > MAX_CHANNELS || requests.size() > capacity)
        {
            throw new InvalidConfigurationException(region, "invalid maxChannels: region=" + region +
                " maxChannels=" + capacity + " channels=" + requests.size() + " (1 to " + MAX_CHANNELS +
                ", and at least the channels listed)");
        }
        final Set<String> names = new HashSet<>();
        final long dataStart = channelsStart(capacity);
        long offset = dataStart;
        final List<ChannelLayout> channels = new ArrayList<>(requests.size());
        for (final ChannelSpec request : requests)
        {
            if (nameProblem(request.name()) == null && !names.add(request.name()))
            {
                throw new InvalidConfigurationException(region, "duplicate channel name: region=" + region +
                    " channel=" + request.name());
            }
            final ChannelSpec spec = resolve(region, request);
            final ChannelLayout channel = ChannelLayout.place(channels.size(), spec, offset);
            channels.add(channel);
            offset += channel.channelLength();
        }
        final long needed = offset - dataStart;
        if (dataAreaLength >= 0 && dataAreaLength < needed || dataAreaLength < -1)
        {
            throw new InvalidConfigurationException(region, "invalid dataAreaLength: region=" + region +
                " dataAreaLength=" + dataAreaLength + " (the channels listed need " + needed + " bytes)");
        }
        final long length = dataAreaLength < 0 ? needed : BitUtil.align(dataAreaLength, (long)PAGE_SIZE);
        return new RegionLayout(dataStart + length, capacity, channels);
    }

    /**
     * Check a requested channel on its own (name, capacity, message limit) and fill in the message limit in force.
     *
     * @param region  the region, for messages.
     * @param request the channel asked for.
     * @return the spec with its message limit in force.
     * @throws InvalidConfigurationException naming the channel and the option that is invalid.
     */
    public static ChannelSpec resolve(final String region, final ChannelSpec request)
    {
        final String name = request.name();
        final String problem = nameProblem(name);
        if (problem != null)
        {
            throw new InvalidConfigurationException(region, "invalid channel name: region=" + region +
                " channel=" + nameForMessage(name) + " (" + problem + ")");
        }
        final int capacity = request.capacity();
        if (!isValidCapacity(capacity))
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
        return maxMessageLength == request.maxMessageLength() ? request :
            new ChannelSpec(name, request.kind(), capacity, maxMessageLength);
    }

    /**
     * Where the data area begins, after the header, the directory and the counters.
     *
     * @param directoryCapacity directory entries.
     * @return bytes from the start of the region, page aligned.
     */
    public static long channelsStart(final int directoryCapacity)
    {
        return directoryEnd(directoryCapacity) + CountersDescriptor.metadataLength(directoryCapacity) +
            CountersDescriptor.valuesLength(directoryCapacity);
    }

    /**
     * The end of the directory: the first page after the header and {@code directoryCapacity} entries.
     *
     * @param directoryCapacity directory entries.
     * @return bytes from the start of the region, page aligned.
     */
    public static long directoryEnd(final int directoryCapacity)
    {
        return BitUtil.align(HEADER_LENGTH + (long)directoryCapacity * ENTRY_LENGTH, PAGE_SIZE);
    }

    /**
     * Whether a channel capacity is valid: a power of two from {@link ChannelDescriptor#MIN_CAPACITY} to
     * {@link ChannelDescriptor#MAX_CAPACITY}.
     *
     * @param capacity the capacity.
     * @return true when valid.
     */
    public static boolean isValidCapacity(final int capacity)
    {
        return BitUtil.isPowerOfTwo(capacity) && capacity >= ChannelDescriptor.MIN_CAPACITY &&
            capacity <= ChannelDescriptor.MAX_CAPACITY;
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
     * The channels, in directory order.
     *
     * @return an unmodifiable list.
     */
    public List<ChannelLayout> channels()
    {
        return channels;
    }

    /**
     * The number of directory entries: the most channels the region holds at once.
     *
     * @return entries.
     */
    public int directoryCapacity()
    {
        return directoryCapacity;
    }

    /**
     * Where the data area, which holds every channel area, begins.
     *
     * @return bytes from the start of the region.
     */
    public long dataAreaOffset()
    {
        return channelsStart(directoryCapacity);
    }

    /**
     * The length of the data area, up to the end of the region.
     *
     * @return bytes.
     */
    public long dataAreaLength()
    {
        return regionLength - dataAreaOffset();
    }

    /**
     * The header fields of this layout, as {@link LayoutReader#validateHeader} returns them.
     *
     * @return the header.
     */
    public LayoutReader.Header header()
    {
        return new LayoutReader.Header(regionLength, directoryCapacity, metadataLength(), dataAreaOffset());
    }

    /**
     * Offset of the counters metadata buffer: the first page after the directory.
     *
     * @return bytes from the start of the region.
     */
    public long countersMetadataOffset()
    {
        return directoryEnd(directoryCapacity);
    }

    /**
     * Offset of the counters values buffer, right after the metadata.
     *
     * @return bytes from the start of the region.
     */
    public long countersValuesOffset()
    {
        return countersMetadataOffset() + CountersDescriptor.metadataLength(directoryCapacity);
    }

    /**
     * The number of bytes from the start of the region that hold the header and directory of this layout.
     *
     * @return bytes, page aligned.
     */
    public int metadataLength()
    {
        return (int)directoryEnd(directoryCapacity);
    }

    /**
     * Write the header fields (all but the state and the identity of the creator) and the directory: the channels
     * READY with generation 1, every other entry FREE.
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
        regionBuffer.putLong(DIRECTORY_OFFSET_OFFSET, HEADER_LENGTH);
        regionBuffer.putInt(DIRECTORY_CAPACITY_OFFSET, directoryCapacity);
        regionBuffer.putInt(DIRECTORY_ENTRY_LENGTH_OFFSET, ENTRY_LENGTH);
        regionBuffer.putInt(PAGE_SIZE_OFFSET, PAGE_SIZE);
        regionBuffer.putLong(COUNTERS_METADATA_OFFSET_OFFSET, countersMetadataOffset());
        regionBuffer.putInt(COUNTERS_METADATA_LENGTH_OFFSET, CountersDescriptor.metadataLength(directoryCapacity));
        regionBuffer.putInt(COUNTERS_VALUES_LENGTH_OFFSET, CountersDescriptor.valuesLength(directoryCapacity));
        regionBuffer.putLong(COUNTERS_VALUES_OFFSET_OFFSET, countersValuesOffset());
        regionBuffer.putLong(DATA_AREA_OFFSET_OFFSET, dataAreaOffset());
        regionBuffer.putLong(DATA_AREA_LENGTH_OFFSET, dataAreaLength());
        regionBuffer.putInt(DIRECTORY_CHANGE_COUNT_OFFSET, 0);
        for (final ChannelLayout channel : channels)
        {
            writeEntry(regionBuffer, channel);
            regionBuffer.putLong(entryOffset(channel.index()) + ENTRY_STATUS_OFFSET, channel.entryStatus());
        }
    }

    /**
     * Allocate the counters of every directory entry in an empty counters area, in entry order, so that ids follow
     * {@link CountersDescriptor#counterId}; those of an entry without a channel are labelled {@code entry <i>}.
     * Creator only, before the region is READY.
     *
     * @param metadata a buffer over the counters metadata.
     * @param values   a buffer over the counters values.
     */
    public void allocateCounters(final AtomicBuffer metadata, final AtomicBuffer values)
    {
        final CountersManager manager = new CountersManager(metadata, values, StandardCharsets.US_ASCII);
        final String[] owners = new String[directoryCapacity];
        for (final ChannelLayout channel : channels)
        {
            owners[channel.index()] = channel.name();
        }
        for (int entry = 0; entry < directoryCapacity; entry++)
        {
            final int index = entry;
            final String owner = owners[entry] != null ? owners[entry] : CountersDescriptor.unusedEntryLabel(entry);
            for (int type = 0; type < CountersDescriptor.COUNTERS_PER_CHANNEL; type++)
            {
                final int id = manager.allocate(CountersDescriptor.label(owner, type),
                    CountersDescriptor.TYPE_ID_BASE + type, key -> key.putInt(0, index));
                if (id != CountersDescriptor.counterId(entry, type))
                {
                    throw new IllegalStateException("counter allocated out of order: id=" + id + " entry=" + entry +
                        " type=" + type);
                }
            }
        }
    }

    /**
     * Write one channel's directory entry, at the place its index gives it: every field but the entry status.
     *
     * @param regionBuffer a buffer over the header page and directory.
     * @param channel      the channel.
     */
    public static void writeEntry(final UnsafeBuffer regionBuffer, final ChannelLayout channel)
    {
        final int entry = entryOffset(channel.index());
        final byte[] name = channel.name().getBytes(StandardCharsets.US_ASCII);
        regionBuffer.putInt(entry + NAME_LENGTH_OFFSET, name.length);
        regionBuffer.putInt(entry + KIND_OFFSET, channel.kind().code());
        // The whole field, zero padded: a reused entry keeps nothing of an earlier, longer name.
        regionBuffer.putBytes(entry + NAME_OFFSET, Arrays.copyOf(name, MAX_NAME_LENGTH));
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

    /**
     * A name as messages show it: characters outside printable ASCII as {@code \\uXXXX}, and one far longer than any
     * valid name cut short with its length, so that a refusal never echoes megabytes or raw control characters.
     *
     * @param name any text, or null.
     * @return the text to show.
     */
    public static String nameForMessage(final String name)
    {
        if (name == null)
        {
            return "null";
        }
        final int shown = Math.min(name.length(), 2 * MAX_NAME_LENGTH);
        final StringBuilder text = new StringBuilder(shown + 32);
        for (int i = 0; i < shown; i++)
        {
            final char c = name.charAt(i);
            if (c < 32 || c > 126)
            {
                text.append(String.format("\\u%04x", (int)c));
            }
            else
            {
                text.append(c);
            }
        }
        if (shown < name.length())
        {
            text.append("... (").append(name.length()).append(" characters)");
        }
        return text.toString();
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
                return "only letters, digits, '.', '_' and '-' are allowed; found '" +
                    nameForMessage(String.valueOf(c)) + "' at index " + i;
            }
        }
        return null;
    }
}
