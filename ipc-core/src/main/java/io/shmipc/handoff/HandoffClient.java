package io.shmipc.handoff;

import io.shmipc.exceptions.InvalidConfigurationException;
import io.shmipc.exceptions.NativeCallException;
import io.shmipc.exceptions.RegionNotFoundException;
import io.shmipc.exceptions.RegionPermissionException;
import io.shmipc.exceptions.RegionTimeoutException;
import io.shmipc.exceptions.WaitInterruptedException;
import io.shmipc.posix.Errno;
import io.shmipc.posix.Posix;
import io.shmipc.posix.UnixSockets;
import io.shmipc.wait.InterruptHook;
import io.shmipc.wait.Timeouts;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.locks.LockSupport;

/**
 * The started process's side of a hand-off: read the environment variable its parent set, connect, present the
 * secret, and receive the region's descriptor, or a typed error that says why not.
 */
public final class HandoffClient
{
    /** Pause between two connects that found the holder's backlog full. */
    static final long FULL_BACKLOG_PAUSE_NS = 1_000_000L;

    private HandoffClient()
    {
    }

    /**
     * Receive the descriptor of the anonymous region handed to this process under a label.
     *
     * @param label   the region's label.
     * @param value   the hand-off variable's value in this process's environment, or null when it is not set.
     * @param timeout longest wait for the answer.
     * @param region  the region, for messages.
     * @return the descriptor received: the holder's open file description, close-on-exec.
     * @throws RegionNotFoundException    when no region of that label was handed to this process, or the process
     *                                    that handed it is gone (or closed the region) before it answered.
     * @throws RegionPermissionException  when the holder refused, with its reason.
     * @throws RegionTimeoutException     when the holder did not answer within the timeout (busy with other
     *                                    connections); the secret is still good for a later attempt.
     * @throws WaitInterruptedException   when the thread was interrupted before the answer came (the connection is
     *                                    shut down at once; the status stays set; the secret is still good).
     */
    public static int receive(final String label, final String value, final Duration timeout, final String region)
    {
        final String variable = HandoffProtocol.environmentVariable(label);
        if (value == null)
        {
            throw new RegionNotFoundException("getenv", region, Errno.ENOENT, "no anonymous region " + region +
                " was handed to this process: the environment variable " + variable + " is not set (the process " +
                "holding the region starts this one with RegionHandoff.of)");
        }
        final String[] words = value.split(" ");
        if (words.length != 2 || !words[0].startsWith("shmipc-handoff-") || words[1].length() != 32)
        {
            throw new InvalidConfigurationException(region, "malformed hand-off: " + variable + "=" + value +
                " (expected '<socket name> <32 hex digits>')");
        }
        final Duration wait = timeout.isZero() ? Duration.ofSeconds(1) : timeout;
        final long deadlineNs = System.nanoTime() + Timeouts.nanos(wait);
        final int connection = connect(words[0], deadlineNs, wait, region);
        // An interrupt shuts the connection down, which ends a receive waiting for the holder's answer.
        final InterruptHook interruptHook = new InterruptHook(() -> UnixSockets.shutdown(connection, region));
        interruptHook.enter();
        try
        {
            UnixSockets.setTimeouts(connection, Duration.ofNanos(Math.max(1, deadlineNs - System.nanoTime())), region);
            UnixSockets.send(connection, HandoffProtocol.REQUEST_PREFIX + label + " " + words[1] + "\n", -1, region);
            return answer(connection, region);
        }
        catch (final NativeCallException ex)
        {
            if (Thread.currentThread().isInterrupted())
            {
                throw interrupted(region);
            }
            if (ex.errno() == Errno.EAGAIN)
            {
                throw timedOut(region, wait);
            }
            if (ex.errno() == Errno.ECONNRESET || ex.errno() == Errno.EPIPE)
            {
                throw holderGone(region, ex.errno());
            }
            throw ex;
        }
        finally
        {
            interruptHook.exit();
            Posix.close(connection, region);
        }
    }

    private static WaitInterruptedException interrupted(final String region)
    {
        return new WaitInterruptedException(region, "attach interrupted while waiting for the hand-off of " + region +
            " from the process holding it (the secret is still good: attach again)");
    }

    private static RegionTimeoutException timedOut(final String region, final Duration wait)
    {
        return new RegionTimeoutException(region, "the process holding " + region + " did not answer the hand-off " +
            "within " + wait.toMillis() + " ms (it answers one connection at a time; the secret is still good: " +
            "attach again with a longer timeout)");
    }

    /**
     * Connect to the holder. While its backlog is full (other connections wait for their turn: it answers one at a
     * time), try again every {@link #FULL_BACKLOG_PAUSE_NS} until the deadline; an interrupt ends the wait at once.
     */
    private static int connect(final String socketName, final long deadlineNs, final Duration wait,
        final String region)
    {
        while (true)
        {
            final int connection;
            try
            {
                connection = UnixSockets.tryConnectAbstract(socketName, region);
            }
            catch (final NativeCallException ex)
            {
                if (ex.errno() == Errno.ECONNREFUSED)
                {
                    throw new RegionNotFoundException("connect", region, ex.errno(), "the process that handed " +
                        region + " to this one no longer serves it (nothing listens at @" + socketName + ")");
                }
                throw ex;
            }
            if (connection >= 0)
            {
                return connection;
            }
            if (Thread.currentThread().isInterrupted())
            {
                throw interrupted(region);
            }
            final long remainingNs = deadlineNs - System.nanoTime();
            if (remainingNs <= 0)
            {
                throw timedOut(region, wait);
            }
            LockSupport.parkNanos(Math.min(remainingNs, FULL_BACKLOG_PAUSE_NS));
        }
    }

    private static RegionNotFoundException holderGone(final String region, final int errno)
    {
        return new RegionNotFoundException("handoff", region, errno, "the process holding " + region + " closed " +
            "the hand-off connection without answering: it exited, or it closed the region");
    }

    private static int answer(final int connection, final String region)
    {
        final StringBuilder text = new StringBuilder();
        int descriptor = -1;
        while (text.indexOf("\n") < 0 && text.length() < HandoffProtocol.MAX_MESSAGE)
        {
            final UnixSockets.Received received = UnixSockets.receive(connection, HandoffProtocol.MAX_MESSAGE, region);
            if (received.descriptor() >= 0)
            {
                if (descriptor >= 0)
                {
                    Posix.close(descriptor, region);
                }
                descriptor = received.descriptor();
            }
            if (received.data().length == 0)
            {
                break;
            }
            text.append(new String(received.data(), StandardCharsets.US_ASCII));
        }
        if (text.toString().equals(HandoffProtocol.GRANTED) && descriptor >= 0)
        {
            return descriptor;
        }
        if (descriptor >= 0)
        {
            Posix.close(descriptor, region);
        }
        if (text.indexOf("\n") < 0 && Thread.currentThread().isInterrupted())
        {
            throw interrupted(region); // the interrupt shut the connection down before the whole answer came
        }
        final String answer = text.toString().trim();
        if (answer.isEmpty())
        {
            throw holderGone(region, Errno.ECONNRESET);
        }
        throw new RegionPermissionException("handoff", region, Errno.EACCES, "the process holding " + region +
            " refused to hand it to this one: " + (answer.startsWith(HandoffProtocol.REFUSED.trim()) ?
            answer.substring(HandoffProtocol.REFUSED.length()) : "answer '" + answer + "'"));
    }
}
