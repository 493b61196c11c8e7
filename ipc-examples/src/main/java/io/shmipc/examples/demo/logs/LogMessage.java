package io.shmipc.examples.demo.logs;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

import java.nio.charset.StandardCharsets;

/**
 * Flyweight over one message of the {@code logs} channel, in the host's byte order: a 40-byte header, the source
 * name, then the text (UTF-8, the rest of the message).
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +---------------------------------------------------------------+
 *  |                  Type (32): 1 LINE, 2 END                     |
 *  +---------------------------------------------------------------+
 *  |        Level (32): 0 TRACE, 1 DEBUG, 2 INFO, 3 WARN, 4 ERROR  |
 *  +---------------------------------------------------------------+
 *  |           Timestamp (64): milliseconds since the epoch        |
 *  |                                                               |
 *  +---------------------------------------------------------------+
 *  |   Sequence (64): 1, 2, ... per shipper; END: lines shipped    |
 *  |                                                               |
 *  +---------------------------------------------------------------+
 *  |         Shipper Id (64): pid in the high 32 bits, random low  |
 *  |                                                               |
 *  +---------------------------------------------------------------+
 *  |                     Source Length (32)                        |
 *  +---------------------------------------------------------------+
 *  |                        Reserved (32)                          |
 *  +---------------------------------------------------------------+
 *  |                   Source (UTF-8, Source Length)              ...
 *  +---------------------------------------------------------------+
 *  |                Text (UTF-8, to the end of the message)       ...
 *  +---------------------------------------------------------------+
 * </pre>
 */
final class LogMessage
{
    static final int TYPE_OFFSET = 0;
    static final int LEVEL_OFFSET = 4;
    static final int TIMESTAMP_OFFSET = 8;
    static final int SEQUENCE_OFFSET = 16;
    static final int SHIPPER_ID_OFFSET = 24;
    static final int SOURCE_LENGTH_OFFSET = 32;
    static final int HEADER_LENGTH = 40;

    static final int TYPE_LINE = 1;
    static final int TYPE_END = 2;
    static final String[] LEVELS = {"TRACE", "DEBUG", "INFO", "WARN", "ERROR"};

    private DirectBuffer buffer;
    private int offset;
    private int length;

    LogMessage wrap(final DirectBuffer buffer, final int offset, final int length)
    {
        this.buffer = buffer;
        this.offset = offset;
        this.length = length;
        return this;
    }

    /**
     * Whether the header and the source fit in the message.
     *
     * @return true for a well-formed message.
     */
    boolean isValid()
    {
        if (length < HEADER_LENGTH)
        {
            return false;
        }
        final int sourceLength = sourceLength();
        return sourceLength >= 0 && sourceLength <= length - HEADER_LENGTH;
    }

    DirectBuffer buffer()
    {
        return buffer;
    }

    int type()
    {
        return buffer.getInt(offset + TYPE_OFFSET);
    }

    int level()
    {
        return buffer.getInt(offset + LEVEL_OFFSET);
    }

    long timestampMillis()
    {
        return buffer.getLong(offset + TIMESTAMP_OFFSET);
    }

    long sequence()
    {
        return buffer.getLong(offset + SEQUENCE_OFFSET);
    }

    long shipperId()
    {
        return buffer.getLong(offset + SHIPPER_ID_OFFSET);
    }

    int sourceLength()
    {
        return buffer.getInt(offset + SOURCE_LENGTH_OFFSET);
    }

    String source()
    {
        return buffer.getStringWithoutLengthUtf8(offset + HEADER_LENGTH, sourceLength());
    }

    int textOffset()
    {
        return offset + HEADER_LENGTH + sourceLength();
    }

    int textLength()
    {
        return length - HEADER_LENGTH - sourceLength();
    }

    /**
     * Write a whole message: header, source and text.
     *
     * @param type      {@link #TYPE_LINE} or {@link #TYPE_END}.
     * @param level     index into {@link #LEVELS}.
     * @param sequence  the shipper's sequence number.
     * @param shipperId the shipper's id.
     * @param source    the source name, UTF-8.
     * @param text      the text, UTF-8.
     * @param textLength bytes of {@code text} to write.
     * @return the message length.
     */
    int encode(
        final int type,
        final int level,
        final long sequence,
        final long shipperId,
        final byte[] source,
        final byte[] text,
        final int textLength)
    {
        final MutableDirectBuffer out = (MutableDirectBuffer)buffer;
        out.putInt(offset + TYPE_OFFSET, type);
        out.putInt(offset + LEVEL_OFFSET, level);
        out.putLong(offset + TIMESTAMP_OFFSET, System.currentTimeMillis());
        out.putLong(offset + SEQUENCE_OFFSET, sequence);
        out.putLong(offset + SHIPPER_ID_OFFSET, shipperId);
        out.putInt(offset + SOURCE_LENGTH_OFFSET, source.length);
        out.putInt(offset + SOURCE_LENGTH_OFFSET + 4, 0);
        out.putBytes(offset + HEADER_LENGTH, source);
        out.putBytes(offset + HEADER_LENGTH + source.length, text, 0, textLength);
        return HEADER_LENGTH + source.length + textLength;
    }

    static String levelName(final int level)
    {
        return level >= 0 && level < LEVELS.length ? LEVELS[level] : "LEVEL" + level;
    }

    static byte[] utf8(final String text)
    {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
