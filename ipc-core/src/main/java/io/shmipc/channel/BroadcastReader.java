package io.shmipc.channel;

import io.shmipc.exceptions.CorruptRegionException;
import io.shmipc.layout.ChannelDescriptor;
import org.agrona.BitUtil;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.broadcast.BroadcastBufferDescriptor;
import org.agrona.concurrent.broadcast.RecordDescriptor;
import org.agrona.concurrent.ringbuffer.RingBuffer;

import java.lang.invoke.VarHandle;

/**
 * One receiver's cursor over a broadcast buffer (Agrona's broadcast layout, see docs/layout.md "Receiving"). It
 * starts at the newest record; {@link #next(long)} finds the record after the last one accepted (jumping to the newest
 * when the transmitter has already overwritten it), the caller copies the record out and asks {@link #isIntact()}
 * whether the transmitter overwrote it meanwhile; {@link #accept()} moves past an intact record and
 * {@link #restart()} starts again from the newest one after a torn read. Nothing here allocates: a receiver that is
 * lapped over and over reuses its one cursor.
 * <p>
 * The counters are validated as they are read: each must be a position ({@link ChannelDescriptor#isPosition}); the
 * tail never goes back behind a tail read before; the newest record starts at most a padding (less than a capacity)
 * beyond a tail read after it (the transmitter stores Latest past the padding before it moves the tail);
 * the tail intent, read before a tail, is at most two capacities ahead of it (a record and a padding). An intact
 * padding record runs exactly to the end of the buffer. What fails is reported to the channel's {@link ChannelHealth}.
 * The length of a data record is the caller's to check, after {@link #isIntact()}: a torn length is expected, an
 * impossible one in an intact record is corruption.
 */
final class BroadcastReader
{
    private final UnsafeBuffer buffer;
    private final int capacity;
    private final int tailIntentIndex;
    private final int tailIndex;
    private final int latestIndex;
    private final ChannelHealth health;

    private long nextPosition;
    private long lastTail;
    private long position;
    private int index;
    private int length;
    private int typeId;

    BroadcastReader(final UnsafeBuffer buffer, final int capacity, final ChannelHealth health)
    {
        this.buffer = buffer;
        this.capacity = capacity;
        this.tailIntentIndex = capacity + BroadcastBufferDescriptor.TAIL_INTENT_COUNTER_OFFSET;
        this.tailIndex = capacity + BroadcastBufferDescriptor.TAIL_COUNTER_OFFSET;
        this.latestIndex = capacity + BroadcastBufferDescriptor.LATEST_COUNTER_OFFSET;
        this.health = health;
        this.nextPosition = newest();
    }

    /**
     * The tail counter, read with a volatile load and checked.
     *
     * @return the tail.
     */
    long readTail()
    {
        final long tail = buffer.getLongVolatile(tailIndex);
        if (!ChannelDescriptor.isPosition(tail) || tail < lastTail)
        {
            throw positions("a position, never behind a tail read before, " + lastTail, "tail=" + tail);
        }
        lastTail = tail;
        return tail;
    }

    /**
     * Find the next record: the one after the last accepted, or the newest one when that was overwritten already.
     * Padding at the end of the buffer is skipped. The record's header may be torn until {@link #isIntact()} says
     * otherwise.
     *
     * @param tail the tail counter, from {@link #readTail()}.
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
            position = newest(); // lapped before it began
        }
        int index = (int)position & (capacity - 1);
        if (buffer.getInt(RecordDescriptor.typeOffset(index)) == RingBuffer.PADDING_MSG_TYPE_ID)
        {
            final int padding = buffer.getInt(RecordDescriptor.lengthOffset(index));
            VarHandle.acquireFence();
            if (!isAvailable(position))
            {
                position = newest(); // what looked like padding was being overwritten
            }
            else if (padding != capacity - index)
            {
                throw health.fail(ChannelDescriptor.FAILURE_RECORD, "record",
                    "padding running to the end of capacity " + capacity, "length=" + padding + " at offset " + index);
            }
            else
            {
                position += padding; // the record is at index 0
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
     * Move past the record found by {@link #next(long)}, once it proved intact and its length valid.
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
        nextPosition = newest();
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
     * Where the record starts in the buffer.
     *
     * @return the index.
     */
    int recordIndex()
    {
        return index;
    }

    /**
     * The position of the newest complete record, checked against the tail intent read before it and the tail read
     * after it.
     */
    private long newest()
    {
        final long intent = buffer.getLongVolatile(tailIntentIndex);
        final long latest = buffer.getLongVolatile(latestIndex);
        final long tail = buffer.getLongVolatile(tailIndex);
        if (!ChannelDescriptor.isPosition(intent) || !ChannelDescriptor.isPosition(latest) ||
            !ChannelDescriptor.isPosition(tail) || latest - tail > capacity || intent - tail > 2L * capacity ||
            tail < lastTail)
        {
            throw positions("multiples of 8 from 0 to 2^62 with latest at most a padding (capacity " + capacity +
                ") beyond the tail read after it and a tail intent at most two capacities beyond it",
                "tailIntent=" + intent + " latest=" + latest + " tail=" + tail);
        }
        lastTail = tail;
        return latest;
    }

    private boolean isAvailable(final long position)
    {
        return position + capacity > buffer.getLongVolatile(tailIntentIndex);
    }

    private CorruptRegionException positions(final String expected, final String actual)
    {
        return health.fail(ChannelDescriptor.FAILURE_POSITIONS, "positions", expected, actual);
    }
}
