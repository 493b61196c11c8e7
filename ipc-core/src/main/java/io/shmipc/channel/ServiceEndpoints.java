package io.shmipc.channel;

import io.shmipc.Publisher;
import io.shmipc.Subscriber;
import io.shmipc.layout.CountersDescriptor;

import static io.shmipc.layout.EndpointDescriptor.*;

/**
 * What the request/response layer needs to know about the endpoints it is built from, beyond their API: a server's
 * identity (the Endpoint Id of the request channel's subscriber, in its slot) as clients find and watch it, and how
 * many responses a reply channel's subscriber never consumed. Cold paths: probes are system calls.
 */
public final class ServiceEndpoints
{
    private ServiceEndpoints()
    {
    }

    /**
     * The Endpoint Id written in a subscriber's slot: a server's identity.
     *
     * @param subscriber the request channel's subscriber.
     * @return the id.
     */
    public static long endpointId(final Subscriber subscriber)
    {
        return ((ChannelEndpoint)subscriber).registration.endpointId();
    }

    /**
     * Find the live subscriber of the channel a publisher publishes on: the slot with the subscriber role, a non-zero
     * endpoint id and a held lock byte.
     *
     * @param publisher a publisher on the channel.
     * @param found     filled with the slot at index 0 and the endpoint id at index 1.
     * @return true when a live subscriber was found.
     */
    public static boolean findSubscriber(final Publisher publisher, final long[] found)
    {
        final ChannelEndpoint endpoint = (ChannelEndpoint)publisher;
        final ChannelContext context = endpoint.context;
        for (int slot = 0; slot < context.layout.endpointSlots(); slot++)
        {
            final int offset = slot * SLOT_LENGTH;
            final long id = context.endpointTable.getLongVolatile(offset + ENDPOINT_ID_OFFSET);
            if (id != 0 && context.endpointTable.getInt(offset + ROLE_OFFSET) == ROLE_SUBSCRIBER &&
                context.locks.isHeld(context.layout.slotOffset(slot)) &&
                context.endpointTable.getLongVolatile(offset + ENDPOINT_ID_OFFSET) == id)
            {
                found[0] = slot;
                found[1] = id;
                return true;
            }
        }
        return false;
    }

    /**
     * Whether a slot of a publisher's channel still carries an endpoint id, without asking the kernel whether its
     * holder lives: one volatile read.
     *
     * @param publisher a publisher on the channel.
     * @param slot      the slot.
     * @param id        the Endpoint Id it carried.
     * @return false when the publisher is closed or the slot carries another id.
     */
    public static boolean hasId(final Publisher publisher, final int slot, final long id)
    {
        final ChannelEndpoint endpoint = (ChannelEndpoint)publisher;
        return !endpoint.closed &&
            endpoint.context.endpointTable.getLongVolatile(slot * SLOT_LENGTH + ENDPOINT_ID_OFFSET) == id;
    }

    /**
     * Whether a publisher is closed, or its region's close has begun ({@link ChannelEndpoint#isClosing()}).
     *
     * @param publisher the publisher.
     * @return true once its region started closing.
     */
    public static boolean isClosing(final Publisher publisher)
    {
        return ((ChannelEndpoint)publisher).isClosing();
    }

    /**
     * Whether the endpoint found in a slot is still there and alive: its id is still the slot's and the slot's lock
     * byte is held. A new endpoint in the slot writes its own id, and a dead one's lock is free.
     *
     * @param publisher a publisher on the channel.
     * @param slot      the slot.
     * @param id        the endpoint id found there.
     * @return true while it lives.
     */
    public static boolean isAlive(final Publisher publisher, final int slot, final long id)
    {
        final ChannelEndpoint endpoint = (ChannelEndpoint)publisher;
        if (endpoint.closed)
        {
            return false;
        }
        final ChannelContext context = endpoint.context;
        return context.endpointTable.getLongVolatile(slot * SLOT_LENGTH + ENDPOINT_ID_OFFSET) == id &&
            context.locks.isHeld(context.layout.slotOffset(slot));
    }

    /**
     * Messages published on a publisher's channel that its subscribers did not consume: the channel's published
     * messages less its consumed messages, as the counters say (a ring channel).
     *
     * @param publisher a publisher on the channel, after flushing what it counts itself (close it first).
     * @return messages never consumed.
     */
    public static long unconsumed(final Publisher publisher)
    {
        final ChannelCounters counters = ((ChannelEndpoint)publisher).counters;
        return Math.max(0, counters.get(CountersDescriptor.PUBLISHED_MESSAGES).get() -
            counters.get(CountersDescriptor.CONSUMED_MESSAGES).get());
    }
}
