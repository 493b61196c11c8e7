package io.shmipc.handoff;

import io.shmipc.exceptions.ShmIpcException;
import io.shmipc.liveness.ProcessIdentity;
import io.shmipc.posix.Posix;
import io.shmipc.posix.UnixSockets;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;

/**
 * Serves one anonymous region's descriptor to the processes this one started with a {@link HandoffGrant}, over an
 * abstract Unix-domain socket that exists while the server runs and leaves nothing in any file system.
 * <p>
 * A connection is granted the descriptor only when all of these hold: the request names the region's label and a
 * secret this server issued and has not yet honoured; the grant has been told which process it is for
 * ({@link HandoffGrant#started}); and the kernel says ({@code SO_PEERCRED}) that the connecting process is that
 * process: its pid, with the start time that pid had when it was named ({@code /proc/<pid>/stat}), so a process that
 * got the pid after the named one exited is not it. Anyone else, of any user, is refused with the reason. One thread
 * accepts connections one at a time, each request bounded by a timeout over the whole connection, so a peer that
 * stalls or trickles cannot hold the server for long. A grant is used up only once its answer was sent; a failure to
 * accept (descriptors or memory exhausted for a moment) is waited out, never the end of the server.
 * {@link #close()} wakes the connection being answered and returns once the serving thread has stopped.
 */
public final class HandoffServer implements AutoCloseable
{
    /** Longest wait for a peer's request, and for the answer to be taken. */
    private static final Duration PEER_TIMEOUT = Duration.ofSeconds(2);
    /** Longest wait for {@link HandoffGrant#started} when a process presents its secret before it was called. */
    private static final long START_WAIT_MS = 10_000;
    /** Pause before accepting again after accepting failed (descriptors or memory exhausted for a moment). */
    private static final long ACCEPT_RETRY_NS = 10_000_000L;

    private final String region;
    private final String label;
    private final int descriptor;
    private final String socketName;
    private final int listener;
    private final Thread thread;
    private final Map<String, HandoffGrant> grants = new LinkedHashMap<>();
    private boolean closed;
    /** The connection being answered, or -1: {@link #close()} shuts it down to wake the serving thread. */
    private int current = -1;

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
     * Stop serving: no further connection is answered or granted. Wakes the serving thread (out of its accept, the
     * connection it is answering, or its wait for a grant to be named started) and waits for it to stop, then closes
     * the listening socket.
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
            if (current >= 0)
            {
                try
                {
                    UnixSockets.shutdown(current, region);
                }
                catch (final ShmIpcException ex)
                {
                    // The peer went already (not connected): the serving thread is about to find that out itself.
                }
            }
        }
        UnixSockets.shutdown(listener, region);
        boolean interrupted = false;
        while (true)
        {
            try
            {
                thread.join();
                break;
            }
            catch (final InterruptedException ex)
            {
                interrupted = true; // the thread stops within moments: the listener must not close under it
            }
        }
        if (interrupted)
        {
            Thread.currentThread().interrupt();
        }
        Posix.close(listener, region);
    }

    String socketName()
    {
        return socketName;
    }

    /**
     * Whether a connection is being answered now (for tests).
     *
     * @return true while the serving thread holds a connection.
     */
    synchronized boolean isAnswering()
    {
        return current >= 0;
    }

    /**
     * Name the process a grant is for: its pid, and its start time read now, while it runs (the holder started it
     * and has just been told so), so that a process that later gets the same pid is not taken for it.
     */
    void started(final HandoffGrant grant, final long pid)
    {
        started(grant, pid, ProcessIdentity.startTimeOf(pid));
    }

    synchronized void started(final HandoffGrant grant, final long pid, final long startTime)
    {
        grant.pid(pid, startTime);
        notifyAll();
    }

    private void serve()
    {
        while (true)
        {
            final int connection;
            try
            {
                connection = UnixSockets.accept(listener, region);
            }
            catch (final ShmIpcException ex)
            {
                // Out of descriptors or memory for a moment: the connection waits in the backlog; try again shortly.
                if (isClosed())
                {
                    return;
                }
                LockSupport.parkNanos(ACCEPT_RETRY_NS);
                continue;
            }
            if (connection < 0 || !serving(connection))
            {
                return; // the listener was shut down by close
            }
            try
            {
                answer(connection);
            }
            catch (final ShmIpcException ex)
            {
                // The peer stalled or went away mid-request, or the server is closing: it is given nothing, and the
                // next one is served.
            }
            finally
            {
                finished(connection);
            }
        }
    }

    private synchronized boolean isClosed()
    {
        return closed;
    }

    /**
     * Take a connection as the one being answered, unless the server is closing (then close it).
     */
    private synchronized boolean serving(final int connection)
    {
        if (closed)
        {
            Posix.close(connection, region);
            return false;
        }
        current = connection;
        return true;
    }

    /**
     * Close the connection answered; under the lock, so that {@link #close()} never shuts down a descriptor number
     * reused meanwhile.
     */
    private synchronized void finished(final int connection)
    {
        current = -1;
        Posix.close(connection, region);
    }

    private void answer(final int connection)
    {
        final long deadline = System.nanoTime() + PEER_TIMEOUT.toNanos();
        final UnixSockets.PeerCredentials peer = UnixSockets.peer(connection, region);
        final String request = readLine(connection, deadline);
        if (request == null)
        {
            return; // stalled past the deadline, or gone: nothing to answer
        }
        final Decision decision = decide(peer, request);
        if (decision.refusal != null)
        {
            UnixSockets.send(connection, HandoffProtocol.REFUSED + decision.refusal + "\n", -1, region);
            return;
        }
        UnixSockets.send(connection, HandoffProtocol.GRANTED, descriptor, region);
        used(decision.grant);
    }

    /**
     * The request line, read within the deadline over the whole connection.
     *
     * @return the line, or null when the deadline passed or the peer closed before a whole line.
     */
    private String readLine(final int connection, final long deadline)
    {
        final StringBuilder line = new StringBuilder();
        while (line.indexOf("\n") < 0 && line.length() < HandoffProtocol.MAX_MESSAGE)
        {
            final long left = deadline - System.nanoTime();
            if (left <= 0)
            {
                return null;
            }
            UnixSockets.setTimeouts(connection, Duration.ofNanos(left), region);
            final byte[] data = UnixSockets.receive(connection, HandoffProtocol.MAX_MESSAGE, region).data();
            if (data.length == 0)
            {
                return null;
            }
            line.append(new String(data, StandardCharsets.US_ASCII));
        }
        final int end = line.indexOf("\n");
        return end < 0 ? line.toString() : line.substring(0, end);
    }

    /**
     * What to answer: the grant to honour, or the reason for the refusal.
     */
    private record Decision(HandoffGrant grant, String refusal)
    {
    }

    /**
     * Decide a request. A grant is used up by {@link #used} once its answer was sent, so a peer that gave up before
     * the answer leaves it for the process it is for.
     *
     * @return the grant to honour, or the reason for the refusal.
     */
    private synchronized Decision decide(final UnixSockets.PeerCredentials peer, final String request)
    {
        final String prefix = HandoffProtocol.REQUEST_PREFIX + label + " ";
        if (!request.startsWith(prefix))
        {
            return refused("not a hand-off request for region " + region + " from pid=" + peer.pid());
        }
        final HandoffGrant grant = find(request.substring(prefix.length()));
        if (grant == null)
        {
            return refused("pid=" + peer.pid() + " presented no secret this process issued for " + region +
                " (or one already used)");
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
                return refused("interrupted");
            }
        }
        if (closed)
        {
            return refused(region + " is being closed by the process holding it");
        }
        if (grant.pid() < 0)
        {
            return refused("the process this hand-off is for was never named started");
        }
        if (peer.pid() != grant.pid())
        {
            return refused("pid=" + peer.pid() + " (uid=" + peer.uid() + ") is not the process this hand-off is for");
        }
        final long startTime = ProcessIdentity.startTimeOf(peer.pid());
        if (grant.startTime() == 0 || startTime != grant.startTime())
        {
            // The process it is for exited, and another one got its pid: it may have read the secret.
            return refused("pid=" + peer.pid() + " (uid=" + peer.uid() + ") is not the process this hand-off is " +
                "for: that one started at tick " + grant.startTime() + ", this one at tick " + startTime +
                " (the pid was reused)");
        }
        return new Decision(grant, null);
    }

    private static Decision refused(final String reason)
    {
        return new Decision(null, reason);
    }

    private synchronized void used(final HandoffGrant grant)
    {
        grant.markUsed();
        grants.remove(grant.secret());
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
