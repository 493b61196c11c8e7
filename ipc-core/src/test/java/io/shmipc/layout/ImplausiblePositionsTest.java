package io.shmipc.layout;

import io.shmipc.ChannelKind;
import org.agrona.concurrent.ringbuffer.RingBufferDescriptor;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * The position check made at attach: a ring's Head and a log's Oldest Position must lie within a capacity below the
 * Tail, as docs/layout.md states for each.
 */
class ImplausiblePositionsTest
{
    private static final int CAPACITY = 1024;

    @Test
    void aRingsHeadMustBeWithinACapacityBelowItsTail()
    {
        final UnsafeBuffer buffer = buffer(RingBufferDescriptor.TRAILER_LENGTH);
        positions(buffer, RingBufferDescriptor.HEAD_POSITION_OFFSET, 4096, RingBufferDescriptor.TAIL_POSITION_OFFSET,
            4096 + CAPACITY);
        assertNull(ChannelDescriptor.implausiblePositions(ChannelKind.ONE_TO_ONE, buffer, CAPACITY));
        positions(buffer, RingBufferDescriptor.HEAD_POSITION_OFFSET, 4096, RingBufferDescriptor.TAIL_POSITION_OFFSET,
            4096 + 4L * CAPACITY);
        assertEquals("head=4096 tail=8192",
            ChannelDescriptor.implausiblePositions(ChannelKind.MANY_TO_ONE, buffer, CAPACITY));
    }

    @Test
    void aLogsOldestPositionMustBeWithinACapacityBelowItsTail()
    {
        final UnsafeBuffer buffer = buffer(LogBufferDescriptor.TRAILER_LENGTH);
        positions(buffer, LogBufferDescriptor.OLDEST_POSITION_OFFSET, 2048, LogBufferDescriptor.TAIL_POSITION_OFFSET,
            2048 + CAPACITY);
        assertNull(ChannelDescriptor.implausiblePositions(ChannelKind.PUBLISH_SUBSCRIBE, buffer, CAPACITY));
        positions(buffer, LogBufferDescriptor.OLDEST_POSITION_OFFSET, 2048, LogBufferDescriptor.TAIL_POSITION_OFFSET,
            1024);
        assertEquals("oldest=2048 tail=1024",
            ChannelDescriptor.implausiblePositions(ChannelKind.PUBLISH_SUBSCRIBE, buffer, CAPACITY));
        positions(buffer, LogBufferDescriptor.OLDEST_POSITION_OFFSET, 0, LogBufferDescriptor.TAIL_POSITION_OFFSET,
            CAPACITY + 16);
        assertEquals("oldest=0 tail=1040",
            ChannelDescriptor.implausiblePositions(ChannelKind.PUBLISH_SUBSCRIBE, buffer, CAPACITY));
    }

    private static UnsafeBuffer buffer(final int trailerLength)
    {
        return new UnsafeBuffer(new byte[CAPACITY + trailerLength]);
    }

    private static void positions(final UnsafeBuffer buffer, final int lowerOffset, final long lower,
        final int tailOffset, final long tail)
    {
        buffer.putLong(CAPACITY + lowerOffset, lower);
        buffer.putLong(CAPACITY + tailOffset, tail);
    }
}
