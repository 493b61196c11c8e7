package io.shmipc.channel;

import io.shmipc.exceptions.CorruptRegionException;
import io.shmipc.layout.ChannelDescriptor;
import org.agrona.BitUtil;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.ringbuffer.RecordDescriptor;
import org.agrona.concurrent.ringbuffer.RingBuffer;

/**
 * Turns records that dead publishers left uncommitted into padding, so the subscriber can go on. Every rule here
 * relies on {@code tail} having been read before it was established that no live publisher can still commit below
 * it. Many-to-one: no live publisher has a claim in progress; each record below that tail was claimed by a
 * publisher that had marked its claim before claiming and, its mark being clear or its holder dead, is either
 * committed or will never be. One-to-one: the publisher role is free; the only publisher holds it for as long as
 * it lives, so the one that claimed below that tail is dead.
 * <p>
 * Agrona's own {@code ManyToOneRingBuffer.unblock()} scans up to a tail it reads itself, later, and could pad over
 * a record a live publisher claimed in between; the one-to-one ring has no unblock at all.
 * <p>
 * An uncommitted header must be one a publisher could have written: its length at least a record header, and the
 * record within the buffer and below the tail. Anything else (a length of {@code Integer.MIN_VALUE}, whose negation
 * is itself) is corruption, never padded.
 */
final class RingUnblocker
{
    private static final int PADDED = -1;
    private static final int NOTHING_TO_DO = -2;

    private final UnsafeBuffer buffer;
    private final int capacity;
    private final ChannelHealth health;

    RingUnblocker(final UnsafeBuffer buffer, final int capacity, final ChannelHealth health)
    {
        this.buffer = buffer;
        this.capacity = capacity;
        this.health = health;
    }

    /**
     * Many-to-one: the subscriber zeroes what it consumed, so a claimed record whose header is still zero runs up
     * to the next non-zero word (or to the end of the claimed space, or of the buffer).
     *
     * @param head the consumer position.
     * @param tail the producer position, read before the liveness scan.
     * @return true when a record was unblocked.
     */
    boolean unblockManyToOne(final long head, final long tail)
    {
        final int index = zeroHeaderAtHead(head, tail);
        if (index < 0)
        {
            return index == PADDED;
        }
        final int limit = (int)Math.min(capacity, index + (tail - head));
        int end = index + RecordDescriptor.ALIGNMENT;
        while (end < limit && buffer.getIntVolatile(end) == 0)
        {
            end += RecordDescriptor.ALIGNMENT;
        }
        return pad(index, end - index);
    }

    /**
     * One-to-one, when no publisher is alive: the dead one's last claim is all that lies between the head and the
     * tail (the consumer does not zero, so the claim's size comes from the tail, not from a scan).
     *
     * @param head the consumer position.
     * @param tail the producer position, read before the liveness check.
     * @return true when a record was unblocked.
     */
    boolean unblockOneToOne(final long head, final long tail)
    {
        final int index = zeroHeaderAtHead(head, tail);
        if (index < 0)
        {
            return index == PADDED;
        }
        return pad(index, (int)Math.min(capacity - index, tail - head));
    }

    /**
     * What both kinds do first with the record at the head: nothing when the ring holds no data there or the record
     * is committed; pad it as it is when its header is negative (claimed, never committed).
     *
     * @return the head's index when its header is zero (claimed space whose header was never written), else
     *         {@link #PADDED} or {@link #NOTHING_TO_DO}.
     */
    private int zeroHeaderAtHead(final long head, final long tail)
    {
        if (head >= tail)
        {
            return NOTHING_TO_DO;
        }
        final int index = (int)head & (capacity - 1);
        final int length = buffer.getIntVolatile(RecordDescriptor.lengthOffset(index));
        if (length < 0)
        {
            pad(index, claimedLength(index, length, tail - head));
            return PADDED;
        }
        return length > 0 ? NOTHING_TO_DO : index;
    }

    /**
     * The length of an uncommitted record, from its negative header: at least a header, within the buffer and below
     * the tail.
     */
    private int claimedLength(final int index, final int header, final long claimed)
    {
        final int length = -header;
        final long aligned = BitUtil.align((long)length, RecordDescriptor.ALIGNMENT);
        if (length < RecordDescriptor.HEADER_LENGTH || aligned > capacity - index || aligned > claimed)
        {
            throw corrupt(index, header, claimed);
        }
        return length;
    }

    private CorruptRegionException corrupt(final int index, final int header, final long claimed)
    {
        return health.fail(ChannelDescriptor.FAILURE_RECORD, "record",
            "an uncommitted header of -" + RecordDescriptor.HEADER_LENGTH + " or less, the record ending within " +
            "capacity " + capacity + " and below the tail (" + claimed + " bytes claimed)",
            "length=" + header + " at offset " + index);
    }

    /**
     * One-to-one, by a new publisher before its first claim: walk the committed records from the head and pad the
     * record the dead predecessor left uncommitted, so that what the new publisher writes after it is reachable.
     *
     * @param head the consumer position.
     * @param tail the producer position; nothing is being claimed.
     * @return records padded, or -1 when the positions are impossible (more than a capacity apart, or backwards).
     */
    int repairOneToOne(final long head, final long tail)
    {
        if (!ChannelDescriptor.isWindow(head, tail, capacity))
        {
            return -1;
        }
        int repaired = 0;
        long position = head;
        while (position < tail)
        {
            final int index = (int)position & (capacity - 1);
            final int length = buffer.getIntVolatile(RecordDescriptor.lengthOffset(index));
            final int toEnd = capacity - index;
            final int recordLength;
            if (length > 0)
            {
                recordLength = length;
            }
            else
            {
                recordLength = length < 0 ? claimedLength(index, length, tail - position) :
                    (int)Math.min(toEnd, tail - position);
                pad(index, recordLength);
                repaired++;
            }
            final long aligned = BitUtil.align(recordLength, RecordDescriptor.ALIGNMENT);
            if (aligned <= 0 || aligned > toEnd)
            {
                break; // not a record chain this publisher can follow: the subscriber checks what it reads
            }
            position += aligned;
        }
        return repaired;
    }

    private boolean pad(final int index, final int length)
    {
        buffer.putInt(RecordDescriptor.typeOffset(index), RingBuffer.PADDING_MSG_TYPE_ID);
        buffer.putIntRelease(RecordDescriptor.lengthOffset(index), length);
        return true;
    }
}
