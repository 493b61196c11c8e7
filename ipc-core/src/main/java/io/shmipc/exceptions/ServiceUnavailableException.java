package io.shmipc.exceptions;

/**
 * No server of the service runs, so a request could not be sent (or stayed back-pressured until its timeout).
 */
public class ServiceUnavailableException extends ServiceException
{
    private static final long serialVersionUID = 1L;

    /**
     * Create the exception.
     *
     * @param region  the region name or path.
     * @param service the service name.
     * @param message what went wrong, with {@code name=value} details.
     */
    public ServiceUnavailableException(final String region, final String service, final String message)
    {
        super(region, service, 0, message);
    }
}
