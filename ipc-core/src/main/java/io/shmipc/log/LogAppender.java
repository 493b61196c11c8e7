package io.shmipc.log;

import org.agrona.BitUtil;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.AtomicBuffer;

import java.lang.invoke.VarHandle;

import static io.shmipc.layout.LogBufferDescriptor.*;

/**
 * The publisher's side of a log (see {@link io.shmipc.layout.LogBufferDescriptor}): appends, claims and commits,
 * the cleaning ahead of the writes (the oldest records freed, then their bytes zeroed, a chunk at a time), and the
 * restart after a predecessor (whose positions and last records {@link AppenderRestart} reads and takes in). It
 * keeps the tail, the next sequence, the oldest position and its limit in fields and only stores them into the
 * trailer, so an append reads no shared position. It remembers where each of its own records starts, in a bitmap of
 * its own, so freeing reads nothing the subscribers read: the chunk it zeroes was last touched by their reads, and
 * zeroing it whole takes those lines back in one sweep instead of one stall per record. Shared memory it reads:
 * Publisher Limit on every append, a line no one else writes unless a subscriber joins to replay history and asks
 * for a scan (see {@link SubscriberGate}), and, until it has written a lap of its own, the header words of the
 * records a predecessor left, as it frees them.
 * <p>
 * Not thread-safe: one publisher owns it.
 */
public final class LogAppender
{
    /** What {@link #append} and {@link #claim} return when the limit leaves no room. */
    public static final int BACK_PRESSURED = -1;
    /** The most bytes cleaned ahead of the writes at once: a chunk, or an eighth of a smaller log. */
    public static final int MAX_CLEAN_CHUNK = 16 * 1024;

    private static final int SLOT_SHIFT = Integer.numberOfTrailingZeros(ALIGNMENT);

    /**
     * Where the publisher's limit comes from: a scan of the subscribers.
     */
    @FunctionalInterface
    public interface LimitScanner
    {
        /**
         * Compute the limit anew, when a record reaching {@code end} does not fit under the cached one, or Publisher
         * Limit is no longer that limit (a subscriber asked for a scan).
         *
         * @param tail   the publisher's tail.
         * @param extent the highest position overwritten so far (written or cleaned), exclusive.
         * @param end    the position the next record reaches with the header it prepares after it, exclusive.
         * @return the new limit: no byte at or above it is written.
         */
        long limit(long tail, long extent, long end);
    }

    private final AtomicBuffer buffer;
    private final int capacity;
    private final int mask;
    private final int capacityLog;
    private final int maxRecordLength;
    private final int tailIndex;
    private final int sequenceIndex;
    private final int oldestIndex;
    private final int limitIndex;
    private final LogFailure failure;
    private final LimitScanner scanner;
    private final int recordsTakenIn;
    private final int cleanChunk;
    private final long firstOwnRecord;
    private final long[] recordStarts;
    private long tail;
    private long nextSequence;
    private long oldest;
    private long extent;
    private long limit;
    private int claimIndex = -1;
    private int claimLength;

    /**
     * Start appending to a log after whoever appended before: read the trailer's positions, validate them, and take
     * in the records a predecessor committed but died before counting in the tail.
     *
     * @param buffer           the log's data and trailer.
     * @param capacity         the data capacity, a power of two.
     * @param maxMessageLength the channel's longest message.
     * @param failure          the channel's failure mark.
     * @param scanner          where limits come from.
     * @throws io.shmipc.exceptions.CorruptRegionException when the positions or a record are invalid.
     */
    public LogAppender(final AtomicBuffer buffer, final int capacity, final int maxMessageLength,
        final LogFailure failure, final LimitScanner scanner)
    {
        this.buffer = buffer;
        this.capacity = capacity;
        this.mask = capacity - 1;
        this.capacityLog = Integer.numberOfTrailingZeros(capacity);
        this.maxRecordLength = HEADER_LENGTH + maxMessageLength;
        this.tailIndex = capacity + TAIL_POSITION_OFFSET;
        this.sequenceIndex = capacity + NEXT_SEQUENCE_OFFSET;
        this.oldestIndex = capacity + OLDEST_POSITION_OFFSET;
        this.limitIndex = capacity + PUBLISHER_LIMIT_OFFSET;
        this.failure = failure;
        this.scanner = scanner;
        final AppenderRestart restart = new AppenderRestart(buffer, capacity, maxRecordLength, failure);
        this.tail = restart.tail();
        this.nextSequence = restart.nextSequence();
        this.oldest = restart.oldest();
        this.recordsTakenIn = restart.recordsTakenIn();
        buffer.putLong(((int)tail & mask) + SEQUENCE_OFFSET, nextSequence);
        this.extent = tail + ALIGNMENT;
        this.cleanChunk = Math.min(MAX_CLEAN_CHUNK, capacity / 8);
        this.firstOwnRecord = tail;
        this.recordStarts = new long[Math.max(1, (capacity >> SLOT_SHIFT) / Long.SIZE)];
    }

    /**
     * Append one record.
     *
     * @param type     {@link io.shmipc.layout.LogBufferDescriptor#TYPE_MESSAGE} or
     *                 {@link io.shmipc.layout.LogBufferDescriptor#TYPE_BATCH}.
     * @param source   the payload.
     * @param offset   of the payload in {@code source}.
     * @param length   payload bytes, at most the channel's longest message (checked by the caller).
     * @param messages messages the record holds.
     * @return the record's index in the buffer, or {@link #BACK_PRESSURED}.
     */
    public int append(final int type, final DirectBuffer source, final int offset, final int length,
        final int messages)
    {
        final int recordLength = HEADER_LENGTH + length;
        final int index = reserve(recordLength, messages);
        if (index < 0)
        {
            return BACK_PRESSURED;
        }
        buffer.putBytes(index + PAYLOAD_OFFSET, source, offset, length);
        publish(index, recordLength, type, messages);
        return index;
    }

    /**
     * Claim space for one message, to write in place and then {@link #commitClaim()} or {@link #abortClaim()}.
     *
     * @param length payload bytes.
     * @return the index of the payload in the buffer, or {@link #BACK_PRESSURED}.
     */
    public int claim(final int length)
    {
        final int recordLength = HEADER_LENGTH + length;
        final int index = reserve(recordLength, 1);
        if (index < 0)
        {
            return BACK_PRESSURED;
        }
        claimIndex = index;
        claimLength = recordLength;
        return index + PAYLOAD_OFFSET;
    }

    /**
     * Publish the claimed message.
     */
    public void commitClaim()
    {
        final int index = claimIndex;
        claimIndex = -1;
        publish(index, claimLength, TYPE_MESSAGE, 1);
    }

    /**
     * Give the claimed space up: the tail does not move, so the next record is written in its place. A padding record
     * written before the claim is kept (readers may have passed it): the tail is stored past it.
     */
    public void abortClaim()
    {
        claimIndex = -1;
        buffer.putLongRelease(tailIndex, tail);
    }

    /**
     * Whether a claim is held.
     *
     * @return true between {@link #claim} and its commit or abort.
     */
    public boolean isClaimHeld()
    {
        return claimIndex >= 0;
    }

    /**
     * Make room for a record: check the limit (and whether a subscriber asked for a scan), clean ahead when its bytes
     * reach past what was cleaned, write the padding record when it does not fit before the end, and prepare the
     * next record's header. The record's own Sequence was prepared with the header before it (or when this appender
     * started), so it is not stored again: the line a caught-up subscriber spins on is written only by the record
     * itself.
     *
     * @return the record's index, or {@link #BACK_PRESSURED}.
     */
    private int reserve(final int recordLength, final int messages)
    {
        final int aligned = BitUtil.align(recordLength, ALIGNMENT);
        long tail = this.tail;
        int index = (int)tail & mask;
        final int toEnd = capacity - index;
        final int padding = aligned > toEnd ? toEnd : 0;
        final long end = tail + padding + aligned + ALIGNMENT; // the next header's slot included
        if (end > limit || buffer.getLongVolatile(limitIndex) != limit) // the scanner stores the limit there
        {
            limit = scanner.limit(tail, extent, end);
            if (end > limit)
            {
                return BACK_PRESSURED;
            }
        }
        if (end > extent)
        {
            clean(end);
        }
        final long sequence = nextSequence;
        if (padding != 0)
        {
            prepare(0, sequence);
            markStart(index);
            buffer.putLongRelease(index, headerWord(padding, tail, capacityLog, TYPE_PADDING));
            tail += padding;
            this.tail = tail;
            index = 0;
        }
        prepare((index + aligned) & mask, sequence + messages);
        markStart(index);
        return index;
    }

    /**
     * Clean ahead of the writes up to the next chunk boundary past {@code end} (never past the limit): free the
     * records whose bytes that overwrites, then zero the bytes from the extent on, so the records written there go
     * into lines that hold nothing older and that this process already owns.
     */
    private void clean(final long end)
    {
        // end is a multiple of ALIGNMENT at or below the limit, so at or below the limit's aligned part too
        final long cleanTo = Math.min(BitUtil.align(end, cleanChunk), limit & ~(long)(ALIGNMENT - 1));
        if (oldest < cleanTo - capacity)
        {
            free(cleanTo - capacity);
        }
        long from = extent;
        while (from < cleanTo)
        {
            final int index = (int)from & mask;
            final int length = (int)Math.min(cleanTo - from, capacity - index);
            buffer.setMemory(index, length, (byte)0);
            clearStarts(index, length);
            from += length;
        }
        extent = cleanTo;
    }

    /**
     * Release the record's header word (it is complete from now on), then store the tail and the next sequence.
     */
    private void publish(final int index, final int recordLength, final int type, final int messages)
    {
        final long tail = this.tail;
        buffer.putLongRelease(index, headerWord(recordLength, tail, capacityLog, type));
        final long newTail = tail + BitUtil.align(recordLength, ALIGNMENT);
        final long sequence = nextSequence + messages;
        this.tail = newTail;
        this.nextSequence = sequence;
        buffer.putLongRelease(tailIndex, newTail);
        buffer.putLongRelease(sequenceIndex, sequence);
    }

    /**
     * The header a reader will find at the next record's position: word 0 (nothing yet; cleaning zeroed it, but a
     * claim aborted over the position may have written there since) and the next sequence.
     */
    private void prepare(final int index, final long sequence)
    {
        buffer.putLong(index, 0L);
        buffer.putLong(index + SEQUENCE_OFFSET, sequence);
    }

    /**
     * Move the oldest position past every record that starts below {@code target}, whose bytes the next writes
     * overwrite, and store it before any of those writes (a store-store fence after the release store). A
     * predecessor's records are walked by their header words, each checked; this appender's own are found in its
     * bitmap of record starts.
     */
    private void free(final long target)
    {
        long oldest = this.oldest;
        while (oldest < target && oldest < firstOwnRecord)
        {
            final long word = buffer.getLong((int)oldest & mask);
            if (!LogRecords.isRecordFor(word, oldest, capacityLog, capacity, maxRecordLength))
            {
                throw failure.corrupt("log.record", "a complete record at the oldest position " + oldest,
                    LogRecords.describe(word, oldest));
            }
            oldest += LogRecords.span(word);
        }
        if (oldest < target)
        {
            oldest = firstStartFrom(target);
        }
        this.oldest = oldest;
        buffer.putLongRelease(oldestIndex, oldest);
        VarHandle.releaseFence();
    }

    /**
     * Note that a record (or padding) starts at {@code index}. Cleaning cleared the bits of the slots it covers.
     */
    private void markStart(final int index)
    {
        final int slot = index >>> SLOT_SHIFT;
        recordStarts[slot >>> 6] |= 1L << slot;
    }

    /**
     * Clear the bits of the slots of {@code length} bytes from {@code index}, cleaned: the starts of a lap before.
     */
    private void clearStarts(final int index, final int length)
    {
        final long[] starts = recordStarts;
        int slot = index >>> SLOT_SHIFT;
        final int end = slot + (length >>> SLOT_SHIFT);
        while (slot < end)
        {
            final int bits = Math.min(Long.SIZE - (slot & 63), end - slot);
            starts[slot >>> 6] &= ~((bits == Long.SIZE ? -1L : (1L << bits) - 1) << slot);
            slot += bits;
        }
    }

    /**
     * The first position at or after {@code target} where one of this appender's records starts, or the tail when
     * none does below it. Below the tail every slot was cleaned, and its bit then set if a record started there.
     */
    private long firstStartFrom(final long target)
    {
        final long[] starts = recordStarts;
        final int slots = capacity >>> SLOT_SHIFT;
        long position = BitUtil.align(target, ALIGNMENT);
        while (position < tail)
        {
            final int slot = ((int)position & mask) >>> SLOT_SHIFT;
            final long bits = starts[slot >>> 6] >>> slot;
            if (bits != 0)
            {
                return Math.min(tail, position + ((long)Long.numberOfTrailingZeros(bits) << SLOT_SHIFT));
            }
            position += (long)Math.min(Long.SIZE - (slot & 63), slots - slot) << SLOT_SHIFT;
        }
        return tail;
    }

    /**
     * Check that the trailer still holds the positions this publisher stored: nobody else writes them.
     *
     * @throws io.shmipc.exceptions.CorruptRegionException naming the position that changed.
     */
    public void checkPositions()
    {
        checkPosition("log.tailPosition", tailIndex, tail);
        checkPosition("log.nextSequence", sequenceIndex, nextSequence);
        checkPosition("log.oldestPosition", oldestIndex, oldest);
    }

    private void checkPosition(final String field, final int index, final long expected)
    {
        final long actual = buffer.getLongVolatile(index);
        if (actual != expected)
        {
            throw failure.corrupt(field, Long.toString(expected) + " (stored by the publisher, its only writer)",
                Long.toString(actual));
        }
    }

    /**
     * The tail: the position of the next record.
     *
     * @return bytes.
     */
    public long tail()
    {
        return tail;
    }

    /**
     * The next message's sequence.
     *
     * @return messages published so far.
     */
    public long nextSequence()
    {
        return nextSequence;
    }

    /**
     * The oldest record still intact.
     *
     * @return its position.
     */
    public long oldest()
    {
        return oldest;
    }

    /**
     * The cached limit.
     *
     * @return no byte at or above it is written before the next scan.
     */
    public long limit()
    {
        return limit;
    }

    /**
     * Records found committed past the tail when this appender started.
     *
     * @return records taken in.
     */
    public int recordsTakenIn()
    {
        return recordsTakenIn;
    }

    /**
     * The buffer, for claims written in place.
     *
     * @return the log's buffer.
     */
    public AtomicBuffer buffer()
    {
        return buffer;
    }
}
