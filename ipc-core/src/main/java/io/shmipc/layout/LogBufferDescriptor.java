package io.shmipc.layout;

import org.agrona.BitUtil;

/**
 * Layout of a {@code PUBLISH_SUBSCRIBE} channel's log: Capacity data bytes of records, then a trailer of positions.
 * One publisher appends; subscribers read, each at its own position kept in its endpoint slot (see
 * {@link EndpointDescriptor#RECEIVER_POSITION_OFFSET}), and never write the data.
 * <pre>
 *  Buffer Offset
 *  +---------------------------------------------------------------+
 *  |  Records: Capacity bytes, each record 32-byte aligned         |
 *  +---------------------------------------------------------------+
 *  |  Trailer (512 bytes), offsets from Buffer Offset + Capacity:  |
 *  |    +0    Tail Position (long)     publisher: committed bytes  |  own 128 bytes,
 *  |    +8    Next Sequence (long)     publisher: messages so far  |  written for
 *  |    +16   Oldest Position (long)   publisher: oldest intact    |  every record
 *  |    +128  Subscriber Mask (long)   subscribers: slots to scan  |  own 128 bytes
 *  |    +256  Publisher Limit (long)   publisher: at each scan     |  own 128 bytes
 *  |    +384  Reserved (int)           0                           |  own 128 bytes
 *  +---------------------------------------------------------------+
 * </pre>
 * A record:
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +-------------------------------+-------------------------------+
 *  |      Record Length (int)      |     Lap And Type (int)        |   0  header word
 *  +-------------------------------+-------------------------------+
 *  |                        Sequence (long)                        |   8
 *  +---------------------------------------------------------------+
 *  |                   Payload, Record Length - 16 bytes           |  16
 *  +---------------------------------------------------------------+
 * </pre>
 * The header word (the first 8 bytes as one long) is written last with a release store and read first with an
 * acquire load. Lap And Type is {@code ((lap & LAP_MASK) << TYPE_BITS) | type}, the lap being the record's own
 * position divided by Capacity: a reader at position P tells the record for P from an older lap's bytes by it.
 * Records are 32-byte aligned, so every record boundary has room for a whole header and a record of up to 48
 * payload bytes has a 64-byte line to itself. The publisher prepares the
 * next record's header (header word 0, Sequence the next message's) before it releases a record's header, so a
 * reader moving on from a record finds 0 (nothing yet) or the next record, never stale bytes, and never writes
 * anything itself.
 */
public final class LogBufferDescriptor
{
    /** Length of the trailer after the data. */
    public static final int TRAILER_LENGTH = 512;
    /** Trailer offset of the tail position: bytes ever appended and committed. */
    public static final int TAIL_POSITION_OFFSET = 0;
    /** Trailer offset of the next sequence: messages ever published. */
    public static final int NEXT_SEQUENCE_OFFSET = 8;
    /** Trailer offset of the oldest position: the oldest record still intact. */
    public static final int OLDEST_POSITION_OFFSET = 16;
    /** Trailer offset of the subscriber mask: slots the publisher looks at when it scans. */
    public static final int SUBSCRIBER_MASK_OFFSET = 128;
    /** Trailer offset of the publisher limit: no byte at or above it is written until it changes. */
    public static final int PUBLISHER_LIMIT_OFFSET = 256;
    /**
     * Bit 0 of the publisher limit, set by a subscriber joining to replay history: the publisher loads the limit on
     * every append and scans the subscribers again before it writes (limits are multiples of {@link #ALIGNMENT}).
     */
    public static final long SCAN_REQUESTED = 1L;
    /**
     * Trailer offset of a reserved int, 0: a log's failures are marked in its control block's Channel Failure, as
     * every kind's are ({@link ChannelDescriptor#CHANNEL_FAILURE_OFFSET}).
     */
    public static final int RESERVED_OFFSET = 384;

    /** Length of a record header. */
    public static final int HEADER_LENGTH = 16;
    /** Alignment of records. */
    public static final int ALIGNMENT = 32;
    /** Shortest record, a padding record's length at least: its header. */
    public static final int MIN_PADDING_LENGTH = HEADER_LENGTH;
    /** Record offset of the record length. */
    public static final int LENGTH_OFFSET = 0;
    /** Record offset of the lap and type. */
    public static final int LAP_AND_TYPE_OFFSET = 4;
    /** Record offset of the sequence of the record's first message. */
    public static final int SEQUENCE_OFFSET = 8;
    /** Record offset of the payload. */
    public static final int PAYLOAD_OFFSET = 16;

    /** Record type: one message. */
    public static final int TYPE_MESSAGE = 1;
    /** Record type: a batch of messages, as {@code BatchingPublisher} packs them. */
    public static final int TYPE_BATCH = 2;
    /** Record type: padding up to the end of the buffer. */
    public static final int TYPE_PADDING = 3;
    /** Low bits of Lap And Type that hold the type. */
    public static final int TYPE_BITS = 2;
    /** Bits of the lap kept in Lap And Type. */
    public static final int LAP_MASK = 0x3FFFFFFF;

    private LogBufferDescriptor()
    {
    }

    /**
     * The header word of a record.
     *
     * @param length      record length, header included.
     * @param position    the record's position.
     * @param capacityLog log2 of the capacity.
     * @param type        record type.
     * @return the 64-bit header word as a little-endian long.
     */
    public static long headerWord(final int length, final long position, final int capacityLog, final int type)
    {
        return (length & 0xFFFF_FFFFL) | ((long)lapAndType(position, capacityLog, type) << 32);
    }

    /**
     * The Lap And Type a record at a position carries.
     *
     * @param position    the record's position.
     * @param capacityLog log2 of the capacity.
     * @param type        record type.
     * @return the field's value.
     */
    public static int lapAndType(final long position, final int capacityLog, final int type)
    {
        return ((int)(position >>> capacityLog) & LAP_MASK) << TYPE_BITS | type;
    }

    /**
     * The record length of a header word.
     *
     * @param headerWord the word.
     * @return the length.
     */
    public static int recordLength(final long headerWord)
    {
        return (int)headerWord;
    }

    /**
     * The type of a header word, valid or not.
     *
     * @param headerWord the word.
     * @return the low bits of Lap And Type.
     */
    public static int type(final long headerWord)
    {
        return (int)(headerWord >>> 32) & ((1 << TYPE_BITS) - 1);
    }

    /**
     * The bytes a record of this length takes, aligned.
     *
     * @param recordLength header and payload bytes.
     * @return aligned bytes.
     */
    public static int alignedLength(final int recordLength)
    {
        return BitUtil.align(recordLength, ALIGNMENT);
    }

    /**
     * The Buffer Length of a log of this capacity.
     *
     * @param capacity data bytes.
     * @return capacity plus trailer.
     */
    public static int bufferLength(final int capacity)
    {
        return capacity + TRAILER_LENGTH;
    }
}
