package io.shmipc.channel;

import io.shmipc.exceptions.CorruptRegionException;
import io.shmipc.layout.ChannelDescriptor;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.ringbuffer.RecordDescriptor;
import org.agrona.concurrent.ringbuffer.RingBuffer;
import org.agrona.concurrent.ringbuffer.RingBufferDescriptor;

import java.lang.invoke.VarHandle;

/**
 * The publishing side of a ring channel, over Agrona's ring buffer layout (docs/layout.md, "Ring buffers"): claim
 * space for a record, commit or abort it. Two protocols share the layout: {@link ManyToOneRingWriter} claims with a
 * compare-and-set on the tail, {@link OneToOneRingWriter} owns the tail.
 * <p>
 * Every position read from the trailer is validated where it is read: a position must be one
 * ({@link ChannelDescriptor#isPosition}), the data must fit between head and tail ({@code 0 <= tail - head <=
 * capacity}), and the head cache never runs ahead of the head. The fast path folds the window check into the
 * free-space comparison it makes anyway (an unsigned comparison, so a tail behind the head cache takes the slow path);
 * the slow path, which reads the head, checks everything. A claimed record's header is checked again at commit. What
 * fails is reported to the channel's {@link ChannelHealth}, which fails the channel for every endpoint.
 */
abstract class RingWriter
{
    /** What {@link #claim} returns when the ring has no room. */
    static final int FULL = -2;
    /**
     * What a many-to-one {@link #claim} returns when its publisher was closed after the claim moved the tail: it wrote
     * nothing there, and the subscriber skips the space as a dead publisher's.
     */
    static final int WITHDRAWN = -4;

    static final int HEADER_LENGTH = RecordDescriptor.HEADER_LENGTH;
    static final int ALIGNMENT = RecordDescriptor.ALIGNMENT;
    static final int PADDING_TYPE_ID = RingBuffer.PADDING_MSG_TYPE_ID;

    final UnsafeBuffer buffer;
    final int capacity;
    final int mask;
    final int tailIndex;
    final int headCacheIndex;
    final int headIndex;
    final ChannelHealth health;

    RingWriter(final UnsafeBuffer buffer, final int capacity, final ChannelHealth health)
    {
        this.buffer = buffer;
        this.capacity = capacity;
        this.mask = capacity - 1;
        this.tailIndex = capacity + RingBufferDescriptor.TAIL_POSITION_OFFSET;
        this.headCacheIndex = capacity + RingBufferDescriptor.HEAD_CACHE_POSITION_OFFSET;
        this.headIndex = capacity + RingBufferDescriptor.HEAD_POSITION_OFFSET;
        this.health = health;
    }

    /**
     * Claim space for a record of {@code length} payload bytes and write its header (uncommitted).
     *
     * @param typeId the record's type id.
     * @param length payload bytes, checked by the caller against the channel's limit.
     * @return the payload's index in the buffer, or {@link #FULL}.
     * @throws CorruptRegionException when a position read is impossible.
     */
    abstract int claim(int typeId, int length);

    /**
     * Wait until no claim of this writer is between moving the tail and writing what it claimed (see
     * {@link ManyToOneRingWriter}); called by a close after it marked the publisher closed, before the publisher's
     * slot is released. A one-to-one writer does not mark its claims: its tail move is a release store, and ordering
     * a mark with it would take a fence per message (a gap docs/guarantees.md states).
     */
    void awaitClaimInFlight()
    {
    }

    /**
     * Copy a whole record in: claim, payload, commit.
     *
     * @param typeId the record's type id.
     * @param source the payload.
     * @param offset of its first byte.
     * @param length payload bytes.
     * @return false when the ring has no room.
     */
    final boolean write(final int typeId, final DirectBuffer source, final int offset, final int length)
    {
        return write(typeId, null, 0, source, offset, length);
    }

    /**
     * Copy a whole record of two parts in: claim, the first {@code headLength} bytes of {@code head} (none when 0),
     * the payload, commit.
     *
     * @return false when the ring has no room.
     */
    final boolean write(final int typeId, final DirectBuffer head, final int headLength, final DirectBuffer source,
        final int offset, final int length)
    {
        final int total = headLength + length;
        final int index = claim(typeId, total);
        if (index == FULL)
        {
            return false;
        }
        if (index == WITHDRAWN)
        {
            return true; // not back-pressure: the publisher, closed, reports CLOSED (the message may not have landed)
        }
        if (headLength > 0)
        {
            buffer.putBytes(index, head, 0, headLength);
        }
        buffer.putBytes(index + headLength, source, offset, length);
        buffer.putIntRelease(index - HEADER_LENGTH, total + HEADER_LENGTH);
        return true;
    }

    /**
     * Publish a claimed record.
     *
     * @param index  the payload index {@link #claim} returned.
     * @param length the claimed payload length.
     * @return false, and nothing written, when the record's header is no longer the claim's: the subscriber skipped
     *         the record of a publisher closed meanwhile, or the channel is corrupt ({@link #claimLost}).
     */
    final boolean commit(final int index, final int length)
    {
        final int recordIndex = index - HEADER_LENGTH;
        if (!isClaimed(recordIndex, length))
        {
            return false;
        }
        buffer.putIntRelease(recordIndex, length + HEADER_LENGTH);
        return true;
    }

    /**
     * Give a claimed record up: it becomes padding.
     *
     * @param index  the payload index {@link #claim} returned.
     * @param length the claimed payload length.
     * @return false, and nothing written, when the record's header is no longer the claim's (see {@link #commit}).
     */
    final boolean abort(final int index, final int length)
    {
        final int recordIndex = index - HEADER_LENGTH;
        if (!isClaimed(recordIndex, length))
        {
            return false;
        }
        buffer.putInt(recordIndex + Integer.BYTES, PADDING_TYPE_ID);
        buffer.putIntRelease(recordIndex, length + HEADER_LENGTH);
        return true;
    }

    /**
     * Fail the channel for a claimed record whose header changed under a publisher that is not closed.
     *
     * @param index  the payload index {@link #claim} returned.
     * @param length the claimed payload length.
     * @return the exception to throw.
     */
    final CorruptRegionException claimLost(final int index, final int length)
    {
        final int recordIndex = index - HEADER_LENGTH;
        return health.fail(ChannelDescriptor.FAILURE_RECORD, "record",
            "the claimed record's header " + -(length + HEADER_LENGTH) + " until its commit or abort",
            "length=" + buffer.getInt(recordIndex) + " at offset " + recordIndex);
    }

    /**
     * The header of a claimed record, written with its negative length before its type; the length is released
     * first, so a reader never takes a half-written header for a committed one.
     */
    final void writeHeader(final int recordIndex, final int typeId, final int recordLength)
    {
        buffer.putIntRelease(recordIndex, -recordLength);
        VarHandle.releaseFence();
        buffer.putInt(recordIndex + Integer.BYTES, typeId);
    }

    /**
     * Padding from {@code index} to the end of the buffer: negative length, type, then the length released.
     */
    final void writePadding(final int index, final int padding)
    {
        buffer.putIntRelease(index, -padding);
        VarHandle.releaseFence();
        buffer.putInt(index + Integer.BYTES, PADDING_TYPE_ID);
        buffer.putIntRelease(index, padding);
    }

    /**
     * The head, read with a volatile load and checked against the tail and the head cache it must not be behind.
     */
    final long readHead(final long tail, final long headCache)
    {
        return readHead(tail, headCache, buffer.getLongVolatile(headIndex));
    }

    /**
     * A head read after {@code tail} and {@code headCache}, checked against both.
     */
    final long readHead(final long tail, final long headCache, final long head)
    {
        if (!ChannelDescriptor.isWindow(head, tail, capacity) || !ChannelDescriptor.isPosition(headCache) ||
            head < headCache)
        {
            throw positions(headCache, head, tail);
        }
        return head;
    }

    final CorruptRegionException positions(final long headCache, final long head, final long tail)
    {
        return health.fail(ChannelDescriptor.FAILURE_POSITIONS, "positions",
            "multiples of 8 from 0 to 2^62 with head cache <= head <= tail <= head + capacity " + capacity,
            "headCache=" + headCache + " head=" + head + " tail=" + tail);
    }

    private boolean isClaimed(final int recordIndex, final int length)
    {
        return buffer.getIntVolatile(recordIndex) == -(length + HEADER_LENGTH);
    }
}
