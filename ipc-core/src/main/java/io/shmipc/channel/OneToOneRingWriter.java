package io.shmipc.channel;

import io.shmipc.layout.ChannelDescriptor;
import org.agrona.BitUtil;
import org.agrona.concurrent.AtomicBuffer;

/**
 * The claim of the only publisher of a {@link io.shmipc.ChannelKind#ONE_TO_ONE} channel (docs/layout.md,
 * "ONE_TO_ONE publish"). The subscriber does not zero what it consumed; instead each claim zeroes the header after its
 * record, so the subscriber stops there. Unlike Agrona's one-to-one ring, that header is zeroed before the tail moves:
 * a publisher that dies (or whose region is closed under it) between the two leaves a tail whose next header is zero
 * either way, so the subscriber, once it has padded the dead claim, never reads a stale record of a previous lap past
 * the tail.
 * <p>
 * Being the only writer of the tail and the head cache, it keeps both in fields and reads neither from shared memory
 * on the fast path; it checks that the trailer's tail is still the one it wrote (one load from a line it owns).
 */
final class OneToOneRingWriter extends RingWriter
{
    private long tail;
    private long headCache;

    OneToOneRingWriter(final AtomicBuffer buffer, final int capacity, final ChannelHealth health)
    {
        super(buffer, capacity, health);
        final long tail = buffer.getLongVolatile(tailIndex);
        final long head = buffer.getLongVolatile(headIndex);
        if (!ChannelDescriptor.isWindow(head, tail, capacity))
        {
            throw positions(buffer.getLongVolatile(headCacheIndex), head, tail);
        }
        this.tail = tail;
        this.headCache = head;
    }

    /**
     * The tail this writer continues from: where a predecessor stopped.
     *
     * @return the tail position.
     */
    long tail()
    {
        return tail;
    }

    /**
     * The head this writer last read.
     *
     * @return the cached head position.
     */
    long headCache()
    {
        return headCache;
    }

    @Override
    int claim(final int typeId, final int length)
    {
        final long tail = this.tail;
        final long shared = buffer.getLong(tailIndex);
        if (shared != tail)
        {
            throw health.fail(ChannelDescriptor.FAILURE_POSITIONS, "positions",
                "the tail its only publisher wrote, " + tail, "tail=" + shared);
        }
        final int recordLength = length + HEADER_LENGTH;
        final int aligned = BitUtil.align(recordLength, ALIGNMENT);
        final int required = aligned + HEADER_LENGTH; // room to zero the next header
        long head = headCache;
        if (required > capacity - (tail - head))
        {
            head = readHead(tail, head);
            if (required > capacity - (tail - head))
            {
                return FULL;
            }
            cacheHead(head);
        }
        final int recordIndex = (int)tail & mask;
        final int toEnd = capacity - recordIndex;
        int writeIndex = recordIndex;
        long nextTail = tail + aligned;
        int padding = 0;
        if (aligned == toEnd)
        {
            buffer.putLong(0, 0L); // the next record starts the next lap
        }
        else
        {
            if (required > toEnd)
            {
                writeIndex = 0;
                int headIndex = (int)head & mask;
                if (required > headIndex)
                {
                    head = readHead(tail, head);
                    headIndex = (int)head & mask;
                    if (required > headIndex)
                    {
                        writeIndex = FULL;
                        nextTail = tail; // no room at the start either: only pad to the end
                    }
                    cacheHead(head);
                }
                padding = toEnd;
                nextTail += padding;
                buffer.putLong(0, 0L); // the header at the start, where the record after the padding goes
            }
            if (writeIndex != FULL)
            {
                buffer.putLong(writeIndex + aligned, 0L); // the header after the record
            }
        }
        buffer.putLongRelease(tailIndex, nextTail);
        this.tail = nextTail;
        if (padding != 0)
        {
            writePadding(recordIndex, padding);
        }
        if (writeIndex == FULL)
        {
            return FULL;
        }
        writeHeader(writeIndex, typeId, recordLength);
        return writeIndex + HEADER_LENGTH;
    }

    private void cacheHead(final long head)
    {
        headCache = head;
        buffer.putLong(headCacheIndex, head);
    }
}
