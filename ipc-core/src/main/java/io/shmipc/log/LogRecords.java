package io.shmipc.log;

import io.shmipc.BatchingPublisher;
import org.agrona.DirectBuffer;

import java.nio.ByteOrder;

import static io.shmipc.layout.LogBufferDescriptor.*;

/**
 * The checks every reader of a log record makes, the publisher included: whether a header word is the complete
 * record for a position, and how many messages a record holds.
 */
final class LogRecords
{
    private LogRecords()
    {
    }

    /**
     * Whether a header word read at a position is the complete record for that position: its lap and a known type,
     * and a length that fits (a padding record exactly to the end of the buffer, any other within the buffer and the
     * channel's record limit).
     *
     * @param word            the header word.
     * @param position        the position it was read at.
     * @param capacityLog     log2 of the capacity.
     * @param capacity        the capacity.
     * @param maxRecordLength header plus the channel's longest message.
     * @return true for the record of that position.
     */
    static boolean isRecordFor(
        final long word, final long position, final int capacityLog, final int capacity, final int maxRecordLength)
    {
        final int type = type(word);
        if (type == 0 || (int)(word >>> 32) != lapAndType(position, capacityLog, type))
        {
            return false;
        }
        final int length = recordLength(word);
        final int toEnd = capacity - ((int)position & (capacity - 1));
        if (type == TYPE_PADDING)
        {
            return length == toEnd;
        }
        return length >= HEADER_LENGTH && length <= maxRecordLength && alignedLength(length) <= toEnd;
    }

    /**
     * The bytes a valid record takes: a padding record's length, any other's aligned length.
     */
    static int span(final long word)
    {
        return type(word) == TYPE_PADDING ? recordLength(word) : alignedLength(recordLength(word));
    }

    /**
     * The rule a log's Oldest and Tail Positions keep, as an error states it.
     *
     * @param capacity the log's capacity.
     * @return the rule.
     */
    static String positionsRule(final int capacity)
    {
        return "multiples of " + ALIGNMENT + " from 0 to 2^62 with oldest <= tail <= oldest + capacity " + capacity;
    }

    /**
     * What a header word holds, for messages.
     */
    static String describe(final long word, final long position)
    {
        return "header word 0x" + Long.toHexString(word) + " (length " + recordLength(word) + ", lap and type 0x" +
            Integer.toHexString((int)(word >>> 32)) + ") at position " + position;
    }

    /**
     * The messages of a batch payload, or -1 when its entries do not fill it exactly.
     *
     * @param buffer holding the payload.
     * @param offset of the payload.
     * @param length of the payload.
     * @return entries, or -1.
     */
    static int batchEntries(final DirectBuffer buffer, final int offset, final int length)
    {
        final int end = offset + length;
        int entry = offset;
        int entries = 0;
        while (entry < end)
        {
            if (entry + BatchingPublisher.ENTRY_HEADER_LENGTH > end)
            {
                return -1;
            }
            final int messageLength = buffer.getInt(entry, ByteOrder.LITTLE_ENDIAN);
            final int payload = entry + BatchingPublisher.ENTRY_HEADER_LENGTH;
            if (messageLength < 0 || messageLength > end - payload)
            {
                return -1;
            }
            entry = payload + messageLength;
            entries++;
        }
        return entries;
    }
}
