package io.shmipc.bridge;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

import java.nio.ByteOrder;
import java.security.SecureRandom;

/**
 * The two frames bridges exchange over Aeron, little-endian. Everything read from the network is validated before
 * use: a frame of the wrong length or of an unknown type is counted as malformed and dropped.
 * <p>
 * A <b>data frame</b> travels on a route's data stream and carries one shm-ipc message:
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +-------------------------------------------------------+-------+
 *  |                 Sequence (low 56 bits)                | Flags |
 *  |                                                       |       |
 *  +-------------------------------------------------------+-------+
 *  |                            Log Id                             |
 *  |                                                               |
 *  +---------------------------------------------------------------+
 *  |                     Message (0 or more bytes)                ...
 *  +---------------------------------------------------------------+
 * </pre>
 * The sequence numbers the sender's messages on the route from 0 without gaps; the log id names the sender's replay
 * log (ring routes) or the sender's incarnation (broadcast routes), so a receiver can tell a rewind of the same
 * stream from a new one. Flag {@link #FLAG_UNRELIABLE} marks the frames of a broadcast route, which are never
 * replayed.
 * <p>
 * A <b>sync frame</b> is a data frame with flag {@link #FLAG_SYNC} and no message: the sender's oldest
 * unacknowledged sequence, sent first after each rewind, with the sync request it answers (the receiver's id and its
 * request count, both from the request's control frame), so that a receiver follows only the sender it asked:
 * <pre>
 *  +-------------------------------------------------------+-------+
 *  |              Resume Sequence (low 56 bits)            | Flags |
 *  +-------------------------------------------------------+-------+
 *  |                            Log Id                             |
 *  +---------------------------------------------------------------+
 *  |                  Receiver Id (of the request)                 |
 *  +---------------------------------------------------------------+
 *  |                 Request Count (of the request)                |
 *  +---------------------------------------------------------------+
 * </pre>
 * <p>
 * A <b>batch frame</b> is a data frame with flag {@link #FLAG_BATCH}: several messages of consecutive sequences in
 * one Aeron message, no longer than the publication's MTU payload. A ring route sends one whenever more than one
 * small message waits in its replay log; the sequence is the first message's:
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +-------------------------------------------------------+-------+
 *  |              First Sequence (low 56 bits)             | Flags |
 *  |                                                       |       |
 *  +-------------------------------------------------------+-------+
 *  |                            Log Id                             |
 *  |                                                               |
 *  +---------------------------------------------------------------+
 *  |                     Count (at least 1)                        |
 *  +---------------------------------------------------------------+
 *  |                   Length of message 1                         |
 *  +---------------------------------------------------------------+
 *  |                   Message 1 (Length bytes)                   ...
 *  +---------------------------------------------------------------+
 *  |            Length of message 2, Message 2, ...               ...
 *  +---------------------------------------------------------------+
 * </pre>
 * Entries follow each other without padding; the last one ends exactly at the frame's end. A receiver checks the
 * whole frame ({@link #batchCount}) before it publishes any of it.
 * <p>
 * A <b>control frame</b> travels back on the route's control stream, from the receiving bridge to the sending one:
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +---------------------------------------------------------------+
 *  |                         Type (1 or 2)                         |
 *  +---------------------------------------------------------------+
 *  |                      Data Stream Id                           |
 *  +---------------------------------------------------------------+
 *  |                         Receiver Id                           |
 *  |                                                               |
 *  +---------------------------------------------------------------+
 *  |                            Value                              |
 *  |                                                               |
 *  +---------------------------------------------------------------+
 *  |                            Log Id                             |
 *  |                                                               |
 *  +---------------------------------------------------------------+
 * </pre>
 * {@link #TYPE_ACK}: every sequence below Value is published into the receiver's region (the sender may free it).
 * {@link #TYPE_SYNC_REQUEST}: the receiver does not know where the stream stands (it is new, or the stream it was
 * following was replaced); Value counts its requests, and the sender rewinds once per new request.
 */
final class FrameDescriptor
{
    /** Bytes before the message in a data frame. */
    static final int DATA_HEADER_LENGTH = 16;
    /** Offset of the sequence and flags word. */
    static final int SEQUENCE_OFFSET = 0;
    /** Offset of the log id. */
    static final int LOG_ID_OFFSET = 8;
    /** The frame carries no message: its sequence is where the sender's stream resumes. */
    static final int FLAG_SYNC = 1;
    /** The sender does not replay (a broadcast route): the receiver delivers what comes and counts gaps. */
    static final int FLAG_UNRELIABLE = 2;
    /** The frame carries {@code count} length-prefixed messages of consecutive sequences (see the class doc). */
    static final int FLAG_BATCH = 4;
    /** Offset of a sync frame's receiver id. */
    static final int SYNC_RECEIVER_ID_OFFSET = DATA_HEADER_LENGTH;
    /** Offset of a sync frame's request count. */
    static final int SYNC_REQUEST_OFFSET = DATA_HEADER_LENGTH + 8;
    /** Length of a sync frame. */
    static final int SYNC_LENGTH = DATA_HEADER_LENGTH + 16;
    /** Offset of a batch frame's count. */
    static final int BATCH_COUNT_OFFSET = DATA_HEADER_LENGTH;
    /** Bytes before the first entry of a batch frame. */
    static final int BATCH_HEADER_LENGTH = DATA_HEADER_LENGTH + 4;
    /** Bytes before the message of a batch entry: its length. */
    static final int ENTRY_HEADER_LENGTH = 4;
    /** Largest sequence a data frame carries. */
    static final long MAX_SEQUENCE = (1L << 56) - 1;

    /** Length of a control frame. */
    static final int CONTROL_LENGTH = 32;
    /** Control frame: acknowledgement. */
    static final int TYPE_ACK = 1;
    /** Control frame: the receiver asks the sender to rewind to its oldest unacknowledged message. */
    static final int TYPE_SYNC_REQUEST = 2;
    /** Offset of the control frame's type. */
    static final int TYPE_OFFSET = 0;
    /** Offset of the control frame's data stream id. */
    static final int STREAM_ID_OFFSET = 4;
    /** Offset of the control frame's receiver id. */
    static final int RECEIVER_ID_OFFSET = 8;
    /** Offset of the control frame's value. */
    static final int VALUE_OFFSET = 16;
    /** Offset of the control frame's log id. */
    static final int CONTROL_LOG_ID_OFFSET = 24;

    private static final ByteOrder ORDER = ByteOrder.LITTLE_ENDIAN;
    private static final int FLAGS_SHIFT = 56;
    private static final SecureRandom RANDOM = new SecureRandom();

    private FrameDescriptor()
    {
    }

    /**
     * A random identifier, never 0 (a log id, an incarnation, a receiver id).
     *
     * @return the id.
     */
    static long randomId()
    {
        long id = 0;
        while (id == 0)
        {
            id = RANDOM.nextLong();
        }
        return id;
    }

    static void putDataHeader(
        final MutableDirectBuffer buffer, final int offset, final long sequence, final int flags, final long logId)
    {
        buffer.putLong(offset + SEQUENCE_OFFSET, sequence | ((long)flags << FLAGS_SHIFT), ORDER);
        buffer.putLong(offset + LOG_ID_OFFSET, logId, ORDER);
    }

    static long sequence(final DirectBuffer buffer, final int offset)
    {
        return buffer.getLong(offset + SEQUENCE_OFFSET, ORDER) & MAX_SEQUENCE;
    }

    static int flags(final DirectBuffer buffer, final int offset)
    {
        return (int)(buffer.getLong(offset + SEQUENCE_OFFSET, ORDER) >>> FLAGS_SHIFT);
    }

    static long logId(final DirectBuffer buffer, final int offset)
    {
        return buffer.getLong(offset + LOG_ID_OFFSET, ORDER);
    }

    /**
     * A sync frame: where the stream resumes, and the request it answers.
     *
     * @param buffer     to write into, {@link #SYNC_LENGTH} bytes from {@code offset}.
     * @param offset     of the frame.
     * @param sequence   where the stream resumes.
     * @param flags      {@link #FLAG_SYNC}, with {@link #FLAG_UNRELIABLE} from a broadcast route.
     * @param logId      the sender's log id or incarnation.
     * @param receiverId the requesting receiver's id.
     * @param request    the request's count.
     */
    static void putSyncFrame(final MutableDirectBuffer buffer, final int offset, final long sequence, final int flags,
        final long logId, final long receiverId, final long request)
    {
        putDataHeader(buffer, offset, sequence, flags, logId);
        buffer.putLong(offset + SYNC_RECEIVER_ID_OFFSET, receiverId, ORDER);
        buffer.putLong(offset + SYNC_REQUEST_OFFSET, request, ORDER);
    }

    /**
     * Whether a fragment from a route's control stream is a control frame of that route's data stream: anything
     * else (malformed, or another stream's) is dropped, the network being untrusted.
     *
     * @param buffer       holding the fragment.
     * @param offset       of the fragment.
     * @param length       of the fragment.
     * @param dataStreamId the route's data stream.
     * @return true when it is.
     */
    static boolean isControlFrameFor(final DirectBuffer buffer, final int offset, final int length,
        final int dataStreamId)
    {
        return length == CONTROL_LENGTH && controlStreamId(buffer, offset) == dataStreamId;
    }

    static long syncReceiverId(final DirectBuffer buffer, final int offset)
    {
        return buffer.getLong(offset + SYNC_RECEIVER_ID_OFFSET, ORDER);
    }

    static long syncRequest(final DirectBuffer buffer, final int offset)
    {
        return buffer.getLong(offset + SYNC_REQUEST_OFFSET, ORDER);
    }

    /**
     * Bytes a message takes in a batch frame.
     *
     * @param messageLength the message's length.
     * @return its entry's length.
     */
    static int entryLength(final int messageLength)
    {
        return ENTRY_HEADER_LENGTH + messageLength;
    }

    static void putBatchCount(final MutableDirectBuffer buffer, final int offset, final int count)
    {
        buffer.putInt(offset + BATCH_COUNT_OFFSET, count, ORDER);
    }

    static void putEntryLength(final MutableDirectBuffer buffer, final int entryOffset, final int messageLength)
    {
        buffer.putInt(entryOffset, messageLength, ORDER);
    }

    /**
     * The message length of the batch entry at {@code entryOffset}, which {@link #batchCount} has checked.
     *
     * @param buffer      holding the frame.
     * @param entryOffset the entry's offset.
     * @return the length of its message.
     */
    static int entryMessageLength(final DirectBuffer buffer, final int entryOffset)
    {
        return buffer.getInt(entryOffset, ORDER);
    }

    /**
     * Check the structure of a batch frame from the network: a count of at least 1, every entry's length at least 0
     * and within the frame, and the entries ending exactly at the frame's end. (Whether a message fits the local
     * channel is the publisher's check, as for a single message.)
     *
     * @param buffer holding the frame.
     * @param offset of the frame.
     * @param length of the frame.
     * @return the count, or -1 when the frame is malformed.
     */
    static int batchCount(final DirectBuffer buffer, final int offset, final int length)
    {
        if (length < BATCH_HEADER_LENGTH + ENTRY_HEADER_LENGTH)
        {
            return -1;
        }
        final int count = buffer.getInt(offset + BATCH_COUNT_OFFSET, ORDER);
        final int end = offset + length;
        if (count < 1 || count > (length - BATCH_HEADER_LENGTH) / ENTRY_HEADER_LENGTH)
        {
            return -1;
        }
        int at = offset + BATCH_HEADER_LENGTH;
        for (int i = 0; i < count; i++)
        {
            if (end - at < ENTRY_HEADER_LENGTH)
            {
                return -1;
            }
            final int messageLength = buffer.getInt(at, ORDER);
            if (messageLength < 0 || messageLength > end - at - ENTRY_HEADER_LENGTH)
            {
                return -1;
            }
            at += ENTRY_HEADER_LENGTH + messageLength;
        }
        return at == end ? count : -1;
    }

    static void putControl(final MutableDirectBuffer buffer, final int type, final int streamId,
        final long receiverId, final long value, final long logId)
    {
        buffer.putInt(TYPE_OFFSET, type, ORDER);
        buffer.putInt(STREAM_ID_OFFSET, streamId, ORDER);
        buffer.putLong(RECEIVER_ID_OFFSET, receiverId, ORDER);
        buffer.putLong(VALUE_OFFSET, value, ORDER);
        buffer.putLong(CONTROL_LOG_ID_OFFSET, logId, ORDER);
    }

    static int controlType(final DirectBuffer buffer, final int offset)
    {
        return buffer.getInt(offset + TYPE_OFFSET, ORDER);
    }

    static int controlStreamId(final DirectBuffer buffer, final int offset)
    {
        return buffer.getInt(offset + STREAM_ID_OFFSET, ORDER);
    }

    static long controlReceiverId(final DirectBuffer buffer, final int offset)
    {
        return buffer.getLong(offset + RECEIVER_ID_OFFSET, ORDER);
    }

    static long controlValue(final DirectBuffer buffer, final int offset)
    {
        return buffer.getLong(offset + VALUE_OFFSET, ORDER);
    }

    static long controlLogId(final DirectBuffer buffer, final int offset)
    {
        return buffer.getLong(offset + CONTROL_LOG_ID_OFFSET, ORDER);
    }
}
