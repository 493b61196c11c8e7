package io.shmipc.handoff;

import io.shmipc.exceptions.ShmIpcException;
import io.shmipc.posix.Posix;
import io.shmipc.posix.UnixSockets;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Serves one anonymous region's descriptor to the processes this one started with a {@link HandoffGrant}, over an
 * abstract Unix-domain socket that exists while the server runs and leaves nothing in any file system.
 * <p>
 * A connection is granted the descriptor only when all of these hold: the request names the region's label and a
 * secret this server issued and has not yet honoured; the grant has been told which process it is for
 * ({@link HandoffGrant#started}); and the kernel says ({@code SO_PEERCRED}) that the connecting process is that
 * process. Anyone else, of any user, is refused with the reason. One thread accepts connections one at a time, each
 * bounded by a timeout, so a peer that stalls cannot hold the server for long.
 */
public final class HandoffServer implements AutoCloseable
{
    /** Longest wait for a peer's request, and for the answer to be taken. */
    private static final Duration PEER_TIMEOUT = Duration.ofSeconds(2);
    /** Longest wait for {@link HandoffGrant#started} when a process presents its secret before it was called. */
    private static final long START_WAIT_MS = 10_000;

    private final String region;
    private final String label;
    private final int descriptor;
    private final String socketName;
    private final int listener;
    private final Thread thread;
    private final Map<String, HandoffGrant> grants = new LinkedHashMap<>();
    private boolean closed;

    private HandoffServer(final String region, final String label, final int descriptor)
    {
        this.region = region;
        this.label = label;
        this.descriptor = descriptor;
        this.socketName = HandoffProtocol.newSocketName();
        this.listener = UnixSockets.listenAbstract(socketName, region);
        this.thread = new Thread(this::serve, "shmipc-handoff-" + label);
        this.thread.setDaemon(true);
    }

    /**
     * Start serving a region's descriptor.
     *
     * @param region     the region, for messages.
     * @param label      the anonymous region's label, which requests must name.
     * @param descriptor the descriptor to pass; it must stay open until {@link #close()}.
     * @return the running server.
     */
    public static HandoffServer start(final String region, final String label, final int descriptor)
    {
        final HandoffServer server = new HandoffServer(region, label, descriptor);
        server.thread.start();
        return server;
    }

    /**
     * Issue a grant for one process to be started.
     *
     * @return the grant, whose environment variable the process must be started with.
     */
    public synchronized HandoffGrant grant()
    {
        forgetExited();
        final HandoffGrant grant = new HandoffGrant(this, label, HandoffProtocol.newSecret());
        grants.put(grant.secret(), grant);
        return grant;
    }

    /**
     * Stop serving: no further connection is answered. Waits for the serving thread to finish its connection.
     */
    @Override
    public void close()
    {
        synchronized (this)
        {
            if (closed)
            {
                return;
            }
            closed = true;
            notifyAll();
        }
        UnixSockets.shutdownListener(listener, region);
        try
        {
            thread.join(PEER_TIMEOUT.toMillis() * 2);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
        Posix.close(listener, region);
    }

    String socketName()
    {
        return socketName;
    }

    synchronized void started(final HandoffGrant grant, final long pid)
    {
        grant.pid(pid);
        notifyAll();
    }

    private void serve()
    {
        int connection;
        while ((connection = UnixSockets.accept(listener, region)) >= 0)
        {
            try
            {
                answer(connection);
            }
            catch (final ShmIpcException ex)
            {
                // The peer stalled or went away mid-request: it is given nothing, and the next one is served.
            }
            finally
            {
                Posix.close(connection, region);
            }
        }
    }

    private void answer(final int connection)
    {
        UnixSockets.setTimeouts(connection, PEER_TIMEOUT, region);
        final UnixSockets.PeerCredentials peer = UnixSockets.peer(connection, region);
        final String request = readLine(connection);
        final String refusal = decide(peer, request);
        if (refusal == null)
        {
            UnixSockets.send(connection, HandoffProtocol.GRANTED, descriptor, region);
        }
        else
        {
            UnixSockets.send(connection, HandoffProtocol.REFUSED + refusal + "\n", -1, region);
        }
    }

    private String readLine(final int connection)
    {
        final StringBuilder line = new StringBuilder();
        while (line.indexOf("\n") < 0 && line.length() < HandoffProtocol.MAX_MESSAGE)
        {
            final byte[] data = UnixSockets.receive(connection, HandoffProtocol.MAX_MESSAGE, region).data();
            if (data.length == 0)
            {
                break;
            }
            line.append(new String(data, StandardCharsets.US_ASCII));
        }
        final int end = line.indexOf("\n");
        return end < 0 ? line.toString() : line.substring(0, end);
    }

    /**
     * Decide a request.
     *
     * @return null when the descriptor is granted (the grant is then used up), else the reason for the refusal.
     */
    private synchronized String decide(final UnixSockets.PeerCredentials peer, final String request)
    {
        final String prefix = HandoffProtocol.REQUEST_PREFIX + label + " ";
        if (!request.startsWith(prefix))
        {
            return "not a hand-off request for region " + region + " from pid=" + peer.pid();
        }
        final HandoffGrant grant = find(request.substring(prefix.length()));
        if (grant == null)
        {
            return "pid=" + peer.pid() + " presented no secret this process issued for " + region +
                " (or one already used)";
        }
        final long deadline = System.currentTimeMillis() + START_WAIT_MS;
        while (grant.pid() < 0 && !closed && System.currentTimeMillis() < deadline)
        {
            try
            {
                wait(Math.max(1, deadline - System.currentTimeMillis()));
            }
            catch (final InterruptedException ex)
            {
                Thread.currentThread().interrupt();
                return "interrupted";
            }
        }
        if (grant.pid() < 0)
        {
            return "the process this hand-off is for was never named started";
        }
        if (peer.pid() != grant.pid())
        {
            return "pid=" + peer.pid() + " (uid=" + peer.uid() + ") is not the process this hand-off is for";
        }
        grant.markUsed();
        grants.remove(grant.secret());
        return null;
    }

    private HandoffGrant find(final String secret)
    {
        final byte[] presented = secret.getBytes(StandardCharsets.US_ASCII);
        for (final HandoffGrant grant : grants.values())
        {
            if (!grant.used() &&
                MessageDigest.isEqual(grant.secret().getBytes(StandardCharsets.US_ASCII), presented))
            {
                return grant;
            }
        }
        return null;
    }

    private void forgetExited()
    {
        for (final Iterator<HandoffGrant> it = grants.values().iterator(); it.hasNext(); )
        {
            final long pid = it.next().pid();
            if (pid > 0 && ProcessHandle.of(pid).map(process -> !process.isAlive()).orElse(true))
            {
                it.remove();
            }
        }
    }
}
