package io.shmipc.bridge;

import io.shmipc.BatchingPublisher;

import org.agrona.BitUtil;

/**
 * Layout of a replay log file: the messages a bridge took from a local ring and sent, kept until the remote bridge
 * acknowledges that it published them into its region. The file lives in shared memory, so a bridge killed and
 * restarted finds them again; little-endian, written by one bridge process at a time (its home directory lock).
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +---------------------------------------------------------------+
 *  |                 Magic ("SHMIPCRL" as a long)                  |
 *  |                                                               |
 *  +---------------------------------------------------------------+
 *  |                        Version (1)                            |
 *  +---------------------------------------------------------------+
 *  |                 Capacity (power of two, bytes)                |
 *  +---------------------------------------------------------------+
 *  |                    Log Id (random, not 0)                     |
 *  |                                                               |
 *  +---------------------------------------------------------------+
 *  |      Next Sequence (written before Tail Position moves)       |
 *  |                                                               |
 *  +---------------------------------------------------------------+
 *  |                  Reserved up to offset 64                    ...
 *  +---------------------------------------------------------------+
 *  |      Head Position (oldest unacknowledged record, release)    |
 *  |                                                               |
 *  +---------------------------------------------------------------+
 *  |                   Reserved up to offset 128                  ...
 *  +---------------------------------------------------------------+
 *  |          Tail Position (end of the last record, release)      |
 *  |                                                               |
 *  +---------------------------------------------------------------+
 *  |                   Reserved up to offset 192                  ...
 *  +---------------------------------------------------------------+
 *  |                  Records (Capacity bytes)                    ...
 *  +---------------------------------------------------------------+
 * </pre>
 * Positions count bytes from the log's creation; a record starts at index {@code position & (capacity - 1)}. Each
 * record is 8-byte aligned and never wraps: one that would is preceded by a padding record up to the end.
 * <pre>
 *  +---------------------------------------------------------------+
 *  |                   Record Type (1 message, 2 padding)          |
 *  +---------------------------------------------------------------+
 *  |                Frame Length (bytes of the frame)              |
 *  +---------------------------------------------------------------+
 *  |     Frame: a data frame exactly as sent (FrameDescriptor)    ...
 *  +---------------------------------------------------------------+
 * </pre>
 * A padding record's frame length counts the bytes after its header up to the end of the buffer.
 */
final class ReplayLogDescriptor
{
    /** "SHMIPCRL" read as a little-endian long. */
    static final long MAGIC = 0x4C524350494D4853L;
    /** Layout version. */
    static final int VERSION = 1;

    static final int MAGIC_OFFSET = 0;
    static final int VERSION_OFFSET = 8;
    static final int CAPACITY_OFFSET = 12;
    static final int LOG_ID_OFFSET = 16;
    static final int NEXT_SEQUENCE_OFFSET = 24;
    static final int HEAD_POSITION_OFFSET = 64;
    static final int TAIL_POSITION_OFFSET = 128;
    /** Bytes before the records. */
    static final int HEADER_LENGTH = 192;

    /** Record header: type and frame length. */
    static final int RECORD_HEADER_LENGTH = 8;
    static final int RECORD_TYPE_OFFSET = 0;
    static final int FRAME_LENGTH_OFFSET = 4;
    static final int TYPE_MESSAGE = 1;
    static final int TYPE_PADDING = 2;
    static final int ALIGNMENT = 8;

    /** Smallest capacity accepted. */
    static final int MIN_CAPACITY = 64 * 1024;

    private ReplayLogDescriptor()
    {
    }

    /**
     * Bytes a record of a message takes in the log.
     *
     * @param messageLength the message's length.
     * @return the aligned record length.
     */
    static int recordLength(final int messageLength)
    {
        return BitUtil.align(RECORD_HEADER_LENGTH + FrameDescriptor.DATA_HEADER_LENGTH + messageLength, ALIGNMENT);
    }

    /**
     * The most log bytes the messages of one ring record can take. A plain record is one message; a batch of
     * {@code n} entries fills at most {@code maxMessageLength} bytes with {@code n} entry headers and the payloads,
     * and each entry becomes a record of its own here: the log bytes are at most the payloads plus {@code n}
     * record overheads with their alignment, largest when every entry is empty.
     *
     * @param maxMessageLength the channel's message limit, which bounds a batch record too.
     * @return the bound, in bytes.
     */
    static int maxRingRecordBytes(final int maxMessageLength)
    {
        final long entries = maxMessageLength / BatchingPublisher.ENTRY_HEADER_LENGTH;
        final long perEntry = RECORD_HEADER_LENGTH + FrameDescriptor.DATA_HEADER_LENGTH + ALIGNMENT - 1 -
            BatchingPublisher.ENTRY_HEADER_LENGTH;
        final long batch = maxMessageLength + entries * perEntry;
        return (int)Math.min(Integer.MAX_VALUE, Math.max(recordLength(maxMessageLength), batch));
    }
}
