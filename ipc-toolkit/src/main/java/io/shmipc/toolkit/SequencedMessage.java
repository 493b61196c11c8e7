package io.shmipc.toolkit;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * The numbered message the benchmark harness and the system tests send: a header naming its source, sequence,
 * phase and send time and the length and CRC32 of its payload, then the payload. All integers little-endian, as
 * Agrona buffers write them; a message may be longer than its header and payload (the rest is left as it is).
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +---------------------------------------------------------------+
 *  |                       Sequence (long)                         |   0
 *  |                                                               |
 *  +-------------------------------+-------------------------------+
 *  |          Source (int)         |          Phase (int)          |   8
 *  +-------------------------------+-------------------------------+
 *  |        Send Time (long, System.nanoTime(), 0 when unset)      |  16
 *  |                                                               |
 *  +-------------------------------+-------------------------------+
 *  |     Payload Length (int)      |     Payload CRC32 (int)       |  24
 *  +-------------------------------+-------------------------------+
 *  |                   Payload (Payload Length bytes)              |  32
 *  |                              ...                              |
 *  +---------------------------------------------------------------+
 * </pre>
 * How a stream ends is the sender's convention: the system tests send {@link #END_OF_STREAM} as the sequence, the
 * harness sends {@link #PHASE_END} with its count of data messages as the send time.
 */
public final class SequencedMessage
{
    /** Sequence of the message that ends a test stream. */
    public static final long END_OF_STREAM = -1;
    /** Phase of messages sent while warming up (and of test messages): delivered and counted, never measured. */
    public static final int PHASE_WARMUP = 0;
    /** Phase of messages sent while measuring. */
    public static final int PHASE_MEASURE = 1;
    /** Phase of a harness producer's last message. */
    public static final int PHASE_END = 2;

    /** Offset of the sequence. */
    public static final int SEQUENCE_OFFSET = 0;
    /** Offset of the source id. */
    public static final int SOURCE_OFFSET = SEQUENCE_OFFSET + Long.BYTES;
    /** Offset of the phase. */
    public static final int PHASE_OFFSET = SOURCE_OFFSET + Integer.BYTES;
    /** Offset of the send time. */
    public static final int SEND_TIME_OFFSET = PHASE_OFFSET + Integer.BYTES;
    /** Offset of the payload length. */
    public static final int PAYLOAD_LENGTH_OFFSET = SEND_TIME_OFFSET + Long.BYTES;
    /** Offset of the payload CRC32. */
    public static final int CRC_OFFSET = PAYLOAD_LENGTH_OFFSET + Integer.BYTES;
    /** Length of the header, 32; the payload follows. */
    public static final int HEADER_LENGTH = CRC_OFFSET + Integer.BYTES;

    private SequencedMessage()
    {
    }

    /**
     * Write a header with a payload description and no phase or send time.
     *
     * @param buffer        the destination.
     * @param offset        where the message starts.
     * @param sequence      the sequence number.
     * @param source        the source id.
     * @param payloadLength payload bytes that follow the header.
     * @param crc           CRC32 of the payload.
     */
    public static void writeHeader(
        final MutableDirectBuffer buffer,
        final int offset,
        final long sequence,
        final int source,
        final int payloadLength,
        final int crc)
    {
        write(buffer, offset, sequence, source, PHASE_WARMUP, 0);
        buffer.putInt(offset + PAYLOAD_LENGTH_OFFSET, payloadLength);
        buffer.putInt(offset + CRC_OFFSET, crc);
    }

    /**
     * Write the timing fields of a header (the payload fields are left as they are).
     *
     * @param buffer   the destination.
     * @param offset   where the message starts.
     * @param sequence the sequence number.
     * @param source   the source id.
     * @param phase    the phase.
     * @param sendTime the send time, or 0.
     */
    public static void write(
        final MutableDirectBuffer buffer,
        final int offset,
        final long sequence,
        final int source,
        final int phase,
        final long sendTime)
    {
        buffer.putLong(offset + SEQUENCE_OFFSET, sequence);
        buffer.putInt(offset + SOURCE_OFFSET, source);
        buffer.putInt(offset + PHASE_OFFSET, phase);
        buffer.putLong(offset + SEND_TIME_OFFSET, sendTime);
    }

    /**
     * The sequence of a message.
     *
     * @param buffer holding the message.
     * @param offset where it starts.
     * @return the sequence.
     */
    public static long sequence(final DirectBuffer buffer, final int offset)
    {
        return buffer.getLong(offset + SEQUENCE_OFFSET);
    }

    /**
     * The source of a message.
     *
     * @param buffer holding the message.
     * @param offset where it starts.
     * @return the source id.
     */
    public static int source(final DirectBuffer buffer, final int offset)
    {
        return buffer.getInt(offset + SOURCE_OFFSET);
    }

    /**
     * The phase of a message.
     *
     * @param buffer holding the message.
     * @param offset where it starts.
     * @return the phase.
     */
    public static int phase(final DirectBuffer buffer, final int offset)
    {
        return buffer.getInt(offset + PHASE_OFFSET);
    }

    /**
     * The send time of a message.
     *
     * @param buffer holding the message.
     * @param offset where it starts.
     * @return {@code System.nanoTime()} of the sender, or 0.
     */
    public static long sendTime(final DirectBuffer buffer, final int offset)
    {
        return buffer.getLong(offset + SEND_TIME_OFFSET);
    }

    /**
     * The payload length a message declares.
     *
     * @param buffer holding the message.
     * @param offset where it starts.
     * @return bytes.
     */
    public static int payloadLength(final DirectBuffer buffer, final int offset)
    {
        return buffer.getInt(offset + PAYLOAD_LENGTH_OFFSET);
    }

    /**
     * The payload CRC32 a message declares.
     *
     * @param buffer holding the message.
     * @param offset where it starts.
     * @return the CRC32, as an int.
     */
    public static int crc(final DirectBuffer buffer, final int offset)
    {
        return buffer.getInt(offset + CRC_OFFSET);
    }
}
