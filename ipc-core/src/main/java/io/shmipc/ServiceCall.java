package io.shmipc;

import io.shmipc.wait.Timeouts;
import io.shmipc.exceptions.RegionClosedException;
import io.shmipc.exceptions.RequestTimeoutException;
import io.shmipc.exceptions.ServiceException;
import io.shmipc.exceptions.ServiceUnavailableException;
import io.shmipc.exceptions.WaitInterruptedException;
import org.agrona.DirectBuffer;

import java.time.Duration;

/**
 * The handler of a {@link ServiceClient#call} in progress: passes everything on to the caller's handler, and notes
 * the responses and the end (final response or failure) of the call's own request. Reused from call to call.
 */
final class ServiceCall implements ResponseHandler
{
    private long id;
    private ResponseHandler delegate;
    private boolean done;
    private int responses;
    private ServiceException failure;

    /**
     * Send a request and poll until its final response or its failure; see {@link ServiceClient#call}.
     */
    int run(final ServiceClient client, final DirectBuffer request, final int offset, final int length,
        final ResponseHandler handler, final Duration timeout)
    {
        final long timeoutNs = Timeouts.nanos(timeout);
        final long deadline = System.nanoTime() + timeoutNs;
        if (Thread.currentThread().isInterrupted())
        {
            throw interrupted(client, "before the request was sent (nothing sent)");
        }
        if (timeoutNs == 0)
        {
            // No time to be answered: sending would only let a server act on a request its caller was told failed.
            throw new RequestTimeoutException(client.location().toString(), client.service(), 0, "call timeout " +
                timeout + " leaves no time for an answer: region=" + client.location() + " service=" +
                client.service() + " (nothing sent)");
        }
        long id;
        while ((id = client.request(request, offset, length, deadline - System.nanoTime())) ==
            Publisher.BACK_PRESSURED || id == ServiceClient.TOO_MANY_PENDING)
        {
            if (System.nanoTime() - deadline >= 0)
            {
                throw unavailable(client, "request not sent within " + timeout + ": " +
                    (id == ServiceClient.TOO_MANY_PENDING ? "too many pending" : "request channel full"));
            }
            if (Thread.currentThread().isInterrupted())
            {
                throw interrupted(client, "while the request channel was full (nothing sent)");
            }
            client.poll(handler, 64);
        }
        if (id == ServiceClient.NO_SERVER)
        {
            throw unavailable(client, "no server (no live subscriber on the request channel)");
        }
        if (id == Publisher.CLOSED)
        {
            throw new RegionClosedException(client.location().toString(), "client is closed: region=" +
                client.location() + " service=" + client.service());
        }
        start(id, handler);
        try
        {
            while (!done)
            {
                if (Thread.currentThread().isInterrupted())
                {
                    client.withdraw(id);
                    throw interrupted(client, "request withdrawn while waiting for its final response: " +
                        "correlationId=" + id);
                }
                client.poll(this, 64, Math.max(1, deadline - System.nanoTime()));
            }
            return outcome();
        }
        finally
        {
            finish();
        }
    }

    private static ServiceUnavailableException unavailable(final ServiceClient client, final String what)
    {
        return new ServiceUnavailableException(client.location().toString(), client.service(), "service " +
            "unavailable: region=" + client.location() + " service=" + client.service() + " " + what);
    }

    private static WaitInterruptedException interrupted(final ServiceClient client, final String what)
    {
        return new WaitInterruptedException(client.location().toString(), "call interrupted: region=" +
            client.location() + " service=" + client.service() + " " + what);
    }

    void start(final long id, final ResponseHandler delegate)
    {
        this.id = id;
        this.delegate = delegate;
        this.done = false;
        this.responses = 0;
        this.failure = null;
    }

    boolean isDone()
    {
        return done;
    }

    /**
     * The call's outcome, once done.
     *
     * @return the number of responses.
     * @throws ServiceException when the request failed.
     */
    int outcome()
    {
        if (failure != null)
        {
            throw failure;
        }
        return responses;
    }

    void finish()
    {
        delegate = null;
        failure = null;
    }

    @Override
    public void onResponse(final long correlationId, final DirectBuffer buffer, final int offset, final int length,
        final boolean last)
    {
        if (correlationId == id)
        {
            responses++;
            done |= last;
        }
        delegate.onResponse(correlationId, buffer, offset, length, last);
    }

    @Override
    public void onFailure(final long correlationId, final ServiceException failure)
    {
        if (correlationId == id)
        {
            this.failure = failure;
            done = true;
            return;
        }
        delegate.onFailure(correlationId, failure);
    }
}
