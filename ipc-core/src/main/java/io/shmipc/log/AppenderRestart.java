package io.shmipc.log;

import io.shmipc.BatchingPublisher;
import io.shmipc.layout.ChannelDescriptor;
import org.agrona.concurrent.AtomicBuffer;

import static io.shmipc.layout.LogBufferDescriptor.*;

/**
 * Where a new publisher of a log starts (docs/layout.md, "A new publisher"): the trailer's Tail Position, Next
 * Sequence and Oldest Position read and validated, and the records a predecessor committed but died before counting
 * in the tail taken in, stored, and never overwritten. Runs once, when a {@link LogAppender} is made.
 */
final class AppenderRestart
{
    private final AtomicBuffer buffer;
    private final int capacity;
    private final int mask;
    private final int capacityLog;
    private final int maxRecordLength;
    private final LogFailure failure;
    private long tail;
    private long nextSequence;
    private long oldest;
    private int recordsTakenIn;

    /**
     * Read the positions a predecessor left and take in what it committed.
     *
     * @param buffer          the log's data and trailer.
     * @param capacity        the data capacity, a power of two.
     * @param maxRecordLength header plus the channel's longest message.
     * @param failure         the channel's failure mark.
     * @throws io.shmipc.exceptions.CorruptRegionException when the positions or a record are invalid.
     */
    AppenderRestart(final AtomicBuffer buffer, final int capacity, final int maxRecordLength, final LogFailure failure)
    {
        this.buffer = buffer;
        this.capacity = capacity;
        this.mask = capacity - 1;
        this.capacityLog = Integer.numberOfTrailingZeros(capacity);
        this.maxRecordLength = maxRecordLength;
        this.failure = failure;
        readPositions();
        takeInCommitted();
    }

    private void readPositions()
    {
        tail = buffer.getLongVolatile(capacity + TAIL_POSITION_OFFSET);
        nextSequence = buffer.getLongVolatile(capacity + NEXT_SEQUENCE_OFFSET);
        oldest = buffer.getLongVolatile(capacity + OLDEST_POSITION_OFFSET);
        if ((tail & (ALIGNMENT - 1)) != 0 || (oldest & (ALIGNMENT - 1)) != 0 ||
            !ChannelDescriptor.isWindow(oldest, tail, capacity))
        {
            throw failure.corrupt("log.positions", LogRecords.positionsRule(capacity),
                "tail=" + tail + " oldest=" + oldest);
        }
        if (nextSequence < 0)
        {
            throw failure.corrupt("log.nextSequence", "0 or more", Long.toString(nextSequence));
        }
        // Every record prepares the Sequence of the one after it before its own header is released, so the Sequence
        // at the tail is the next message's. Next Sequence is stored after Tail Position: a predecessor that died
        // between the two left it behind by the messages of its last record, at most a record's worth.
        final long prepared = buffer.getLong(((int)tail & mask) + SEQUENCE_OFFSET);
        final long mostMessages = (maxRecordLength - HEADER_LENGTH) / BatchingPublisher.ENTRY_HEADER_LENGTH + 1;
        if (prepared != nextSequence && (prepared < nextSequence || prepared - nextSequence > mostMessages))
        {
            throw failure.corrupt("log.nextSequence", "the Sequence prepared at the tail, " + prepared +
                ", or at most one record's messages (" + mostMessages + ") below it", Long.toString(nextSequence));
        }
        nextSequence = prepared;
    }

    /**
     * A predecessor that died between releasing a record's header and storing the tail left a complete record at the
     * tail: subscribers may have delivered it already, so it is counted in, never overwritten.
     */
    private void takeInCommitted()
    {
        final int most = capacity / ALIGNMENT;
        while (recordsTakenIn < most)
        {
            final int index = (int)tail & mask;
            final long word = buffer.getLongVolatile(index);
            if (word == 0)
            {
                break;
            }
            final long sequence = buffer.getLong(index + SEQUENCE_OFFSET);
            if (!LogRecords.isRecordFor(word, tail, capacityLog, capacity, maxRecordLength) ||
                sequence != nextSequence || tail + LogRecords.span(word) - oldest > capacity)
            {
                throw failure.corrupt("log.record", "0 or a complete record of sequence " + nextSequence +
                    " at the tail", LogRecords.describe(word, tail) + ", sequence " + sequence);
            }
            nextSequence += messagesOf(word, index);
            tail += LogRecords.span(word);
            recordsTakenIn++;
        }
        if (recordsTakenIn > 0)
        {
            buffer.putLongRelease(capacity + TAIL_POSITION_OFFSET, tail);
        }
        if (recordsTakenIn > 0 || buffer.getLong(capacity + NEXT_SEQUENCE_OFFSET) != nextSequence)
        {
            buffer.putLongRelease(capacity + NEXT_SEQUENCE_OFFSET, nextSequence);
        }
    }

    private int messagesOf(final long word, final int index)
    {
        final int type = type(word);
        if (type == TYPE_PADDING)
        {
            return 0;
        }
        if (type == TYPE_MESSAGE)
        {
            return 1;
        }
        final int entries = LogRecords.batchEntries(buffer, index + PAYLOAD_OFFSET, recordLength(word) - HEADER_LENGTH);
        if (entries < 0)
        {
            throw failure.corrupt("log.record.batch", "entries that fill the batch",
                LogRecords.describe(word, (tail & ~mask) | index));
        }
        return entries;
    }

    /**
     * The tail to append at: past every record taken in.
     *
     * @return bytes.
     */
    long tail()
    {
        return tail;
    }

    /**
     * The next message's sequence, past every record taken in.
     *
     * @return messages published so far.
     */
    long nextSequence()
    {
        return nextSequence;
    }

    /**
     * The oldest record still intact, as the predecessor stored it.
     *
     * @return its position.
     */
    long oldest()
    {
        return oldest;
    }

    /**
     * Records found committed past the tail.
     *
     * @return records taken in.
     */
    int recordsTakenIn()
    {
        return recordsTakenIn;
    }
}
