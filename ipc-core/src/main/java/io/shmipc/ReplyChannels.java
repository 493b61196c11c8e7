package io.shmipc;

import io.shmipc.channel.RingPublisher;
import io.shmipc.channel.ServiceEndpoints;
import io.shmipc.exceptions.ChannelInUseException;
import io.shmipc.exceptions.CorruptRegionException;
import io.shmipc.exceptions.NoSuchChannelException;
import io.shmipc.exceptions.RegionClosedException;
import io.shmipc.layout.ServiceDescriptor;
import org.agrona.collections.Int2ObjectHashMap;

import java.util.ArrayList;
import java.util.List;

/**
 * The reply channels a service server holds, one per client it has answered: a publisher opened on the client's
 * first response, released and removed from the region once the client died or closed, with what the client never
 * read counted as dropped. Also removes the reply channels of clients that died before any server answered them
 * (while no server ran, or before their first response). Finding a client's publisher allocates nothing and takes no
 * lock once it was opened. The server's thread, but for {@link #close()}, which may come from another thread: the
 * changes (a publisher opened, a channel reclaimed, a sweep) and the close exclude each other, and a close that
 * overtakes the server's thread leaves it publishers that say {@link Publisher#CLOSED}, or none.
 */
final class ReplyChannels
{
    private final Region region;
    private final String service;
    private final Int2ObjectHashMap<RingPublisher> clients = new Int2ObjectHashMap<>();
    private final List<Integer> clientIds = new ArrayList<>();
    private long droppedResponses;
    private long reclaimedClients;
    private volatile boolean closed;
    /** Whether the last sweep found every reply channel of the service held by this server. */
    private boolean settled;
    /** The Directory Change Count read before the last sweep listed the channels. */
    private int settledChangeCount;

    ReplyChannels(final Region region, final String service)
    {
        this.region = region;
        this.service = service;
    }

    /**
     * The publisher on a client's reply channel, opened on its first response.
     *
     * @return the publisher, or null when the client has no reply channel this server can hold.
     */
    RingPublisher open(final int clientId)
    {
        final RingPublisher known = clients.get(clientId);
        return known != null ? known : openNew(clientId);
    }

    private synchronized RingPublisher openNew(final int clientId)
    {
        if (closed)
        {
            return null;
        }
        try
        {
            final Publisher opened = region.publisher(ServiceDescriptor.replyChannel(service, clientId));
            if (opened.kind() != ChannelKind.ONE_TO_ONE)
            {
                opened.close();
                return null; // a client's reply channel is ONE_TO_ONE: one of the name and another kind is no client's
            }
            final RingPublisher reply = (RingPublisher)opened;
            clients.put(clientId, reply);
            clientIds.add(clientId);
            return reply;
        }
        catch (final NoSuchChannelException | ChannelInUseException ex)
        {
            return null; // never had a reply channel, removed, or already answered by another server
        }
        catch (final RegionClosedException ex)
        {
            return null; // the region handle was closed: see isClosed()
        }
        catch (final CorruptRegionException ex)
        {
            return null; // its channel failed: responses to it are dropped
        }
    }

    /**
     * The publisher of a client this server has answered, or null.
     */
    Publisher find(final int clientId)
    {
        return clients.get(clientId);
    }

    int size()
    {
        return clients.size();
    }

    /**
     * Whether {@link #close()} was called, or the region handle the publishers are opened on was closed: either way
     * no response goes out any more (a closed handle closed every publisher opened on it, and opens none).
     */
    boolean isClosed()
    {
        return closed || region.isClosed();
    }

    /**
     * A response that never reaches its client.
     */
    void countDropped()
    {
        droppedResponses++;
    }

    long droppedResponses()
    {
        return droppedResponses;
    }

    long reclaimedClients()
    {
        return reclaimedClients;
    }

    /**
     * Release and remove the reply channels of clients that died or closed.
     */
    synchronized void reclaimDead()
    {
        if (closed)
        {
            return;
        }
        for (int i = clientIds.size() - 1; i >= 0; i--)
        {
            final int clientId = clientIds.get(i);
            if (!clients.get(clientId).isConsumerAlive())
            {
                reclaim(clientId);
            }
        }
    }

    /**
     * Release the publisher of a client whose reply channel was found damaged; the channel stays (its client still
     * holds it, and fails on its next poll) until the client is gone, when a sweep removes it.
     */
    synchronized void dropFailed(final int clientId)
    {
        final Publisher reply = clients.remove(clientId);
        if (reply != null)
        {
            clientIds.remove(Integer.valueOf(clientId));
            reply.close();
        }
    }

    /**
     * Release a gone client's reply channel, count what it never read as dropped, and remove the channel.
     */
    synchronized void reclaim(final int clientId)
    {
        final Publisher reply = clients.remove(clientId);
        if (reply == null)
        {
            return; // closed meanwhile, by another thread
        }
        clientIds.remove(Integer.valueOf(clientId));
        reply.close();
        droppedResponses += ServiceEndpoints.unconsumed(reply);
        try
        {
            if (region.directory().removeChannel(reply.channel()))
            {
                reclaimedClients++;
            }
        }
        catch (final ChannelInUseException ex)
        {
            // The client came back to life under the same id: impossible while the channel exists; leave it.
        }
    }

    /**
     * Remove the reply channels of this service that no live endpoint uses: those of clients that died before this
     * server answered them, or while no server ran. The directory is read again only when it changed since the last
     * sweep, or when that sweep left live clients this server has not answered (any of them may die): a server whose
     * clients have all been answered sweeps nothing, and allocates nothing, until a channel comes or goes.
     */
    synchronized void removeUnansweredDead()
    {
        if (closed)
        {
            return;
        }
        final RegionDirectory directory = region.directory();
        final int changeCount = directory.changeCount();
        if (settled && changeCount == settledChangeCount)
        {
            return;
        }
        boolean lookAgain = false;
        for (final ChannelSpec channel : region.channels())
        {
            final Integer clientId = channel.kind() == ChannelKind.ONE_TO_ONE ?
                ServiceDescriptor.clientIdOf(service, channel.name()) : null; // only what a client adds
            if (clientId == null || clients.containsKey(clientId.intValue()))
            {
                continue;
            }
            if (directory.removeIfUnused(channel.name()))
            {
                reclaimedClients++;
            }
            lookAgain = true; // a live client not answered yet (it may die), or a removal of this sweep's own
        }
        settled = !lookAgain;
        settledChangeCount = changeCount; // read before the list: a change made since makes the next round look
    }

    /**
     * Release every reply channel held; the channels stay in the region. Idempotent.
     */
    synchronized void close()
    {
        closed = true;
        for (final Integer clientId : clientIds)
        {
            clients.get(clientId.intValue()).close();
        }
        clients.clear();
        clientIds.clear();
    }
}
