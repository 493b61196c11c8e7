package io.shmipc.layout;

import org.agrona.BitUtil;
import org.agrona.concurrent.AtomicBuffer;
import org.agrona.concurrent.status.CountersReader;

import java.nio.charset.StandardCharsets;

/**
 * Layout of the counters area: an Agrona {@code CountersManager} (metadata buffer, then values buffer, each page
 * aligned) right after the directory, holding {@link #COUNTERS_PER_CHANNEL} counters for every directory entry, in
 * entry order. Counter {@code entryIndex * COUNTERS_PER_CHANNEL + type} is the counter of that type of the channel in
 * entry {@code entryIndex}; its metadata record (Agrona's {@code CountersReader} format, 512 bytes: state, type id,
 * free-for-reuse deadline, key, label) carries the type id below, the entry index as a 4-byte key, and a label such
 * as {@code "orders: published messages"}. Values are 8-byte longs, each on its own 128 bytes. Whoever adds a channel
 * to an entry zeroes its values and rewrites its labels ({@link #resetEntry}) before the entry is READY.
 * <pre>
 *  Counters Values Length   = align(Directory Capacity x 8 x 128, 4096)
 *  Counters Metadata Length = 4 x Counters Values Length
 *  Counters Metadata Offset = end of the directory (page aligned); Counters Values Offset follows the metadata
 * </pre>
 */
public final class CountersDescriptor
{
    /** Messages published on the channel. */
    public static final int PUBLISHED_MESSAGES = 0;
    /** Payload bytes published on the channel. */
    public static final int PUBLISHED_BYTES = 1;
    /** Messages consumed by the channel's subscriber (ring kinds). */
    public static final int CONSUMED_MESSAGES = 2;
    /** Payload bytes consumed by the channel's subscriber (ring kinds). */
    public static final int CONSUMED_BYTES = 3;
    /** Offers refused because the ring was full. */
    public static final int BACK_PRESSURE_EVENTS = 4;
    /** Broadcast messages lost to lapping, summed over receivers. */
    public static final int LOST_MESSAGES = 5;
    /** Uncommitted records left by dead publishers and unblocked. */
    public static final int UNBLOCKED_RECORDS = 6;
    /** Blocking waits that slept a whole timeout while a message waited (lost wake-ups; should stay 0). */
    public static final int MISSED_WAKEUPS = 7;

    /** Counters allocated for each channel. */
    public static final int COUNTERS_PER_CHANNEL = 8;

    /** Labels by type, for the counter metadata and for tools. */
    private static final String[] NAMES =
    {
        "published messages", "published bytes", "consumed messages", "consumed bytes", "back-pressure events",
        "lost messages", "unblocked records", "missed wake-ups"
    };

    /** Agrona type id of every shm-ipc channel counter is this plus the type. */
    public static final int TYPE_ID_BASE = 1000;

    private CountersDescriptor()
    {
    }

    /**
     * The counter id of a channel's counter.
     *
     * @param channelIndex index in the directory.
     * @param type         one of the type constants.
     * @return the id.
     */
    public static int counterId(final int channelIndex, final int type)
    {
        return channelIndex * COUNTERS_PER_CHANNEL + type;
    }

    /**
     * The name of a counter type.
     *
     * @param type one of the type constants.
     * @return e.g. {@code published messages}.
     */
    public static String name(final int type)
    {
        return NAMES[type];
    }

    /**
     * The label of a counter.
     *
     * @param channel the channel name.
     * @param type    one of the type constants.
     * @return e.g. {@code orders: published messages}.
     */
    public static String label(final String channel, final int type)
    {
        return channel + ": " + name(type);
    }

    /**
     * What the labels of a directory entry never used for a channel name instead of a channel.
     *
     * @param entry the entry index.
     * @return e.g. {@code entry 3}.
     */
    public static String unusedEntryLabel(final int entry)
    {
        return "entry " + entry;
    }

    /**
     * Give a directory entry's counters to a channel being added: every value 0 (release stores), every label the
     * channel's. Directory lock holder only, while the entry is INITIALISING.
     *
     * @param metadata a buffer over the counters metadata.
     * @param values   a buffer over the counters values.
     * @param entry    the entry index.
     * @param channel  the channel name.
     */
    public static void resetEntry(final AtomicBuffer metadata, final AtomicBuffer values, final int entry,
        final String channel)
    {
        for (int type = 0; type < COUNTERS_PER_CHANNEL; type++)
        {
            final int id = counterId(entry, type);
            values.putLongRelease(CountersReader.counterOffset(id), 0);
            final int record = CountersReader.metaDataOffset(id);
            final byte[] label = label(channel, type).getBytes(StandardCharsets.US_ASCII);
            metadata.putBytes(record + CountersReader.LABEL_OFFSET + Integer.BYTES, label);
            metadata.putIntRelease(record + CountersReader.LABEL_OFFSET, label.length);
        }
    }

    /**
     * Length of the values buffer for a directory capacity.
     *
     * @param channels directory entries.
     * @return bytes, page aligned.
     */
    public static int valuesLength(final int channels)
    {
        return BitUtil.align(Math.max(1, channels) * COUNTERS_PER_CHANNEL * CountersReader.COUNTER_LENGTH,
            RegionHeaderDescriptor.PAGE_SIZE);
    }

    /**
     * Length of the metadata buffer for a directory capacity: four times the values, as Agrona requires.
     *
     * @param channels directory entries.
     * @return bytes, page aligned.
     */
    public static int metadataLength(final int channels)
    {
        return valuesLength(channels) * (CountersReader.METADATA_LENGTH / CountersReader.COUNTER_LENGTH);
    }
}
