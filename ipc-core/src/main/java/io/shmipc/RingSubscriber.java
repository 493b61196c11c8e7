package io.shmipc;

import io.shmipc.layout.ChannelLayout;
import io.shmipc.layout.EndpointDescriptor;
import io.shmipc.liveness.EndpointRegistration;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.ringbuffer.RingBuffer;

/**
 * The subscriber of a {@link ChannelKind#ONE_TO_ONE} or {@link ChannelKind#MANY_TO_ONE} channel: it continues
 * from the head position left in shared memory, so a replacement subscriber picks up where the last stopped.
 */
final class RingSubscriber extends ChannelEndpoint implements Subscriber
{
    private final RingBuffer ring;
    private final org.agrona.concurrent.MessageHandler adapter = this::onRecord;
    private MessageHandler handler;

    RingSubscriber(final Region region, final ChannelLayout layout, final EndpointRegistration registration,
        final RingBuffer ring)
    {
        super(region, layout, registration);
        this.ring = ring;
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
            return ring.read(adapter, limit);
        }
        finally
        {
            this.handler = null;
        }
    }

    @Override
    public long lostMessages()
    {
        return 0;
    }

    @Override
    public int publisherCount()
    {
        if (closed)
        {
            return 0;
        }
        return region.countAlive(layout, EndpointDescriptor.ROLE_PUBLISHER);
    }

    private void onRecord(final int typeId, final MutableDirectBuffer buffer, final int offset, final int length)
    {
        handler.onMessage(buffer, offset, length);
    }
}
