package io.shmipc.channel;

import io.shmipc.exceptions.CorruptRegionException;
import io.shmipc.layout.ChannelDescriptor;
import org.agrona.BitUtil;
import org.agrona.concurrent.UnsafeBuffer;

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

    OneToOneRingWriter(final UnsafeBuffer buffer, final int capacity, final ChannelHealth health)
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
        if (buffer.getLong(tailIndex) != tail)
        {
            throw tailMoved(tail);
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
        if (aligned != toEnd && required > toEnd)
        {
            return claimAfterPadding(typeId, recordLength, aligned, required, tail, head);
        }
        // The next record's header, before the tail moves: at the start of the next lap when this one fits exactly.
        buffer.putLong(aligned == toEnd ? 0 : recordIndex + aligned, 0L);
        buffer.putLongRelease(tailIndex, tail + aligned);
        this.tail = tail + aligned;
        writeHeader(recordIndex, typeId, recordLength);
        return recordIndex + HEADER_LENGTH;
    }

    /**
     * The record does not fit before the end of the buffer: pad to the end and claim at the start, when there is
     * room there (else only pad, and report the ring full). Kept apart so the common claim stays small enough to be
     * inlined.
     */
    private int claimAfterPadding(final int typeId, final int recordLength, final int aligned, final int required,
        final long tail, final long knownHead)
    {
        final int recordIndex = (int)tail & mask;
        final int padding = capacity - recordIndex;
        long head = knownHead;
        boolean fits = required <= ((int)head & mask);
        if (!fits)
        {
            head = readHead(tail, head);
            fits = required <= ((int)head & mask);
            cacheHead(head);
        }
        buffer.putLong(0, 0L); // the header at the start, where the record after the padding goes
        if (fits)
        {
            buffer.putLong(aligned, 0L); // the header after the record
        }
        final long nextTail = tail + padding + (fits ? aligned : 0); // no room at the start either: only pad
        buffer.putLongRelease(tailIndex, nextTail);
        this.tail = nextTail;
        writePadding(recordIndex, padding);
        if (!fits)
        {
            return FULL;
        }
        writeHeader(0, typeId, recordLength);
        return HEADER_LENGTH;
    }

    private CorruptRegionException tailMoved(final long tail)
    {
        return health.fail(ChannelDescriptor.FAILURE_POSITIONS, "positions",
            "the tail its only publisher wrote, " + tail, "tail=" + buffer.getLongVolatile(tailIndex));
    }

    private void cacheHead(final long head)
    {
        headCache = head;
        buffer.putLong(headCacheIndex, head);
    }
}
