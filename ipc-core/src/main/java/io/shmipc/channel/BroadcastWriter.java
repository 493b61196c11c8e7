package io.shmipc.channel;

import io.shmipc.layout.ChannelDescriptor;
import org.agrona.BitUtil;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.broadcast.BroadcastBufferDescriptor;
import org.agrona.concurrent.broadcast.RecordDescriptor;
import org.agrona.concurrent.ringbuffer.RingBuffer;

import java.lang.invoke.VarHandle;

/**
 * The transmitting side of a broadcast channel, over Agrona's broadcast layout (docs/layout.md, "Transmitting"): the
 * tail intent first, padding at the end of the buffer when a record does not fit, the record, then the latest and
 * tail counters.
 * <p>
 * The transmitter is the only writer of the three counters, so it keeps the tail in a field, reads nothing of them on
 * the way, and checks that the trailer still holds the tail it wrote (one load from a line it owns): a tail changed
 * by anyone else fails the channel.
 */
final class BroadcastWriter
{
    private final UnsafeBuffer buffer;
    private final int capacity;
    private final int tailIntentIndex;
    private final int tailIndex;
    private final int latestIndex;
    private final ChannelHealth health;
    private long tail;

    BroadcastWriter(final UnsafeBuffer buffer, final int capacity, final ChannelHealth health)
    {
        this.buffer = buffer;
        this.capacity = capacity;
        this.tailIntentIndex = capacity + BroadcastBufferDescriptor.TAIL_INTENT_COUNTER_OFFSET;
        this.tailIndex = capacity + BroadcastBufferDescriptor.TAIL_COUNTER_OFFSET;
        this.latestIndex = capacity + BroadcastBufferDescriptor.LATEST_COUNTER_OFFSET;
        this.health = health;
        final long latest = buffer.getLongVolatile(latestIndex);
        final long tail = buffer.getLongVolatile(tailIndex);
        final long intent = buffer.getLongVolatile(tailIntentIndex);
        // A predecessor that died while transmitting may have left the intent up to a record and a padding ahead,
        // and Latest up to a padding ahead of the tail (it stores Latest past the padding before the tail).
        if (!ChannelDescriptor.isPosition(latest) || !ChannelDescriptor.isPosition(tail) ||
            Math.abs(tail - latest) > capacity || !ChannelDescriptor.isWindow(tail, intent, 2 * capacity))
        {
            throw positions(latest, tail, intent);
        }
        this.tail = tail;
    }

    /**
     * Transmit one record.
     *
     * @param typeId the record's type id, above 0.
     * @param source the payload.
     * @param offset of its first byte.
     * @param length payload bytes, within the channel's limit.
     */
    void transmit(final int typeId, final DirectBuffer source, final int offset, final int length)
    {
        long tail = this.tail;
        final long shared = buffer.getLong(tailIndex);
        if (shared != tail)
        {
            throw health.fail(ChannelDescriptor.FAILURE_POSITIONS, "positions",
                "the tail counter its only transmitter wrote, " + tail, "tail=" + shared);
        }
        int recordIndex = (int)tail & (capacity - 1);
        final int recordLength = length + RecordDescriptor.HEADER_LENGTH;
        final int aligned = BitUtil.align(recordLength, RecordDescriptor.RECORD_ALIGNMENT);
        final int toEnd = capacity - recordIndex;
        if (toEnd < aligned)
        {
            signalIntent(tail + toEnd + aligned);
            buffer.putInt(RecordDescriptor.lengthOffset(recordIndex), toEnd);
            buffer.putInt(RecordDescriptor.typeOffset(recordIndex), RingBuffer.PADDING_MSG_TYPE_ID);
            tail += toEnd;
            recordIndex = 0;
        }
        else
        {
            signalIntent(tail + aligned);
        }
        buffer.putInt(RecordDescriptor.lengthOffset(recordIndex), recordLength);
        buffer.putInt(RecordDescriptor.typeOffset(recordIndex), typeId);
        buffer.putBytes(RecordDescriptor.msgOffset(recordIndex), source, offset, length);
        buffer.putLongRelease(latestIndex, tail);
        final long newTail = tail + aligned;
        buffer.putLongRelease(tailIndex, newTail);
        this.tail = newTail;
    }

    private void signalIntent(final long intent)
    {
        buffer.putLongRelease(tailIntentIndex, intent);
        VarHandle.releaseFence();
    }

    private io.shmipc.exceptions.CorruptRegionException positions(final long latest, final long tail,
        final long intent)
    {
        return health.fail(ChannelDescriptor.FAILURE_POSITIONS, "positions",
            "multiples of 8 from 0 to 2^62 with tail and latest at most capacity " + capacity + " apart" +
            " and tail <= tail intent <= tail + 2 x capacity", "latest=" + latest + " tail=" + tail + " tailIntent=" +
            intent);
    }
}
