package io.shmipc.channel;

import io.shmipc.exceptions.CorruptRegionException;
import io.shmipc.layout.ChannelDescriptor;
import org.agrona.BitUtil;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.ringbuffer.RecordDescriptor;
import org.agrona.concurrent.ringbuffer.RingBuffer;
import org.agrona.concurrent.ringbuffer.RingBufferDescriptor;

import java.lang.invoke.VarHandle;
import java.util.function.BooleanSupplier;

/**
 * The consuming side of a ring channel (docs/layout.md, "Consuming"): reads the committed records from the head up
 * to the end of the buffer, hands each one to a {@link RecordSink}, then zeroes what it consumed (many-to-one) and
 * releases the new head.
 * <p>
 * The subscriber is the head's only writer, so it keeps the head in a field and checks on every read that the
 * trailer still holds it (one load from a line it owns). Every record is checked before it is handed out or skipped:
 * a committed length is at least a header, the aligned record ends within the buffer, and a message's payload is
 * within the channel's limit; a padding record that would run past the end of the buffer (the head jumping past the
 * tail) is corruption too. What fails is reported to the channel's {@link ChannelHealth}.
 * <p>
 * A many-to-one reader stores the head it is about to release in the trailer's Next Head before it zeroes what it
 * read. A subscriber killed while zeroing leaves the head below a span whose first records may be zero: the next
 * reader finds the Next Head above the head as it starts, zeroes the rest of that span and releases the head there
 * (what the dead one had read was handed out to it; nothing in the span is delivered again).
 */
final class RingReader
{
    /**
     * Takes the records a read hands out.
     */
    interface RecordSink
    {
        /**
         * One committed record that is not padding.
         *
         * @param typeId the record's type id.
         * @param index  where its payload starts in the buffer.
         * @param length payload bytes, within the channel's limit.
         * @return false to leave this record, and those after it, in the ring.
         */
        boolean onRecord(int typeId, int index, int length);
    }

    private static final int HEADER_LENGTH = RecordDescriptor.HEADER_LENGTH;

    private final UnsafeBuffer buffer;
    /** Whether the subscriber reading still holds its role: once not, the head may be another's to move. */
    private final BooleanSupplier holdsRole;
    private final int capacity;
    private final int maxMessageLength;
    private final int headIndex;
    private final int tailIndex;
    private final int nextHeadIndex;
    private final boolean zeroesConsumed;
    private final ChannelHealth health;
    private long head;

    RingReader(final UnsafeBuffer buffer, final int capacity, final int maxMessageLength, final boolean zeroesConsumed,
        final ChannelHealth health, final BooleanSupplier holdsRole)
    {
        this.holdsRole = holdsRole;
        this.buffer = buffer;
        this.capacity = capacity;
        this.maxMessageLength = maxMessageLength;
        this.headIndex = capacity + RingBufferDescriptor.HEAD_POSITION_OFFSET;
        this.tailIndex = capacity + RingBufferDescriptor.TAIL_POSITION_OFFSET;
        this.nextHeadIndex = capacity + ChannelDescriptor.RING_NEXT_HEAD_OFFSET;
        this.zeroesConsumed = zeroesConsumed;
        this.health = health;
        final long tail = buffer.getLongVolatile(tailIndex);
        final long head = buffer.getLongVolatile(headIndex);
        if (!ChannelDescriptor.isWindow(head, tail, capacity))
        {
            throw positions(head, tail);
        }
        this.head = head;
        if (zeroesConsumed)
        {
            finishDeadRead(tail);
        }
    }

    /**
     * A new many-to-one subscriber, holding the role: finish the read a predecessor died inside, if any (its Next
     * Head above the head). The span up to the Next Head was all committed records when that read took them, so no
     * publisher writes there until the head moves past it.
     */
    private void finishDeadRead(final long tail)
    {
        final long nextHead = buffer.getLongVolatile(nextHeadIndex);
        if (!ChannelDescriptor.isNextHead(head, nextHead, tail, capacity))
        {
            throw health.fail(ChannelDescriptor.FAILURE_POSITIONS, "nextHead",
                "a multiple of 8 from 0 to 2^62, at most the head " + head + " or above it by at most one read " +
                "up to the tail " + tail + " and the end of the buffer (capacity " + capacity + ")",
                "nextHead=" + nextHead);
        }
        if (nextHead > head)
        {
            consumed(head, (int)(nextHead - head));
        }
    }

    /**
     * The head: bytes ever consumed.
     *
     * @return the position.
     */
    long head()
    {
        return head;
    }

    /**
     * Read up to {@code limit} messages from the head, at most to the end of the buffer, then move the head past
     * every record handed out or skipped, also when the sink throws (the record it threw for counts as consumed).
     * Call it right after {@link #hasRecordAtHead()} said true, which checked the head in the trailer.
     *
     * @param sink  takes each message record.
     * @param limit most message records.
     * @return message records handed out.
     * @throws CorruptRegionException when a record cannot be right.
     */
    int read(final RecordSink sink, final int limit)
    {
        final long head = this.head;
        final int headIndex = (int)head & (capacity - 1);
        final int contiguous = capacity - headIndex;
        int bytesRead = 0;
        int records = 0;
        try
        {
            while (bytesRead < contiguous && records < limit)
            {
                final int index = headIndex + bytesRead;
                final int length = buffer.getIntVolatile(index);
                if (length <= 0)
                {
                    break; // not committed yet (or nothing written there)
                }
                final int aligned = BitUtil.align(length, RecordDescriptor.ALIGNMENT);
                final int typeId = buffer.getInt(index + Integer.BYTES);
                if (length < HEADER_LENGTH || aligned > contiguous - bytesRead ||
                    typeId != RingBuffer.PADDING_MSG_TYPE_ID && length - HEADER_LENGTH > maxMessageLength)
                {
                    throw record(index, length, typeId);
                }
                if (typeId == RingBuffer.PADDING_MSG_TYPE_ID)
                {
                    bytesRead += aligned;
                    continue;
                }
                bytesRead += aligned; // handed out: consumed even if the sink throws
                if (!sink.onRecord(typeId, index + HEADER_LENGTH, length - HEADER_LENGTH))
                {
                    bytesRead -= aligned;
                    break;
                }
                records++;
            }
        }
        finally
        {
            consumed(head, bytesRead);
        }
        return records;
    }

    /**
     * Move the head past what a read handed out or skipped: zero it first (many-to-one), then release the head.
     * Not once the subscriber gave up its role (closed by another thread, or by its region, while the handler
     * ran): the head may be a successor's by now, so what it read stays for that one (at-least-once). A close from
     * inside the handler keeps the role until the poll ends, so this read still counts.
     */
    private void consumed(final long head, final int bytesRead)
    {
        if (bytesRead > 0 && holdsRole.getAsBoolean())
        {
            if (zeroesConsumed)
            {
                buffer.putLong(nextHeadIndex, head + bytesRead);
                VarHandle.storeStoreFence(); // a successor that finds zeros at the head finds the Next Head too
                buffer.setMemory((int)head & (capacity - 1), bytesRead, (byte)0);
            }
            this.head = head + bytesRead;
            buffer.putLongRelease(headIndex, head + bytesRead);
        }
    }

    /**
     * Whether a read would find a record at the head (a message or padding), after checking that the trailer still
     * holds the head: what an empty poll needs, without the read's setup.
     *
     * @return true when a committed record waits at the head.
     * @throws CorruptRegionException when the head moved under the reader.
     */
    boolean hasRecordAtHead()
    {
        checkHead(head);
        return isCommittedAtHead();
    }

    /**
     * Whether the record at the head is committed: a poll would find it.
     *
     * @return true when a committed record waits at the head.
     */
    boolean isCommittedAtHead()
    {
        return buffer.getIntVolatile((int)head & (capacity - 1)) > 0;
    }

    /**
     * The tail, read with a volatile load, checked against the head.
     *
     * @return the producers' position.
     * @throws CorruptRegionException when head and tail are out of their invariants.
     */
    long readTail()
    {
        final long tail = buffer.getLongVolatile(tailIndex);
        final long head = this.head;
        if (!ChannelDescriptor.isWindow(head, tail, capacity))
        {
            throw positions(head, tail);
        }
        checkHead(head);
        return tail;
    }

    private void checkHead(final long head)
    {
        final long shared = buffer.getLong(headIndex);
        if (shared != head)
        {
            throw health.fail(ChannelDescriptor.FAILURE_POSITIONS, "positions",
                "the head its only subscriber wrote, " + head, "head=" + shared);
        }
    }

    private CorruptRegionException positions(final long head, final long tail)
    {
        return health.fail(ChannelDescriptor.FAILURE_POSITIONS, "positions",
            "multiples of 8 from 0 to 2^62 with head <= tail <= head + capacity " + capacity,
            "head=" + head + " tail=" + tail);
    }

    private CorruptRegionException record(final int index, final int length, final int typeId)
    {
        return health.fail(ChannelDescriptor.FAILURE_RECORD, "record",
            "a record from " + HEADER_LENGTH + " bytes (a message's payload at most " + maxMessageLength +
            ") ending within capacity " + capacity, "length=" + length + " type=" + typeId + " at offset " + index);
    }
}
