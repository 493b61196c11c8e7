package io.shmipc.tests.support;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * The message the system tests send: a header naming its source and sequence and the length and CRC32 of its
 * payload, then the payload. All integers little-endian, as Agrona buffers write them.
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +---------------------------------------------------------------+
 *  |            Sequence (long; -1 marks the end of a stream)      |   0
 *  |                                                               |
 *  +-------------------------------+-------------------------------+
 *  |          Source (int)         |     Payload Length (int)      |   8
 *  +-------------------------------+-------------------------------+
 *  |      Payload CRC32 (int)      |        Reserved (int)         |  16
 *  +-------------------------------+-------------------------------+
 *  |                     Payload (Payload Length bytes)            |  24
 *  |                              ...                              |
 *  +---------------------------------------------------------------+
 * </pre>
 */
public final class SequencedMessage
{
    /** Sequence number of the message that ends a source's stream. */
    public static final long END_OF_STREAM = -1;

    /** Offset of the sequence. */
    public static final int SEQUENCE_OFFSET = 0;
    /** Offset of the source id. */
    public static final int SOURCE_OFFSET = 8;
    /** Offset of the payload length. */
    public static final int PAYLOAD_LENGTH_OFFSET = 12;
    /** Offset of the payload CRC32. */
    public static final int CRC_OFFSET = 16;
    /** Length of the header; the payload follows. */
    public static final int HEADER_LENGTH = 24;

    private SequencedMessage()
    {
    }

    /**
     * Write a header.
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
        buffer.putLong(offset + SEQUENCE_OFFSET, sequence);
        buffer.putInt(offset + SOURCE_OFFSET, source);
        buffer.putInt(offset + PAYLOAD_LENGTH_OFFSET, payloadLength);
        buffer.putInt(offset + CRC_OFFSET, crc);
        buffer.putInt(offset + CRC_OFFSET + Integer.BYTES, 0);
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
}
