package io.shmipc.channel;

import io.shmipc.layout.ChannelDescriptor;
import org.agrona.BitUtil;
import org.agrona.concurrent.AtomicBuffer;

/**
 * The claim of a {@link io.shmipc.ChannelKind#MANY_TO_ONE} publisher (docs/layout.md, "MANY_TO_ONE publish"):
 * publishers race for space with a compare-and-set on the tail, keeping a shared cache of the head so that they read
 * the subscriber's head only when the cached one says the ring is full. The subscriber zeroes what it consumed, so a
 * claim moves the tail first and writes its header after.
 */
final class ManyToOneRingWriter extends RingWriter
{
    /** What {@link #readHeadBehind} returns when the tail read before the head is out of date. */
    private static final long STALE_TAIL = -1;

    ManyToOneRingWriter(final AtomicBuffer buffer, final int capacity, final ChannelHealth health)
    {
        super(buffer, capacity, health);
    }

    @Override
    int claim(final int typeId, final int length)
    {
        final int recordLength = length + HEADER_LENGTH;
        final int required = BitUtil.align(recordLength, ALIGNMENT);
        final long headCache = buffer.getLongVolatile(headCacheIndex);
        long head = headCache;
        long tail;
        long newTail;
        int tailIndex;
        int padding;
        int writeIndex;
        while (true)
        {
            tail = buffer.getLongVolatile(this.tailIndex);
            // Unsigned: a tail behind the cached head, or more than a capacity ahead of it, takes the slow path.
            if (Long.compareUnsigned(tail - head, capacity - required) > 0 || (tail & (ALIGNMENT - 1)) != 0)
            {
                head = readHeadBehind(tail, headCache);
                if (head == STALE_TAIL)
                {
                    head = headCache;
                    continue;
                }
                if (required > capacity - (tail - head))
                {
                    return FULL;
                }
                buffer.putLongRelease(headCacheIndex, head);
            }
            newTail = tail + required;
            padding = 0;
            tailIndex = (int)tail & mask;
            writeIndex = tailIndex;
            final int toEnd = capacity - tailIndex;
            if (required > toEnd)
            {
                writeIndex = 0;
                int headIndex = (int)head & mask;
                if (required > headIndex)
                {
                    head = readHeadBehind(tail, headCache);
                    if (head == STALE_TAIL)
                    {
                        head = headCache;
                        continue;
                    }
                    headIndex = (int)head & mask;
                    if (required > headIndex)
                    {
                        writeIndex = FULL;
                        newTail = tail; // no room at the start either: only pad to the end
                    }
                    buffer.putLongRelease(headCacheIndex, head);
                }
                padding = toEnd;
                newTail += padding;
            }
            if (buffer.compareAndSetLong(this.tailIndex, tail, newTail))
            {
                break;
            }
        }

        if (padding != 0)
        {
            writePadding(tailIndex, padding);
        }
        if (writeIndex == FULL)
        {
            return FULL;
        }
        writeHeader(writeIndex, typeId, recordLength);
        return writeIndex + HEADER_LENGTH;
    }

    /**
     * The head, read after {@code tail} and checked against it: other publishers may have claimed, committed, and
     * the subscriber consumed past a tail this publisher read a moment ago, so a head beyond it is only corrupt when
     * the tail has not moved since.
     *
     * @return the head, or {@link #STALE_TAIL} when the tail moved: read it again.
     */
    private long readHeadBehind(final long tail, final long headCache)
    {
        final long head = buffer.getLongVolatile(headIndex);
        if (head > tail && ChannelDescriptor.isPosition(head) && buffer.getLongVolatile(this.tailIndex) != tail)
        {
            return STALE_TAIL;
        }
        return readHead(tail, headCache, head);
    }

    /**
     * Check the positions a publisher starts from, while other publishers may be claiming.
     *
     * @throws io.shmipc.exceptions.CorruptRegionException when they are impossible.
     */
    void checkPositions()
    {
        final long headCache = buffer.getLongVolatile(headCacheIndex);
        long head;
        do
        {
            head = readHeadBehind(buffer.getLongVolatile(tailIndex), headCache);
        }
        while (head == STALE_TAIL);
    }
}
