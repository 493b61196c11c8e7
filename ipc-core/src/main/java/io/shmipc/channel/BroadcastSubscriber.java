package io.shmipc.channel;

import io.shmipc.ChannelKind;
import io.shmipc.Subscriber;
import io.shmipc.layout.ChannelDescriptor;
import io.shmipc.layout.CountersDescriptor;
import io.shmipc.layout.EndpointDescriptor;
import io.shmipc.posix.MappedBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.broadcast.BroadcastBufferDescriptor;
import org.agrona.concurrent.broadcast.RecordDescriptor;

/**
 * A receiver of a {@link ChannelKind#BROADCAST} channel. It starts at the newest message, copies each record out
 * before handing it over (the transmitter may overwrite it at any time) and counts, from the sequence numbers,
 * the messages that lapping made it lose. The expected sequence is read after the receiver took its start
 * position, and the transmitter stores the next sequence before each record, so no message sent before this
 * receiver started is ever counted as lost.
 */
public final class BroadcastSubscriber extends SubscriberEndpoint implements Subscriber
{
    private final BroadcastReader reader;
    private final MappedBuffer buffer;
    private final MappedBuffer control;
    private final int tailCounterIndex;
    private final int capacity;
    private long caughtUpTail;
    private final UnsafeBuffer scratch;
    private final int maxMessageLength;
    private int expectedTypeId;
    private long nextSequence;
    private long lostMessages;

    BroadcastSubscriber(final ChannelContext context)
    {
        super(context);
        final MappedBuffer control = context.control;
        this.control = control;
        this.buffer = context.buffer;
        this.tailCounterIndex = layout.capacity() + BroadcastBufferDescriptor.TAIL_COUNTER_OFFSET;
        // The tail before the start point: nothing below it is delivered, so nothing is pending until it moves.
        this.caughtUpTail = buffer.getLongVolatile(tailCounterIndex);
        this.reader = new BroadcastReader(buffer, layout.capacity(), health);
        this.capacity = layout.capacity();
        this.maxMessageLength = layout.maxMessageLength();
        this.scratch = new UnsafeBuffer(new byte[Math.max(1, maxMessageLength)]);
        this.nextSequence = control.getLongVolatile(ChannelDescriptor.BROADCAST_SEQUENCE_OFFSET);
        this.expectedTypeId = BroadcastPublisher.typeIdOf(nextSequence);
        registration.receiverProgress(nextSequence, 0);
    }

    @Override
    int receive(final int limit)
    {
        final BroadcastReader reader = this.reader;
        final long tail = reader.readTail();
        final long startSequence = nextSequence;
        int delivered = 0;
        int lapped = 0;
        while (delivered < limit && !closed) // the handler may close this subscriber: nothing more after that
        {
            if (!reader.next(tail))
            {
                caughtUpTail = tail;
                break;
            }
            final int length = reader.length() - RecordDescriptor.HEADER_LENGTH;
            final int offset = reader.payloadIndex();
            // An impossible length is either a record overwritten while being read (not intact) or corrupt.
            final boolean plausible = length >= 0 && length <= maxMessageLength && offset + length <= capacity;
            if (plausible)
            {
                scratch.putBytes(0, buffer, offset, length);
            }
            final int typeId = reader.typeId();
            if (!reader.isIntact())
            {
                // Lapped while reading: the record, and the position of the next one computed from its length,
                // may both be overwritten. Start again from the newest record (the rare case of a receiver that
                // cannot keep up); what was skipped is counted as lost through the sequence gap. Bounded, so
                // that a buffer that never stays intact cannot keep one poll busy forever.
                reader.restart();
                if (++lapped >= limit)
                {
                    break;
                }
                continue;
            }
            if (!plausible)
            {
                throw health.fail(ChannelDescriptor.FAILURE_RECORD, "record",
                    "a message length from 0 to " + maxMessageLength + " ending within capacity " + capacity,
                    "length=" + length + " at offset " + reader.recordIndex());
            }
            reader.accept();
            if (typeId != expectedTypeId)
            {
                // Not the next message: one sent before this receiver started, or a gap from lapping, which the
                // 30 bits of the type id cannot size (a receiver paused while 2^29 or more went by).
                final long sequence = sequenceOf(typeId);
                if (sequence < nextSequence)
                {
                    continue; // sent before this receiver subscribed (it starts at the newest record): not for it
                }
                final long gap = sequence - nextSequence;
                lostMessages += gap;
                counters.get(CountersDescriptor.LOST_MESSAGES).getAndAdd(gap);
                nextSequence = sequence;
            }
            nextSequence++;
            expectedTypeId = BroadcastPublisher.typeIdOf(nextSequence);
            deliver(scratch, 0, length);
            delivered++;
        }
        if (nextSequence != startSequence)
        {
            registration.receiverProgress(nextSequence, lostMessages);
        }
        return delivered;
    }

    /**
     * The whole sequence number of a record just accepted, from the 30 bits its type id carries: the newest one
     * with those bits at or below what the transmitter has numbered. The record was intact when accepted, so it is
     * within a buffer's worth of records of the transmitter's next sequence, far fewer than 2^30.
     *
     * @throws io.shmipc.exceptions.CorruptRegionException when the transmitter's next sequence is below this
     *                                                     receiver's.
     */
    private long sequenceOf(final int typeId)
    {
        final long next = control.getLongVolatile(ChannelDescriptor.BROADCAST_SEQUENCE_OFFSET);
        if (next < nextSequence)
        {
            // The transmitter numbers a record before it writes it, and this receiver has seen none beyond it.
            throw health.fail(ChannelDescriptor.FAILURE_POSITIONS, "broadcastNextSequence",
                "at least the sequence this receiver expects next, " + nextSequence, "broadcastNextSequence=" + next);
        }
        final long newest = next - 1;
        return newest - ((newest - (typeId - 1)) & ChannelDescriptor.BROADCAST_SEQUENCE_MASK);
    }

    @Override
    boolean hasPending()
    {
        return buffer.getLongVolatile(tailCounterIndex) != caughtUpTail;
    }

    /**
     * A transmitter that dies mid-record blocks nobody: a receiver has nothing to look after before it sleeps.
     */
    @Override
    long beforeSleep()
    {
        return Long.MAX_VALUE;
    }

    @Override
    public long lostMessages()
    {
        return lostMessages;
    }

    @Override
    public long unblockedRecords()
    {
        return 0;
    }

    @Override
    public long position()
    {
        return -1;
    }

    @Override
    public boolean isTethered()
    {
        return false;
    }

    @Override
    public int connectedPublishers()
    {
        if (closed)
        {
            return 0;
        }
        return context.countAlive(EndpointDescriptor.ROLE_PUBLISHER);
    }
}
