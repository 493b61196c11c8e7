package io.shmipc.exceptions;

/**
 * A request to a service failed; the message names the region, the service and the request's correlation id.
 */
public class ServiceException extends ShmIpcException
{
    private static final long serialVersionUID = 1L;

    private final String service;
    private final long correlationId;

    /**
     * Create the exception.
     *
     * @param region        the region name or path.
     * @param service       the service name.
     * @param correlationId the request's correlation id, or 0 when no request was made.
     * @param message       what went wrong, with {@code name=value} details.
     */
    public ServiceException(final String region, final String service, final long correlationId,
        final String message)
    {
        super(region, message);
        this.service = service;
        this.correlationId = correlationId;
    }

    /**
     * The service.
     *
     * @return its name.
     */
    public String service()
    {
        return service;
    }

    /**
     * The request that failed.
     *
     * @return its correlation id, or 0 when no request was made.
     */
    public long correlationId()
    {
        return correlationId;
    }
}
