package io.shmipc.channel;

import io.shmipc.ChannelKind;
import io.shmipc.Subscriber;
import io.shmipc.layout.ChannelDescriptor;
import io.shmipc.layout.CountersDescriptor;
import io.shmipc.layout.EndpointDescriptor;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.broadcast.BroadcastBufferDescriptor;
import org.agrona.concurrent.broadcast.BroadcastReceiver;

/**
 * A receiver of a {@link ChannelKind#BROADCAST} channel. It starts at the newest message, copies each record out
 * before handing it over (the transmitter may overwrite it at any time) and counts, from the sequence numbers,
 * the messages that lapping made it lose. The expected sequence is read after the receiver took its start
 * position, and the transmitter stores the next sequence before each record, so no message sent before this
 * receiver started is ever counted as lost.
 */
public final class BroadcastSubscriber extends SubscriberEndpoint implements Subscriber
{
    private BroadcastReceiver receiver;
    private final UnsafeBuffer buffer;
    private final int tailCounterIndex;
    private final int capacity;
    private long caughtUpTail = -1;
    private final UnsafeBuffer scratch;
    private final int maxMessageLength;
    private int expectedTypeId;
    private long nextSequence;
    private long lostMessages;

    BroadcastSubscriber(final ChannelContext context)
    {
        super(context);
        final UnsafeBuffer control = context.control;
        this.buffer = context.buffer;
        this.receiver = new BroadcastReceiver(buffer);
        this.tailCounterIndex = layout.capacity() + BroadcastBufferDescriptor.TAIL_COUNTER_OFFSET;
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
        BroadcastReceiver receiver = this.receiver;
        final long tail = buffer.getLongVolatile(tailCounterIndex);
        final long startSequence = nextSequence;
        int delivered = 0;
        int lapped = 0;
        while (delivered < limit && !closed) // the handler may close this subscriber: nothing more after that
        {
            if (!receiver.receiveNext())
            {
                caughtUpTail = tail;
                break;
            }
            final int length = receiver.length();
            final int offset = receiver.offset();
            // An impossible length is either a record overwritten while being read (validate() fails) or corrupt.
            final boolean plausible = length >= 0 && length <= maxMessageLength && offset + length <= capacity;
            if (plausible)
            {
                scratch.putBytes(0, receiver.buffer(), offset, length);
            }
            final int typeId = receiver.typeId();
            if (!receiver.validate())
            {
                // Lapped while reading: the record, and the position of the next one computed from its length,
                // may both be overwritten. Start again from the newest record (a new receiver, the rare case of a
                // receiver that cannot keep up); what was skipped is counted as lost through the sequence gap.
                // Bounded, so that a buffer that never validates cannot keep one poll busy forever.
                receiver = new BroadcastReceiver(buffer);
                this.receiver = receiver;
                if (++lapped >= limit)
                {
                    break;
                }
                continue;
            }
            if (!plausible)
            {
                throw corruptRecord(offset, length);
            }
            // Sign-extend the 30-bit difference to tell a record older than expected from a gap.
            final int gap = ((typeId - expectedTypeId) << 2) >> 2;
            if (gap < 0)
            {
                continue; // sent before this receiver subscribed (Agrona starts at the newest record): not for it
            }
            if (gap > 0)
            {
                lostMessages += gap;
                counters.get(CountersDescriptor.LOST_MESSAGES).getAndAdd(gap);
            }
            expectedTypeId = (typeId & (int)ChannelDescriptor.BROADCAST_SEQUENCE_MASK) + 1;
            nextSequence += gap + 1;
            deliver(scratch, 0, length);
            delivered++;
        }
        if (nextSequence != startSequence)
        {
            registration.receiverProgress(nextSequence, lostMessages);
        }
        return delivered;
    }

    @Override
    boolean hasPending()
    {
        return buffer.getLongVolatile(tailCounterIndex) != caughtUpTail;
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
