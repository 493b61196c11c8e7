package io.shmipc.service;

import io.shmipc.Publisher;
import io.shmipc.channel.ServiceEndpoints;

/**
 * Which server a client's requests go to, and whether it still lives: the request channel's live subscriber (its
 * slot and Endpoint Id), found when a request is sent, and probed (its slot's lock byte, one system call) at most
 * once per interval while requests are sent or pending. A server that died or was replaced is noted once, so that the
 * requests sent to it fail together.
 */
public final class ServerTracker
{
    private final Publisher requests;
    private final long[] found = new long[2];
    private int slot = -1;
    private long serverId;
    private boolean changed;
    private long nextProbeNs;

    /**
     * Track the servers of a request channel.
     *
     * @param requests the client's publisher on it.
     */
    public ServerTracker(final Publisher requests)
    {
        this.requests = requests;
    }

    /**
     * The server to send to: the one known while it lives, else the live one now.
     *
     * @return true when a server lives; {@link #serverId()} is then its id.
     */
    public boolean find()
    {
        if (serverId != 0 && ServiceEndpoints.isAlive(requests, slot, serverId))
        {
            return true;
        }
        lost();
        if (!ServiceEndpoints.findSubscriber(requests, found))
        {
            return false;
        }
        slot = (int)found[0];
        serverId = found[1];
        return true;
    }

    /**
     * The server to send to, without a system call while one is known: the known one while its slot still carries
     * its id and it was alive at its last probe, which is repeated when older than {@code interval}; else the live
     * one now. A request sent to a server that died since its last probe fails with the others pending with it once
     * a probe finds it dead.
     *
     * @param now      {@link System#nanoTime()}.
     * @param interval least time between two probes of a known server.
     * @return true when a server lives; {@link #serverId()} is then its id.
     */
    public boolean find(final long now, final long interval)
    {
        if (serverId != 0)
        {
            if (!ServiceEndpoints.hasId(requests, slot, serverId))
            {
                lost();
            }
            else
            {
                check(now, interval);
                if (serverId != 0)
                {
                    return true;
                }
            }
        }
        if (!find())
        {
            return false;
        }
        nextProbeNs = now + interval;
        return true;
    }

    /**
     * Probe the known server if the last probe is older than {@code interval}.
     *
     * @param now      {@link System#nanoTime()}.
     * @param interval least time between two probes.
     */
    public void check(final long now, final long interval)
    {
        if (now - nextProbeNs < 0)
        {
            return;
        }
        nextProbeNs = now + interval;
        if (serverId != 0 && !ServiceEndpoints.isAlive(requests, slot, serverId))
        {
            lost();
        }
    }

    /**
     * The id of the server requests go to now.
     *
     * @return its Endpoint Id, or 0 when none is known to live.
     */
    public long serverId()
    {
        return serverId;
    }

    /**
     * Whether a server was found dead or replaced since the last call, and forget it.
     *
     * @return true once per change.
     */
    public boolean takeChanged()
    {
        final boolean wasChanged = changed;
        changed = false;
        return wasChanged;
    }

    /**
     * Whether a change is waiting to be taken.
     *
     * @return true after a server was lost.
     */
    public boolean hasChanged()
    {
        return changed;
    }

    private void lost()
    {
        if (ServiceEndpoints.isClosing(requests))
        {
            // The probe of a client closed under it (by another thread) found no server: not a death. Nor when its
            // region's close has begun, which may close a server of the same handle before the client.
            return;
        }
        if (serverId != 0)
        {
            changed = true;
        }
        serverId = 0;
    }
}
