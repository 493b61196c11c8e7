package io.shmipc.bridge;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;


import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Batch frames come from the network: every way a frame can lie about its entries is refused before any of it is
 * used.
 */
class FrameDescriptorTest
{
    private static final int OFFSET = 8;

    private final UnsafeBuffer buffer = new UnsafeBuffer(new byte[256]);

    /**
     * A batch of messages of the given lengths at {@link #OFFSET}.
     *
     * @return the frame's length.
     */
    private int batch(final int... lengths)
    {
        FrameDescriptor.putDataHeader(buffer, OFFSET, 41, FrameDescriptor.FLAG_BATCH, 7);
        FrameDescriptor.putBatchCount(buffer, OFFSET, lengths.length);
        int at = OFFSET + FrameDescriptor.BATCH_HEADER_LENGTH;
        for (final int length : lengths)
        {
            FrameDescriptor.putEntryLength(buffer, at, length);
            at += FrameDescriptor.entryLength(length);
        }
        return at - OFFSET;
    }

    @Test
    void wellFormedBatchesGiveTheirCount()
    {
        assertEquals(3, FrameDescriptor.batchCount(buffer, OFFSET, batch(5, 0, 17)));
        assertEquals(1, FrameDescriptor.batchCount(buffer, OFFSET, batch(0)));
        assertEquals(41, FrameDescriptor.sequence(buffer, OFFSET));
        assertEquals(FrameDescriptor.FLAG_BATCH, FrameDescriptor.flags(buffer, OFFSET));
        assertEquals(17, FrameDescriptor.entryMessageLength(buffer, OFFSET + FrameDescriptor.BATCH_HEADER_LENGTH +
            FrameDescriptor.entryLength(5) + FrameDescriptor.entryLength(0)));
    }

    @Test
    void malformedBatchesAreRefused()
    {
        final int length = batch(5, 9);
        assertEquals(-1, FrameDescriptor.batchCount(buffer, OFFSET, length - 1), "last entry cut short");
        assertEquals(-1, FrameDescriptor.batchCount(buffer, OFFSET, length + 3), "bytes after the last entry");
        assertEquals(-1, FrameDescriptor.batchCount(buffer, OFFSET, FrameDescriptor.BATCH_HEADER_LENGTH), "no entry");
        assertEquals(-1, FrameDescriptor.batchCount(buffer, OFFSET, FrameDescriptor.DATA_HEADER_LENGTH), "no count");

        FrameDescriptor.putBatchCount(buffer, OFFSET, 3);
        assertEquals(-1, FrameDescriptor.batchCount(buffer, OFFSET, length), "count above the entries");
        FrameDescriptor.putBatchCount(buffer, OFFSET, 1);
        assertEquals(-1, FrameDescriptor.batchCount(buffer, OFFSET, length), "count below the entries");
        FrameDescriptor.putBatchCount(buffer, OFFSET, 0);
        assertEquals(-1, FrameDescriptor.batchCount(buffer, OFFSET, length), "count 0");
        FrameDescriptor.putBatchCount(buffer, OFFSET, Integer.MAX_VALUE);
        assertEquals(-1, FrameDescriptor.batchCount(buffer, OFFSET, length), "huge count");
        FrameDescriptor.putBatchCount(buffer, OFFSET, -2);
        assertEquals(-1, FrameDescriptor.batchCount(buffer, OFFSET, length), "negative count");

        batch(5, 9);
        FrameDescriptor.putEntryLength(buffer, OFFSET + FrameDescriptor.BATCH_HEADER_LENGTH, -4);
        assertEquals(-1, FrameDescriptor.batchCount(buffer, OFFSET, length), "negative entry length");
        FrameDescriptor.putEntryLength(buffer, OFFSET + FrameDescriptor.BATCH_HEADER_LENGTH, Integer.MAX_VALUE);
        assertEquals(-1, FrameDescriptor.batchCount(buffer, OFFSET, length), "entry length past the frame");
    }
}
