package io.shmipc;

import io.shmipc.exceptions.RequestTimeoutException;
import io.shmipc.exceptions.ServerDiedException;
import io.shmipc.service.PendingRequests;
import io.shmipc.service.ServerTracker;

/**
 * How a service client's pending requests fail: all those sent to a server found dead (its lock released) or replaced
 * fail at once with {@link ServerDiedException}, and each whose timeout passed with {@link RequestTimeoutException},
 * delivered to the handler's {@link ResponseHandler#onFailure}. Also answers a blocked client's wait: whether a
 * failure is due, and how long it may sleep before one could be. Only a failure creates anything (its exception and
 * message). Not thread-safe: the client's thread.
 */
final class RequestFailures
{
    /** Longest time between two looks at the server's lock while requests are pending. */
    static final long LIVENESS_INTERVAL_NS = 5_000_000L;
    /** Longest sleep of a client blocked waiting while requests are pending. */
    static final long BLOCKED_LIVENESS_INTERVAL_NS = 10_000_000L;

    private final String regionName;
    private final String service;
    private final PendingRequests pending;
    private final ServerTracker server;
    private long failedRequests;

    RequestFailures(final String regionName, final String service, final PendingRequests pending,
        final ServerTracker server)
    {
        this.regionName = regionName;
        this.service = service;
        this.pending = pending;
        this.server = server;
    }

    /**
     * Requests that failed: timed out, or their server died.
     */
    long failedRequests()
    {
        return failedRequests;
    }

    /**
     * Probe the server if a probe is due, and deliver the failures of requests whose server died or whose timeout
     * passed.
     *
     * @return the failures delivered.
     */
    int deliver(final long now, final ResponseHandler handler)
    {
        server.check(now, LIVENESS_INTERVAL_NS);
        return failRequestsOfDeadServers(handler) + failExpired(now, handler);
    }

    /**
     * Whether a blocked client has a failure to deliver: a timeout due, or a pending request's server found dead by
     * a probe that was due.
     */
    boolean isDue(final long now)
    {
        if (pending.size() == 0)
        {
            return false;
        }
        server.check(now, BLOCKED_LIVENESS_INTERVAL_NS);
        return server.hasChanged() || pending.mayHaveExpired(now);
    }

    /**
     * How long a blocked client may sleep: until the earliest deadline, and no longer than the probe interval while
     * requests are pending.
     */
    long sleepLimit(final long now)
    {
        if (pending.size() == 0)
        {
            return Long.MAX_VALUE;
        }
        final long earliest = pending.earliestDeadline();
        return earliest == PendingRequests.NO_DEADLINE ? BLOCKED_LIVENESS_INTERVAL_NS :
            Math.max(0, Math.min(BLOCKED_LIVENESS_INTERVAL_NS, earliest - now));
    }

    private int failRequestsOfDeadServers(final ResponseHandler handler)
    {
        if (!server.hasChanged())
        {
            return 0;
        }
        int failed = 0;
        long id;
        while ((id = pending.removeNotSentTo(server.serverId())) != 0)
        {
            failedRequests++;
            failed++;
            handler.onFailure(id, new ServerDiedException(regionName, service, id, failure("server died: ", id)
                .append(" (its lock was released, or another server took its place); the request may or may not ")
                .append("have been handled").toString()));
        }
        // Taken only now: when the handler throws above, the next poll fails the rest. And none is left that was
        // sent to another server than the one known now, even if that changed during a handler's call.
        server.takeChanged();
        return failed;
    }

    private int failExpired(final long now, final ResponseHandler handler)
    {
        int failed = 0;
        while (pending.mayHaveExpired(now))
        {
            final long id = pending.removeExpired(now);
            if (id == 0)
            {
                break;
            }
            failedRequests++;
            failed++;
            handler.onFailure(id, new RequestTimeoutException(regionName, service, id,
                failure("request timed out: ", id).toString()));
        }
        return failed;
    }

    /**
     * The start of a failure's message, built without string concatenation: the first failure of a process must be
     * as quick as the others (a concatenation's first run links a call site, which takes milliseconds).
     */
    private StringBuilder failure(final String what, final long id)
    {
        return new StringBuilder(160).append(what).append("region=").append(regionName).append(" service=")
            .append(service).append(" correlationId=").append(id);
    }
}
