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
    /**
     * The sequence of the first message at or after the head. Sequences run on by one from record to record (checked
     * for the records found at open; the ones appended since were written so), so this process keeps them itself
     * rather than read them back from the file.
     */
    private long headSequence;

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
        long firstSequence = -1;
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
                firstSequence = firstSequence < 0 ? sequence : firstSequence;
            }
        }
        check(file, "nextSequence", expectedSequence < 0 ? ">= 0" : "at least " + expectedSequence, storedNext,
            storedNext >= Math.max(0, expectedSequence));
        nextSequence = expectedSequence < 0 ? storedNext : expectedSequence;
        headSequence = firstSequence < 0 ? nextSequence : firstSequence;
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
        return headSequence;
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
            buffer.putLong(at + RECORD_TYPE_OFFSET, header(TYPE_PADDING, padding - RECORD_HEADER_LENGTH), ORDER);
            index = 0;
        }
        final int at = HEADER_LENGTH + index;
        final int frameLength = FrameDescriptor.DATA_HEADER_LENGTH + length;
        buffer.putLong(at + RECORD_TYPE_OFFSET, header(TYPE_MESSAGE, frameLength), ORDER);
        FrameDescriptor.putDataHeader(buffer, at + RECORD_HEADER_LENGTH, nextSequence, 0, logId);
        buffer.putBytes(at + RECORD_HEADER_LENGTH + FrameDescriptor.DATA_HEADER_LENGTH, source, offset, length);
        nextSequence++;
        buffer.putLongOrdered(NEXT_SEQUENCE_OFFSET, nextSequence);
        tail += padding + recordLength;
        buffer.putLongRelease(TAIL_POSITION_OFFSET, tail);
    }

    /**
     * Free every message whose sequence is below {@code acknowledged}, and the padding records before the first one
     * kept.
     *
     * @param acknowledged the receiver's next expected sequence.
     * @return messages freed.
     */
    int release(final long acknowledged)
    {
        final long toFree = acknowledged - headSequence;
        int freed = 0;
        long position = head;
        while (position < tail)
        {
            final long header = recordHeader(position);
            if (isMessage(header))
            {
                if (freed >= toFree)
                {
                    break;
                }
                freed++;
            }
            position = next(position, header);
        }
        if (position != head)
        {
            head = position;
            headSequence += freed;
            buffer.putLongRelease(HEAD_POSITION_OFFSET, head);
        }
        return freed;
    }

    /**
     * The header of the record at a position between head and tail, read in one load and checked: a known type, and
     * a frame length within the channel's limit and the buffer's end (a padding record's, exactly up to the end).
     * {@link #isMessage}, {@link #frameLength(long)} and {@link #next} take it apart.
     *
     * @param position a record's position.
     * @return the record type in the low 32 bits, the frame length in the high 32.
     * @throws BridgeException naming the field and the value when the record cannot be right.
     */
    long recordHeader(final long position)
    {
        final int index = (int)position & mask;
        final long header = buffer.getLong(HEADER_LENGTH + index + RECORD_TYPE_OFFSET, ORDER);
        final int type = (int)header;
        final int length = frameLengthOf(header);
        final boolean valid = type == TYPE_MESSAGE ? length >= FrameDescriptor.DATA_HEADER_LENGTH &&
            length <= FrameDescriptor.DATA_HEADER_LENGTH + maxMessageLength &&
            index + ReplayLogDescriptor.recordLength(length - FrameDescriptor.DATA_HEADER_LENGTH) <= capacity :
            type == TYPE_PADDING && length == capacity - index - RECORD_HEADER_LENGTH;
        if (!valid)
        {
            throw badRecord(position, index, type, length);
        }
        return header;
    }

    private BridgeException badRecord(final long position, final int index, final int type, final int length)
    {
        if (type != TYPE_MESSAGE && type != TYPE_PADDING)
        {
            return BridgeException.corrupt(file, "record type at position " + position, "1 or 2", type);
        }
        return BridgeException.corrupt(file, "frame length at position " + position, type == TYPE_PADDING ?
            capacity - index - RECORD_HEADER_LENGTH : "16 to " + (16 + maxMessageLength) + " within the buffer",
            length);
    }

    /**
     * A record header as one long: Record Type at offset 0 and Frame Length at 4, little-endian.
     */
    private static long header(final int type, final int frameLength)
    {
        return (type & 0xFFFF_FFFFL) | (long)frameLength << 32;
    }

    /**
     * Whether a checked record header is a message's (else padding).
     *
     * @param header from {@link #recordHeader}.
     * @return true for a message.
     */
    static boolean isMessage(final long header)
    {
        return (int)header == TYPE_MESSAGE;
    }

    /**
     * The frame length of a checked record header.
     *
     * @param header from {@link #recordHeader}.
     * @return bytes of the frame (or of the padding after the record header).
     */
    static int frameLengthOf(final long header)
    {
        return (int)(header >>> 32);
    }

    /**
     * The position after a record, checked against the tail.
     *
     * @param position the record's position.
     * @param header   its header, from {@link #recordHeader}.
     * @return the next record's position.
     */
    long next(final long position, final long header)
    {
        final int length = frameLengthOf(header);
        final long next = position + (isMessage(header) ?
            ReplayLogDescriptor.recordLength(length - FrameDescriptor.DATA_HEADER_LENGTH) :
            RECORD_HEADER_LENGTH + length);
        if (next > tail)
        {
            throw BridgeException.corrupt(file, "record end at position " + position, "at most tail " + tail, next);
        }
        return next;
    }

    /**
     * The record type at a position between head and tail, checked.
     *
     * @param position a record's position.
     * @return {@link ReplayLogDescriptor#TYPE_MESSAGE} or {@link ReplayLogDescriptor#TYPE_PADDING}.
     */
    int recordType(final long position)
    {
        return (int)recordHeader(position);
    }

    /**
     * The frame length of the record at a position, checked against the channel's limit and the buffer's end.
     *
     * @param position a record's position.
     * @return bytes of the frame (or of the padding after the record header).
     */
    int frameLength(final long position)
    {
        return frameLengthOf(recordHeader(position));
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
     * Check that the frame of the message record at a position is sent as this log wrote it: its data header holds
     * the sequence counted for it, no flags, and this log's id. For a frame sent straight from the file.
     *
     * @param position a message record's position.
     * @param sequence the sequence counted for it.
     * @throws BridgeException naming the field and the value when it differs.
     */
    void checkFrame(final long position, final long sequence)
    {
        final int frame = frameOffset(position);
        final long word = buffer.getLong(frame + FrameDescriptor.SEQUENCE_OFFSET, ORDER);
        if (word != sequence)
        {
            throw BridgeException.corrupt(file, "record sequence at position " + position, sequence, word);
        }
        final long frameLogId = FrameDescriptor.logId(buffer, frame);
        if (frameLogId != logId)
        {
            throw BridgeException.corrupt(file, "record log id at position " + position, logId, frameLogId);
        }
    }

    /**
     * The position after the record at {@code position}.
     *
     * @param position a record's position.
     * @return the next record's position.
     */
    long nextPosition(final long position)
    {
        return next(position, recordHeader(position));
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
