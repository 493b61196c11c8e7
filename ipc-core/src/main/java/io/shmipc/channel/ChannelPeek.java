package io.shmipc.channel;

import io.shmipc.BatchingPublisher;
import io.shmipc.ChannelBacklog;
import io.shmipc.ChannelKind;
import io.shmipc.ChannelSpec;
import io.shmipc.MessageHandler;
import io.shmipc.exceptions.CorruptRegionException;
import io.shmipc.layout.ChannelDescriptor;
import io.shmipc.layout.LogBufferDescriptor;
import io.shmipc.log.LogFailure;
import io.shmipc.log.LogReader;
import org.agrona.BitUtil;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.broadcast.BroadcastBufferDescriptor;
import org.agrona.concurrent.ringbuffer.RecordDescriptor;
import org.agrona.concurrent.ringbuffer.RingBuffer;
import org.agrona.concurrent.ringbuffer.RingBufferDescriptor;

import java.nio.ByteOrder;

/**
 * Reads what waits in a channel without consuming it, for {@code RegionInspector.peek}: the records of a ring from
 * its head to its tail (a batch's messages one by one), the messages a publish-subscribe log still holds, or the
 * newest record of a broadcast buffer. Nothing is written; every length read is checked against the buffer before
 * use.
 * <p>
 * A live subscriber may consume, and zero, a record while it is being read. Each record is therefore copied out,
 * and delivered only when, after the copy, its length word is unchanged and the head has not moved past it; a
 * subscriber zeroes a record before it moves the head, from the record's start. When the head has moved, the scan
 * continues from the new head and the counts are of what is still waiting. A broadcast record is delivered only
 * when the transmitter has not begun to overwrite it by the end of the copy.
 */
public final class ChannelPeek
{
    /** Agrona's broadcast record layout (the ring one is imported as {@link RecordDescriptor}). */
    private static final class BroadcastRecord
    {
        static final int LENGTH_OFFSET = org.agrona.concurrent.broadcast.RecordDescriptor.LENGTH_OFFSET;
        static final int TYPE_OFFSET = org.agrona.concurrent.broadcast.RecordDescriptor.TYPE_OFFSET;
        static final int HEADER_LENGTH = org.agrona.concurrent.broadcast.RecordDescriptor.HEADER_LENGTH;
        static final int PADDING_MSG_TYPE_ID = org.agrona.concurrent.broadcast.RecordDescriptor.PADDING_MSG_TYPE_ID;

        private BroadcastRecord()
        {
        }
    }

    /** Times a log scan starts again from the oldest message after the publisher overwrote its position. */
    private static final int LOG_RESTARTS = 3;

    private final String region;
    private final ChannelSpec spec;
    private final UnsafeBuffer buffer;
    private final int capacity;
    private final int maxMessageLength;
    private final UnsafeBuffer scratch;
    private final int limit;
    private final MessageHandler handler;
    private long messages;
    private long bytes;
    private int delivered;
    private boolean writeInProgress;
    private boolean consumerMoved;

    /**
     * A peek at one channel's buffer.
     *
     * @param region  the region, for messages.
     * @param spec    the channel, with the message limit in force.
     * @param buffer  the channel's buffer: capacity plus its trailer.
     * @param limit   most messages to hand to {@code handler}.
     * @param handler called with a private copy of each message shown.
     */
    public ChannelPeek(final String region, final ChannelSpec spec, final UnsafeBuffer buffer, final int limit,
        final MessageHandler handler)
    {
        this.region = region;
        this.spec = spec;
        this.buffer = buffer;
        this.capacity = spec.capacity();
        this.maxMessageLength = spec.maxMessageLength();
        this.scratch = new UnsafeBuffer(new byte[Math.max(1, maxMessageLength)]);
        this.limit = limit;
        this.handler = handler;
    }

    /**
     * Scan the channel once.
     *
     * @return what waits in it.
     * @throws CorruptRegionException when a position or record length read is impossible.
     */
    public ChannelBacklog run()
    {
        final String implausible = ChannelDescriptor.implausiblePositions(spec.kind(), buffer, capacity);
        if (implausible != null)
        {
            throw new CorruptRegionException(region, "channel " + spec.name() + " positions", "positions within " +
                "their invariants (docs/layout.md)", implausible);
        }
        if (spec.kind() == ChannelKind.BROADCAST)
        {
            peekNewestBroadcast();
            return new ChannelBacklog(spec, -1, -1, delivered, false, false);
        }
        if (spec.kind() == ChannelKind.PUBLISH_SUBSCRIBE)
        {
            scanLog();
            return new ChannelBacklog(spec, messages, bytes, delivered, writeInProgress, consumerMoved);
        }
        scanRing();
        return new ChannelBacklog(spec, messages, bytes, delivered, writeInProgress, consumerMoved);
    }

    private void scanRing()
    {
        final int headIndex = capacity + RingBufferDescriptor.HEAD_POSITION_OFFSET;
        final long tail = buffer.getLongVolatile(capacity + RingBufferDescriptor.TAIL_POSITION_OFFSET);
        long position = buffer.getLongVolatile(headIndex);
        if (position < 0 || position > tail || tail - position > capacity || (position & 7) != 0)
        {
            throw corrupt("ring.head", "a multiple of 8 from " + Math.max(0, tail - capacity) + " to " + tail,
                position);
        }
        if (spec.kind() == ChannelKind.MANY_TO_ONE)
        {
            position = afterZeroing(position);
        }
        while (position < tail)
        {
            final long head = buffer.getLongVolatile(headIndex);
            if (head > position)
            {
                // The subscriber consumed (and may have zeroed) what this scan was about to read: go on from there.
                if (!ChannelDescriptor.isPosition(head))
                {
                    throw corrupt("ring.head", "a position: a multiple of 8 from 0 to 2^62", head);
                }
                consumerMoved = true;
                messages = 0;
                bytes = 0;
                position = head;
                continue;
            }
            final int index = (int)(position & (capacity - 1));
            final int length = buffer.getIntVolatile(RecordDescriptor.lengthOffset(index));
            if (length <= 0)
            {
                checkClaimed(position, index, length, tail);
                writeInProgress = true;
                return;
            }
            final int aligned = BitUtil.align(length, RecordDescriptor.ALIGNMENT);
            if (length < RecordDescriptor.HEADER_LENGTH || index + aligned > capacity)
            {
                throw corrupt("record.length at position " + position, "from " + RecordDescriptor.HEADER_LENGTH +
                    " to " + (capacity - index), length);
            }
            final int typeId = buffer.getInt(RecordDescriptor.typeOffset(index));
            if (typeId != RingBuffer.PADDING_MSG_TYPE_ID)
            {
                record(index, position, length, typeId);
            }
            position += aligned;
        }
    }

    /**
     * A record being written: a zero header (claimed, not yet stamped) or the negated length of a record that starts
     * a header or more below the tail and ends within the buffer, as a publisher claims it (the rule the subscriber's
     * unblocking applies). Anything else, {@code Integer.MIN_VALUE} among them, is corruption.
     */
    private void checkClaimed(final long position, final int index, final int length, final long tail)
    {
        final long claimed = -(long)length;
        if (length < 0 && (claimed < RecordDescriptor.HEADER_LENGTH ||
            BitUtil.align(claimed, RecordDescriptor.ALIGNMENT) > Math.min(capacity - index, tail - position)))
        {
            throw corrupt("record.length at position " + position, "a record being written: 0, or from -" +
                Math.min(capacity - index, tail - position) + " to -" + RecordDescriptor.HEADER_LENGTH, length);
        }
    }

    /**
     * Where a many-to-one ring's waiting messages start: its Next Head when the subscriber is zeroing what it read up
     * to there, or died doing so (what lies below was handed out to it), else the head.
     */
    private long afterZeroing(final long head)
    {
        final long nextHead = buffer.getLongVolatile(capacity + ChannelDescriptor.RING_NEXT_HEAD_OFFSET);
        final long tail = buffer.getLongVolatile(capacity + RingBufferDescriptor.TAIL_POSITION_OFFSET);
        if (buffer.getLongVolatile(capacity + RingBufferDescriptor.HEAD_POSITION_OFFSET) != head)
        {
            return head; // a live subscriber moved on meanwhile: the scan follows the head
        }
        // The head did not move, so the Next Head is of a read from this head, made below this tail.
        if (!ChannelDescriptor.isNextHead(head, nextHead, tail, capacity))
        {
            throw corrupt("ring.nextHead", "a multiple of 8 from 0 to 2^62, at most the head " + head +
                " or above it by at most one read up to the tail " + tail, nextHead);
        }
        return Math.max(head, nextHead);
    }

    /**
     * A log: every message it still holds, from its Oldest Position to its tail and on through the complete records
     * past it (what a subscriber joining from the oldest would get: subscribers follow the records' headers, and a
     * publisher that died before storing the tail left its last record there, complete), each record copied and
     * kept only if the publisher had not overwritten it by the end of the copy. A publisher that overwrites the
     * scan's position restarts it from the new oldest, a few times at most. A zero header below the tail, where no
     * publisher can still be writing, is corruption.
     */
    private void scanLog()
    {
        final LogReader reader = new LogReader(buffer, capacity, maxMessageLength,
            LogFailure.unmarked(region, spec.name()));
        reader.start(reader.oldest(), -1, Long.MAX_VALUE, true);
        for (int restarts = 0; restarts <= LOG_RESTARTS; )
        {
            final long tail = reader.tail();
            final int result = reader.next();
            if (result == LogReader.NOTHING)
            {
                if (reader.position() >= tail)
                {
                    return; // the end: no complete record at or past the tail
                }
                // The tail, loaded first, is stored after the record's header: a zero header below it was never
                // written there or was wiped, and no publisher will ever complete it.
                reader.checkRecordBelowTail();
            }
            if (result != LogReader.RECORD)
            {
                consumerMoved = true;
                messages = 0;
                bytes = 0;
                reader.start(reader.oldest(), -1, Long.MAX_VALUE, true);
                restarts++;
                continue;
            }
            final int count = reader.recordMessages();
            if (reader.recordType() == LogBufferDescriptor.TYPE_BATCH)
            {
                logBatch(reader.recordBuffer(), reader.payloadOffset(), reader.payloadLength());
            }
            else
            {
                messages++;
                bytes += reader.payloadLength();
                if (delivered < limit)
                {
                    delivered++;
                    handler.onMessage(reader.recordBuffer(), reader.payloadOffset(), reader.payloadLength());
                }
            }
            reader.consume(count);
        }
    }

    private void logBatch(final DirectBuffer record, final int offset, final int length)
    {
        int entry = 0;
        while (entry < length)
        {
            final int messageLength = record.getInt(offset + entry, ByteOrder.LITTLE_ENDIAN);
            final int body = offset + entry + BatchingPublisher.ENTRY_HEADER_LENGTH;
            messages++;
            bytes += messageLength;
            if (delivered < limit)
            {
                delivered++;
                handler.onMessage(record, body, messageLength);
            }
            entry += BatchingPublisher.ENTRY_HEADER_LENGTH + messageLength;
        }
    }

    private void record(final int index, final long position, final int length, final int typeId)
    {
        final int payload = length - RecordDescriptor.HEADER_LENGTH;
        if (payload > maxMessageLength)
        {
            throw corrupt("record.length at position " + position, "at most " + maxMessageLength +
                " payload bytes", payload);
        }
        final boolean wanted = delivered < limit;
        if (wanted)
        {
            scratch.putBytes(0, buffer, RecordDescriptor.encodedMsgOffset(index), payload);
        }
        final boolean intact = buffer.getIntVolatile(RecordDescriptor.lengthOffset(index)) == length &&
            buffer.getLongVolatile(capacity + RingBufferDescriptor.HEAD_POSITION_OFFSET) <= position;
        if (typeId == BatchingPublisher.BATCH_TYPE_ID)
        {
            batch(position, payload, wanted && intact);
        }
        else
        {
            messages++;
            bytes += payload;
            if (wanted && intact)
            {
                delivered++;
                handler.onMessage(scratch, 0, payload);
            }
        }
        consumerMoved |= wanted && !intact;
    }

    private void batch(final long position, final int payload, final boolean deliver)
    {
        final UnsafeBuffer entries = deliver ? scratch : null;
        final int start = RecordDescriptor.encodedMsgOffset((int)(position & (capacity - 1)));
        int entry = 0;
        while (entry < payload)
        {
            final int messageLength = entry + BatchingPublisher.ENTRY_HEADER_LENGTH <= payload ?
                (deliver ? entries.getInt(entry, ByteOrder.LITTLE_ENDIAN) :
                buffer.getInt(start + entry, ByteOrder.LITTLE_ENDIAN)) : -1;
            final int body = entry + BatchingPublisher.ENTRY_HEADER_LENGTH;
            if (messageLength < 0 || messageLength > payload - body)
            {
                throw corrupt("batch entry length at position " + position + "+" + entry, "from 0 to " +
                    Math.max(0, payload - body), messageLength);
            }
            messages++;
            bytes += messageLength;
            if (deliver && delivered < limit)
            {
                delivered++;
                handler.onMessage(scratch, body, messageLength);
            }
            entry = body + messageLength;
        }
    }

    private void peekNewestBroadcast()
    {
        if (limit < 1)
        {
            return;
        }
        final long tail = buffer.getLongVolatile(capacity + BroadcastBufferDescriptor.TAIL_COUNTER_OFFSET);
        final long latest = buffer.getLongVolatile(capacity + BroadcastBufferDescriptor.LATEST_COUNTER_OFFSET);
        if (tail == 0 || latest < 0 || latest >= tail)
        {
            return; // nothing transmitted yet, or a record on its way
        }
        final int index = (int)(latest & (capacity - 1));
        final int length = buffer.getIntVolatile(index + BroadcastRecord.LENGTH_OFFSET);
        final int header = BroadcastRecord.HEADER_LENGTH;
        final int payload = length - header;
        if (length < header || payload > maxMessageLength || index + length > capacity ||
            buffer.getInt(index + BroadcastRecord.TYPE_OFFSET) == BroadcastRecord.PADDING_MSG_TYPE_ID)
        {
            if (buffer.getLongVolatile(capacity + BroadcastBufferDescriptor.TAIL_INTENT_COUNTER_OFFSET) - capacity <=
                latest)
            {
                // Not overwritten since: the newest record itself cannot be right.
                throw corrupt("broadcast.record at position " + latest, "a message record of " + header + " to " +
                    (header + maxMessageLength) + " bytes within the buffer", length);
            }
            return; // overwritten while read: nothing to show
        }
        scratch.putBytes(0, buffer, index + header, payload);
        final long intent = buffer.getLongVolatile(capacity + BroadcastBufferDescriptor.TAIL_INTENT_COUNTER_OFFSET);
        if (intent - capacity <= latest)
        {
            delivered++;
            handler.onMessage(scratch, 0, payload);
        }
    }

    private CorruptRegionException corrupt(final String field, final String expected, final long actual)
    {
        return new CorruptRegionException(region, "channel " + spec.name() + " " + field, expected,
            Long.toString(actual));
    }
}
