package io.shmipc.bridge;

import org.agrona.DirectBuffer;
import org.agrona.IoUtil;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.IOException;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;

import static io.shmipc.bridge.ReplayLogDescriptor.CAPACITY_OFFSET;
import static io.shmipc.bridge.ReplayLogDescriptor.FRAME_LENGTH_OFFSET;
import static io.shmipc.bridge.ReplayLogDescriptor.HEADER_LENGTH;
import static io.shmipc.bridge.ReplayLogDescriptor.HEAD_POSITION_OFFSET;
import static io.shmipc.bridge.ReplayLogDescriptor.LOG_ID_OFFSET;
import static io.shmipc.bridge.ReplayLogDescriptor.NEXT_SEQUENCE_OFFSET;
import static io.shmipc.bridge.ReplayLogDescriptor.RECORD_HEADER_LENGTH;
import static io.shmipc.bridge.ReplayLogDescriptor.RECORD_TYPE_OFFSET;
import static io.shmipc.bridge.ReplayLogDescriptor.TAIL_POSITION_OFFSET;
import static io.shmipc.bridge.ReplayLogDescriptor.TYPE_MESSAGE;
import static io.shmipc.bridge.ReplayLogDescriptor.TYPE_PADDING;
import static io.shmipc.bridge.ReplayLogFile.check;

/**
 * The replay log of one outbound ring route (see {@link ReplayLogDescriptor}): messages taken from the local ring
 * are appended at the tail, sent from a cursor the route keeps, and freed from the head once acknowledged. Every
 * field and record read is checked against the file's geometry; a bad one is a {@link BridgeException} naming it.
 * {@link ReplayLogFile} creates, maps and checks the file's header; this class reads and writes its records.
 */
final class ReplayLog implements AutoCloseable
{
    private static final ByteOrder ORDER = ByteOrder.LITTLE_ENDIAN;

    private final Path file;
    private final MappedByteBuffer mapped;
    private final UnsafeBuffer buffer;
    private final int capacity;
    private final int mask;
    private final int maxMessageLength;
    private final int maxRecordLength;
    /** The most log bytes the messages of one ring record take: a batch of empty messages takes the most. */
    private final int maxRingRecordBytes;
    private final long logId;
    private long head;
    private long tail;
    private long nextSequence;

    private ReplayLog(final Path file, final MappedByteBuffer mapped, final int maxMessageLength)
    {
        this.file = file;
        this.mapped = mapped;
        this.buffer = new UnsafeBuffer(mapped);
        this.capacity = buffer.getInt(CAPACITY_OFFSET, ORDER);
        this.mask = capacity - 1;
        this.maxMessageLength = maxMessageLength;
        this.maxRecordLength = ReplayLogDescriptor.recordLength(maxMessageLength);
        this.maxRingRecordBytes = ReplayLogDescriptor.maxRingRecordBytes(maxMessageLength);
        this.logId = buffer.getLong(LOG_ID_OFFSET, ORDER);
    }

    /**
     * Open the log in {@code file}, creating it when absent. An existing log that holds unacknowledged messages keeps
     * its own capacity (they are what it is kept for); an empty one of another capacity is created again with
     * {@code capacity}. A log this call created is deleted again when it is refused (too small for the channel), so a
     * refused start leaves nothing behind.
     *
     * @param file             the file.
     * @param capacity         capacity of a new log: a power of two of at least 64 KiB.
     * @param maxMessageLength the channel's message limit: every record must fit it, and four of them the
     *                         capacity.
     * @return the log, validated.
     */
    static ReplayLog openOrCreate(final Path file, final int capacity, final int maxMessageLength)
    {
        boolean existed = Files.exists(file);
        if (existed && emptyOfAnotherCapacity(file, capacity))
        {
            delete(file);
            existed = false;
        }
        return open(file, capacity, maxMessageLength, existed);
    }

    private static boolean emptyOfAnotherCapacity(final Path file, final int capacity)
    {
        final MappedByteBuffer mapped = ReplayLogFile.openOrCreate(file, capacity);
        try
        {
            final UnsafeBuffer header = new UnsafeBuffer(mapped);
            return header.getInt(CAPACITY_OFFSET, ORDER) != capacity &&
                header.getLongVolatile(HEAD_POSITION_OFFSET) == header.getLongVolatile(TAIL_POSITION_OFFSET);
        }
        finally
        {
            IoUtil.unmap(mapped);
        }
    }

    private static ReplayLog open(final Path file, final int capacity, final int maxMessageLength,
        final boolean existed)
    {
        final MappedByteBuffer mapped = ReplayLogFile.openOrCreate(file, capacity);
        try
        {
            final ReplayLog log = new ReplayLog(file, mapped, maxMessageLength);
            if (log.maxRecordLength * 4L > log.capacity ||
                (long)log.maxRecordLength + log.maxRingRecordBytes > log.capacity)
            {
                throw new BridgeException(null, "replay log too small for the channel's messages: file=" + file +
                    " capacity=" + log.capacity + " maxMessageLength=" + maxMessageLength +
                    " (the log must hold 4 records of the largest message, and a full batch of empty messages, " +
                    log.maxRingRecordBytes + " bytes, beside a padding record; " + (existed ? "this log holds " +
                    "unacknowledged messages and keeps its capacity until they are sent: give the channel its " +
                    "former message limit, or delete the file and them)" : "raise the replay capacity)"));
            }
            log.recover();
            return log;
        }
        catch (final RuntimeException ex)
        {
            IoUtil.unmap(mapped);
            if (!existed)
            {
                delete(file);
            }
            throw ex;
        }
    }

    private static void delete(final Path file)
    {
        try
        {
            Files.deleteIfExists(file);
        }
        catch (final IOException ex)
        {
            throw new BridgeException(null, "cannot delete replay log: file=" + file + ": " + ex.getMessage(), ex);
        }
    }

    /**
     * Validate head, tail and every record between them, and find the next sequence.
     */
    private void recover()
    {
        head = buffer.getLongVolatile(HEAD_POSITION_OFFSET);
        tail = buffer.getLongVolatile(TAIL_POSITION_OFFSET);
        ReplayLogFile.checkPositions(file, head, tail, capacity);
        final long storedNext = buffer.getLong(NEXT_SEQUENCE_OFFSET, ORDER);
        long expectedSequence = -1;
        for (long position = head; position < tail; position = nextPosition(position))
        {
            if (recordType(position) == TYPE_MESSAGE)
            {
                final long sequence = sequenceAt(position);
                check(file, "record sequence at position " + position,
                    expectedSequence < 0 ? "any" : expectedSequence, sequence,
                    expectedSequence < 0 || sequence == expectedSequence);
                check(file, "record log id at position " + position, logId,
                    FrameDescriptor.logId(buffer, frameOffset(position)),
                    FrameDescriptor.logId(buffer, frameOffset(position)) == logId);
                expectedSequence = sequence + 1;
            }
        }
        check(file, "nextSequence", expectedSequence < 0 ? ">= 0" : "at least " + expectedSequence, storedNext,
            storedNext >= Math.max(0, expectedSequence));
        nextSequence = expectedSequence < 0 ? storedNext : expectedSequence;
    }

    Path file()
    {
        return file;
    }

    long logId()
    {
        return logId;
    }

    int capacity()
    {
        return capacity;
    }

    long headPosition()
    {
        return head;
    }

    long tailPosition()
    {
        return tail;
    }

    long nextSequence()
    {
        return nextSequence;
    }

    /**
     * The sequence of the oldest unacknowledged message, or {@link #nextSequence()} when there is none.
     *
     * @return the sequence.
     */
    long headSequence()
    {
        for (long position = head; position < tail; position = nextPosition(position))
        {
            if (recordType(position) == TYPE_MESSAGE)
            {
                return sequenceAt(position);
            }
        }
        return nextSequence;
    }

    /**
     * How many ring records can be taken now, each a single message up to the channel's limit or a batch of them
     * (see {@link ReplayLogDescriptor#maxRingRecordBytes}), keeping room for a padding record. A ring poll's limit
     * counts records, not the messages a batch holds.
     *
     * @param most the largest answer wanted.
     * @return 0 when the log is full.
     */
    int ringRecordsThatFit(final int most)
    {
        final long free = capacity - (tail - head) - maxRecordLength;
        return free <= 0 ? 0 : (int)Math.min(most, free / maxRingRecordBytes);
    }

    /**
     * Append a message at the tail, padding to the end of the buffer first when it would wrap. The tail moves
     * last, with a release store: a bridge killed mid-append leaves the record outside the log.
     *
     * @param source holding the message.
     * @param offset of the first byte.
     * @param length in bytes, at most the channel's limit.
     */
    void append(final DirectBuffer source, final int offset, final int length)
    {
        final int recordLength = ReplayLogDescriptor.recordLength(length);
        int index = (int)tail & mask;
        final int toEnd = capacity - index;
        final int padding = recordLength > toEnd ? toEnd : 0;
        if (length > maxMessageLength || (tail - head) + padding + recordLength > capacity)
        {
            throw new IllegalStateException("replay log cannot take the message: file=" + file + " length=" +
                length + " free=" + (capacity - (tail - head)));
        }
        if (padding > 0)
        {
            final int at = HEADER_LENGTH + index;
            buffer.putInt(at + RECORD_TYPE_OFFSET, TYPE_PADDING, ORDER);
            buffer.putInt(at + FRAME_LENGTH_OFFSET, padding - RECORD_HEADER_LENGTH, ORDER);
            index = 0;
        }
        final int at = HEADER_LENGTH + index;
        buffer.putInt(at + RECORD_TYPE_OFFSET, TYPE_MESSAGE, ORDER);
        buffer.putInt(at + FRAME_LENGTH_OFFSET, FrameDescriptor.DATA_HEADER_LENGTH + length, ORDER);
        FrameDescriptor.putDataHeader(buffer, at + RECORD_HEADER_LENGTH, nextSequence, 0, logId);
        buffer.putBytes(at + RECORD_HEADER_LENGTH + FrameDescriptor.DATA_HEADER_LENGTH, source, offset, length);
        nextSequence++;
        buffer.putLongOrdered(NEXT_SEQUENCE_OFFSET, nextSequence);
        tail += padding + recordLength;
        buffer.putLongRelease(TAIL_POSITION_OFFSET, tail);
    }

    /**
     * Free every message whose sequence is below {@code acknowledged}.
     *
     * @param acknowledged the receiver's next expected sequence.
     * @return messages freed.
     */
    int release(final long acknowledged)
    {
        int freed = 0;
        long position = head;
        while (position < tail)
        {
            if (recordType(position) == TYPE_MESSAGE)
            {
                if (sequenceAt(position) >= acknowledged)
                {
                    break;
                }
                freed++;
            }
            position = nextPosition(position);
        }
        if (position != head)
        {
            head = position;
            buffer.putLongRelease(HEAD_POSITION_OFFSET, head);
        }
        return freed;
    }

    /**
     * The record type at a position between head and tail, checked.
     *
     * @param position a record's position.
     * @return {@link ReplayLogDescriptor#TYPE_MESSAGE} or {@link ReplayLogDescriptor#TYPE_PADDING}.
     */
    int recordType(final long position)
    {
        final int type = buffer.getInt(HEADER_LENGTH + ((int)position & mask) + RECORD_TYPE_OFFSET, ORDER);
        if (type != TYPE_MESSAGE && type != TYPE_PADDING)
        {
            throw BridgeException.corrupt(file, "record type at position " + position, "1 or 2", type);
        }
        return type;
    }

    /**
     * The frame length of the record at a position, checked against the channel's limit and the buffer's end.
     *
     * @param position a record's position.
     * @return bytes of the frame (or of the padding after the record header).
     */
    int frameLength(final long position)
    {
        final int index = (int)position & mask;
        final int length = buffer.getInt(HEADER_LENGTH + index + FRAME_LENGTH_OFFSET, ORDER);
        final boolean padding = recordType(position) == TYPE_PADDING;
        final boolean valid = padding ? length == capacity - index - RECORD_HEADER_LENGTH :
            length >= FrameDescriptor.DATA_HEADER_LENGTH &&
            length <= FrameDescriptor.DATA_HEADER_LENGTH + maxMessageLength &&
            index + ReplayLogDescriptor.recordLength(length - FrameDescriptor.DATA_HEADER_LENGTH) <= capacity;
        if (!valid)
        {
            throw BridgeException.corrupt(file, "frame length at position " + position, padding ?
                capacity - index - RECORD_HEADER_LENGTH : "16 to " + (16 + maxMessageLength) + " within the buffer",
                length);
        }
        return length;
    }

    /**
     * Where the frame of the record at a position starts in {@link #buffer()}.
     *
     * @param position a record's position.
     * @return the offset.
     */
    int frameOffset(final long position)
    {
        return HEADER_LENGTH + ((int)position & mask) + RECORD_HEADER_LENGTH;
    }

    long sequenceAt(final long position)
    {
        return FrameDescriptor.sequence(buffer, frameOffset(position));
    }

    /**
     * The position after the record at {@code position}.
     *
     * @param position a record's position.
     * @return the next record's position.
     */
    long nextPosition(final long position)
    {
        final int length = frameLength(position);
        final int type = recordType(position);
        final long next = position + (type == TYPE_PADDING ? RECORD_HEADER_LENGTH + length :
            ReplayLogDescriptor.recordLength(length - FrameDescriptor.DATA_HEADER_LENGTH));
        if (next > tail)
        {
            throw BridgeException.corrupt(file, "record end at position " + position, "at most tail " + tail, next);
        }
        return next;
    }

    /**
     * The mapped file: records are sent from it without a copy.
     *
     * @return the buffer.
     */
    UnsafeBuffer buffer()
    {
        return buffer;
    }

    /**
     * Check that the file is still as long as its mapping.
     *
     * @throws BridgeException on field {@code file.size} when it was truncated.
     */
    void checkWhole()
    {
        MappedFiles.checkWhole(file, mapped.capacity());
    }

    @Override
    public void close()
    {
        IoUtil.unmap(mapped);
    }
}
