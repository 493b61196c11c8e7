package io.shmipc.log;

import io.shmipc.BatchingPublisher;
import io.shmipc.ChannelKind;
import io.shmipc.layout.ChannelDescriptor;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.AtomicBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.lang.invoke.VarHandle;

import static io.shmipc.layout.LogBufferDescriptor.*;

/**
 * A subscriber's cursor over a log: it reads the record at its position either in place (a tethered subscriber past
 * its gate: the publisher cannot overwrite it) or validated (copied out, then kept only if the Oldest Position read
 * after the copy has not passed it), checks every header word and sequence, and moves on. It writes nothing into the
 * log.
 * <p>
 * Not thread-safe: one subscriber owns it. Allocates only its copy buffer, when it is made.
 */
public final class LogReader
{
    /** {@link #next()}: nothing at the position yet. */
    public static final int NOTHING = 0;
    /** {@link #next()}: a record, described by the record accessors. */
    public static final int RECORD = 1;
    /** {@link #next()}: the publisher overwrote the position (validated reads only). */
    public static final int LAPPED = -1;

    private final AtomicBuffer buffer;
    private final int capacity;
    private final int mask;
    private final int capacityLog;
    private final int maxRecordLength;
    private final int tailIndex;
    private final int oldestIndex;
    private final LogFailure failure;
    private final UnsafeBuffer copy;
    private long position;
    private long expectedSequence;
    private long validatedBelow;
    private boolean alwaysValidated;
    private DirectBuffer recordBuffer;
    private int payloadOffset;
    private int payloadLength;
    private int recordType;
    private int recordSpan;
    private long recordSequence;

    /**
     * A cursor over a log.
     *
     * @param buffer           the log's data and trailer.
     * @param capacity         the data capacity.
     * @param maxMessageLength the channel's longest message.
     * @param failure          the channel's failure mark.
     */
    public LogReader(final AtomicBuffer buffer, final int capacity, final int maxMessageLength,
        final LogFailure failure)
    {
        this.buffer = buffer;
        this.capacity = capacity;
        this.mask = capacity - 1;
        this.capacityLog = Integer.numberOfTrailingZeros(capacity);
        this.maxRecordLength = HEADER_LENGTH + maxMessageLength;
        this.tailIndex = capacity + TAIL_POSITION_OFFSET;
        this.oldestIndex = capacity + OLDEST_POSITION_OFFSET;
        this.failure = failure;
        this.copy = new UnsafeBuffer(new byte[maxRecordLength]);
    }

    /**
     * Start reading.
     *
     * @param position         a record boundary.
     * @param expectedSequence the sequence of the record there, or -1 to take the first one read.
     * @param validatedBelow   records below this position are read validated.
     * @param alwaysValidated  read every record validated.
     */
    public void start(final long position, final long expectedSequence, final long validatedBelow,
        final boolean alwaysValidated)
    {
        this.position = position;
        this.expectedSequence = expectedSequence;
        this.validatedBelow = validatedBelow;
        this.alwaysValidated = alwaysValidated;
    }

    /**
     * Read every record validated from now on (the subscriber was demoted).
     */
    public void validateAll()
    {
        alwaysValidated = true;
    }

    /**
     * Read the record at the position, skipping padding.
     *
     * @return {@link #RECORD}, {@link #NOTHING} or {@link #LAPPED}.
     * @throws io.shmipc.exceptions.CorruptRegionException for a header word or sequence that cannot be right.
     */
    public int next()
    {
        while (true)
        {
            final long position = this.position;
            final int index = (int)position & mask;
            final long word = buffer.getLongVolatile(index);
            final boolean validated = alwaysValidated || position < validatedBelow;
            if (word == 0 || !LogRecords.isRecordFor(word, position, capacityLog, capacity, maxRecordLength))
            {
                if (validated && lapped(position))
                {
                    return LAPPED;
                }
                if (word == 0)
                {
                    return NOTHING;
                }
                throw failure.corrupt("log.record", "0 or the complete record for position " + position,
                    LogRecords.describe(word, position));
            }
            final int type = type(word);
            final int length = recordLength(word);
            if (type == TYPE_PADDING)
            {
                if (validated && lapped(position))
                {
                    return LAPPED;
                }
                this.position = position + length;
                continue;
            }
            final long sequence;
            if (validated)
            {
                copy.putBytes(0, buffer, index + SEQUENCE_OFFSET, length - SEQUENCE_OFFSET);
                if (lapped(position))
                {
                    return LAPPED;
                }
                sequence = copy.getLong(0);
                recordBuffer = copy;
                payloadOffset = PAYLOAD_OFFSET - SEQUENCE_OFFSET;
            }
            else
            {
                sequence = buffer.getLong(index + SEQUENCE_OFFSET);
                recordBuffer = buffer;
                payloadOffset = index + PAYLOAD_OFFSET;
            }
            if (expectedSequence >= 0 && sequence != expectedSequence)
            {
                throw failure.corrupt("log.record.sequence", "sequence " + expectedSequence + " at position " +
                    position, Long.toString(sequence));
            }
            recordSequence = sequence;
            recordType = type;
            recordSpan = alignedLength(length);
            payloadLength = length - HEADER_LENGTH;
            return RECORD;
        }
    }

    /**
     * Whether the publisher has overwritten, or is overwriting, the record at a position: the Oldest Position, read
     * after everything read before (an acquire fence), has passed it.
     */
    private boolean lapped(final long position)
    {
        VarHandle.acquireFence();
        return buffer.getLongVolatile(oldestIndex) > position;
    }

    /**
     * The messages the record read holds: 1, or a batch's entries.
     *
     * @return messages.
     * @throws io.shmipc.exceptions.CorruptRegionException for a batch whose entries do not fill it.
     */
    public int recordMessages()
    {
        if (recordType != TYPE_BATCH)
        {
            return 1;
        }
        final int entries = LogRecords.batchEntries(recordBuffer, payloadOffset, payloadLength);
        if (entries < 0)
        {
            throw failure.corrupt("log.record.batch", "entries that fill the batch record at position " + position,
                "a batch of " + payloadLength + " bytes whose entries do not");
        }
        return entries;
    }

    /**
     * Move past the record read, which held {@code messages} messages.
     *
     * @param messages messages in it.
     */
    public void consume(final int messages)
    {
        position += recordSpan;
        expectedSequence = recordSequence + messages;
    }

    /**
     * Move to another record boundary, counting the messages between.
     *
     * @param newPosition a record boundary at or after the position.
     * @param sequence    the sequence there.
     * @return messages skipped.
     */
    public long skipTo(final long newPosition, final long sequence)
    {
        final long skipped = expectedSequence >= 0 ? sequence - expectedSequence : 0;
        // Every message takes at least an entry header of a batch: more messages than that between the two
        // positions is a sequence no publisher wrote.
        final long most = newPosition > position ? (newPosition - position) / BatchingPublisher.ENTRY_HEADER_LENGTH :
            0;
        if (skipped < 0 || skipped > most)
        {
            throw failure.corrupt("log.record.sequence", "from " + expectedSequence + " to " +
                (expectedSequence + most) + " at position " + newPosition, Long.toString(sequence));
        }
        position = newPosition;
        expectedSequence = sequence;
        return skipped;
    }

    /**
     * The sequence of the record at a position, or of the next record to be written there: its Sequence field,
     * copied, then kept only if the record is still held.
     *
     * @param position a record boundary from the oldest position to the tail.
     * @return the sequence, or -1 when the publisher has overwritten the position.
     */
    public long sequenceAt(final long position)
    {
        final long sequence = buffer.getLong(((int)position & mask) + SEQUENCE_OFFSET);
        if (lapped(position))
        {
            return -1;
        }
        if (sequence < 0)
        {
            throw failure.corrupt("log.record.sequence", "0 or more at position " + position,
                Long.toString(sequence));
        }
        return sequence;
    }

    /**
     * The Tail Position, validated.
     *
     * @return the publisher's tail.
     */
    public long tail()
    {
        return validPosition("log.tailPosition", buffer.getLongVolatile(tailIndex));
    }

    /**
     * The Oldest Position, validated.
     *
     * @return the oldest record still held.
     */
    public long oldest()
    {
        return validPosition("log.oldestPosition", buffer.getLongVolatile(oldestIndex));
    }

    /**
     * Check the Oldest and Tail Positions against each other: Oldest at most Tail, Tail at most a capacity above it.
     * The publisher moves both while this runs, so the pair is read consistently (Tail before and after Oldest, the
     * same both times; read again while it moves, and not judged when it moves on every try: each position is still
     * validated where it is used). Two reads made at different moments may break the rule without anything being
     * wrong.
     *
     * @throws io.shmipc.exceptions.CorruptRegionException when the pair breaks the rule.
     */
    public void checkPositions()
    {
        final String implausible = ChannelDescriptor.implausiblePositions(ChannelKind.PUBLISH_SUBSCRIBE, buffer,
            capacity);
        if (implausible != null)
        {
            throw failure.corrupt("log.positions", LogRecords.positionsRule(capacity), implausible);
        }
    }

    /**
     * Check that a position below the tail holds a complete record: the tail is loaded first, so every record below
     * it was complete before the header is loaded. A zero header there would leave this reader waiting for a record
     * that is never written (unless the publisher overwrote the position meanwhile, which the next read reports).
     *
     * @throws io.shmipc.exceptions.CorruptRegionException for a zero header below the tail.
     */
    public void checkRecordBelowTail()
    {
        final long tail = tail();
        final long position = this.position;
        if (tail > position && buffer.getLongVolatile((int)position & mask) == 0 && !lapped(position))
        {
            throw failure.corrupt("log.record", "a complete record at position " + position + ", below the tail " +
                tail, "header word 0");
        }
    }

    private long validPosition(final String field, final long position)
    {
        if (position < 0 || (position & (ALIGNMENT - 1)) != 0)
        {
            throw failure.corrupt(field, "a multiple of " + ALIGNMENT + ", 0 or more", Long.toString(position));
        }
        return position;
    }

    /**
     * Whether the header word at the position says a record is there (or the position was overwritten).
     *
     * @return true when a poll may find work.
     */
    public boolean hasRecord()
    {
        return buffer.getLongVolatile((int)position & mask) != 0;
    }

    /**
     * The read position: the next record boundary.
     *
     * @return bytes.
     */
    public long position()
    {
        return position;
    }

    /**
     * The sequence of the next message, or -1 before the first record.
     *
     * @return the sequence.
     */
    public long expectedSequence()
    {
        return expectedSequence;
    }

    /**
     * The buffer holding the record read: the log (in place) or the copy.
     *
     * @return the buffer.
     */
    public DirectBuffer recordBuffer()
    {
        return recordBuffer;
    }

    /**
     * Where the payload starts in {@link #recordBuffer()}.
     *
     * @return the offset.
     */
    public int payloadOffset()
    {
        return payloadOffset;
    }

    /**
     * The payload's length.
     *
     * @return bytes.
     */
    public int payloadLength()
    {
        return payloadLength;
    }

    /**
     * The record's type.
     *
     * @return {@link io.shmipc.layout.LogBufferDescriptor#TYPE_MESSAGE} or
     *         {@link io.shmipc.layout.LogBufferDescriptor#TYPE_BATCH}.
     */
    public int recordType()
    {
        return recordType;
    }

    /**
     * The record's sequence.
     *
     * @return the sequence of its first message.
     */
    public long recordSequence()
    {
        return recordSequence;
    }
}
