package io.shmipc.channel;

import org.agrona.BitUtil;
import org.agrona.concurrent.AtomicBuffer;
import org.agrona.concurrent.broadcast.BroadcastBufferDescriptor;
import org.agrona.concurrent.broadcast.RecordDescriptor;
import org.agrona.concurrent.ringbuffer.RingBuffer;

import java.lang.invoke.VarHandle;

/**
 * One receiver's cursor over a broadcast buffer (Agrona's broadcast layout, see docs/layout.md "Receiving"). It
 * starts at the newest record; {@link #next()} finds the record after the last one accepted (jumping to the newest
 * when the transmitter has already overwritten it), the caller copies the record out and asks {@link #isIntact()}
 * whether the transmitter overwrote it meanwhile; {@link #accept()} moves past an intact record and
 * {@link #restart()} starts again from the newest one after a torn read. Nothing here allocates: a receiver that is
 * lapped over and over reuses its one cursor.
 */
final class BroadcastReader
{
    private final AtomicBuffer buffer;
    private final int capacity;
    private final int tailIntentIndex;
    private final int tailIndex;
    private final int latestIndex;

    private long nextPosition;
    private long position;
    private int index;
    private int length;
    private int typeId;
    private long restarts;

    BroadcastReader(final AtomicBuffer buffer, final int capacity)
    {
        this.buffer = buffer;
        this.capacity = capacity;
        this.tailIntentIndex = capacity + BroadcastBufferDescriptor.TAIL_INTENT_COUNTER_OFFSET;
        this.tailIndex = capacity + BroadcastBufferDescriptor.TAIL_COUNTER_OFFSET;
        this.latestIndex = capacity + BroadcastBufferDescriptor.LATEST_COUNTER_OFFSET;
        this.nextPosition = buffer.getLongVolatile(latestIndex);
    }

    /**
     * Find the next record: the one after the last accepted, or the newest one when that was overwritten already.
     * Padding at the end of the buffer is skipped. The record's header may be torn until {@link #isIntact()} says
     * otherwise.
     *
     * @param tail the tail counter, read with a volatile load.
     * @return true when a record is there.
     */
    boolean next(final long tail)
    {
        if (tail <= nextPosition)
        {
            return false;
        }
        long position = nextPosition;
        if (!isAvailable(position))
        {
            restarts++;
            position = buffer.getLongVolatile(latestIndex);
        }
        int index = (int)position & (capacity - 1);
        if (buffer.getInt(RecordDescriptor.typeOffset(index)) == RingBuffer.PADDING_MSG_TYPE_ID)
        {
            VarHandle.acquireFence();
            if (isAvailable(position))
            {
                position += capacity - index; // the padding runs to the end: the record is at index 0
            }
            else
            {
                restarts++; // what looked like padding was being overwritten
                position = buffer.getLongVolatile(latestIndex);
            }
            index = (int)position & (capacity - 1);
        }
        this.position = position;
        this.index = index;
        this.length = buffer.getInt(RecordDescriptor.lengthOffset(index));
        this.typeId = buffer.getInt(RecordDescriptor.typeOffset(index));
        return true;
    }

    /**
     * Whether the record found by {@link #next(long)} was still intact after the caller read it: the transmitter
     * had not begun to overwrite it.
     *
     * @return true when what was read is the record.
     */
    boolean isIntact()
    {
        VarHandle.acquireFence();
        return isAvailable(position);
    }

    /**
     * Move past the record found by {@link #next(long)}, once it proved intact.
     */
    void accept()
    {
        nextPosition = position + BitUtil.align(length, RecordDescriptor.RECORD_ALIGNMENT);
    }

    /**
     * Start again from the newest record, after a torn read: the record, and where the next one starts, can no
     * longer be trusted.
     */
    void restart()
    {
        restarts++;
        nextPosition = buffer.getLongVolatile(latestIndex);
    }

    /**
     * The record's length, header included, as read by {@link #next(long)}.
     *
     * @return bytes.
     */
    int length()
    {
        return length;
    }

    /**
     * The record's type id, as read by {@link #next(long)}.
     *
     * @return the type id.
     */
    int typeId()
    {
        return typeId;
    }

    /**
     * Where the record's payload starts in the buffer.
     *
     * @return the index.
     */
    int payloadIndex()
    {
        return RecordDescriptor.msgOffset(index);
    }

    /**
     * How many times this reader started again from the newest record because it was lapped.
     *
     * @return restarts.
     */
    long restarts()
    {
        return restarts;
    }

    private boolean isAvailable(final long position)
    {
        return position + capacity > buffer.getLongVolatile(tailIntentIndex);
    }
}
