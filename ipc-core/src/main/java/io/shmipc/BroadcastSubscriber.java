package io.shmipc;

import io.shmipc.exceptions.ShmIpcException;
import io.shmipc.layout.ChannelDescriptor;
import io.shmipc.layout.ChannelLayout;
import io.shmipc.layout.EndpointDescriptor;
import io.shmipc.liveness.EndpointRegistration;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.broadcast.BroadcastReceiver;

/**
 * A receiver of a {@link ChannelKind#BROADCAST} channel. It starts at the newest message, copies each record out
 * before handing it over (the transmitter may overwrite it at any time) and counts, from the sequence numbers,
 * the messages that lapping made it lose. The expected sequence is read after the receiver took its start
 * position, and the transmitter stores the next sequence before each record, so no message sent before this
 * receiver started is ever counted as lost.
 */
final class BroadcastSubscriber extends ChannelEndpoint implements Subscriber
{
    private final BroadcastReceiver receiver;
    private final UnsafeBuffer scratch;
    private final int maxMessageLength;
    private final int capacity;
    private int expectedTypeId;
    private long lostMessages;
    private MessageHandler handler;
    private boolean inHandler;

    BroadcastSubscriber(final Region region, final ChannelLayout layout, final EndpointRegistration registration,
        final BroadcastReceiver receiver, final UnsafeBuffer control)
    {
        super(region, layout, registration);
        this.receiver = receiver;
        this.maxMessageLength = layout.maxMessageLength();
        this.capacity = receiver.capacity();
        this.scratch = new UnsafeBuffer(new byte[Math.max(1, maxMessageLength)]);
        this.expectedTypeId = BroadcastPublisher.typeIdOf(
            control.getLongVolatile(ChannelDescriptor.BROADCAST_SEQUENCE_OFFSET));
    }

    @Override
    public int poll(final MessageHandler handler, final int limit)
    {
        if (closed)
        {
            throw closedException();
        }
        this.handler = handler;
        try
        {
            tick();
            return receive(limit);
        }
        catch (final ShmIpcException ex)
        {
            inHandler = false;
            throw ex;
        }
        catch (final RuntimeException | InternalError ex)
        {
            if (inHandler)
            {
                inHandler = false;
                throw ex;
            }
            throw corruption(ex);
        }
        finally
        {
            this.handler = null;
        }
    }

    private int receive(final int limit)
    {
        final BroadcastReceiver receiver = this.receiver;
        int delivered = 0;
        int lapped = 0;
        while (delivered < limit && receiver.receiveNext())
        {
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
                // Lapped while copying: counted as lost through the sequence gap. Bounded, so a buffer that never
                // validates cannot keep one poll busy forever.
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
            // Sign-extend the 30-bit difference: negative means a record older than expected (the receiver
            // started at the newest record already sent), which is not a loss.
            final int gap = ((typeId - expectedTypeId) << 2) >> 2;
            if (gap > 0)
            {
                lostMessages += gap;
            }
            expectedTypeId = (typeId & (int)ChannelDescriptor.BROADCAST_SEQUENCE_MASK) + 1;
            inHandler = true;
            handler.onMessage(scratch, 0, length);
            inHandler = false;
            delivered++;
        }
        return delivered;
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
    public int connectedPublishers()
    {
        if (closed)
        {
            return 0;
        }
        return region.countAlive(layout, EndpointDescriptor.ROLE_PUBLISHER);
    }
}
