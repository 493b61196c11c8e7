package io.shmipc.exceptions;

/**
 * The server a request was sent to died (its process exited or was killed: the kernel released its lock) or was
 * replaced before the request's final response. Every request pending with that server fails with this at once; a
 * request made afterwards goes to the new server, if one runs.
 */
public class ServerDiedException extends ServiceException
{
    private static final long serialVersionUID = 1L;

    /**
     * Create the exception.
     *
     * @param region        the region name or path.
     * @param service       the service name.
     * @param correlationId the request's correlation id.
     * @param message       what went wrong, with {@code name=value} details.
     */
    public ServerDiedException(final String region, final String service, final long correlationId,
        final String message)
    {
        super(region, service, correlationId, message);
    }
}
