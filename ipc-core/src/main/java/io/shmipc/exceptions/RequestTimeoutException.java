package io.shmipc.exceptions;

/**
 * A request's final response did not come within its timeout. Responses to it that come later are dropped.
 */
public class RequestTimeoutException extends ServiceException
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
    public RequestTimeoutException(final String region, final String service, final long correlationId,
        final String message)
    {
        super(region, service, correlationId, message);
    }
}
