package io.shmipc;

/**
 * A server's handler of requests, called by {@link ServiceServer#poll} once per request.
 */
@FunctionalInterface
public interface RequestHandler
{
    /**
     * Handle one request. The request (a flyweight, valid only during the call) answers it with
     * {@link ServiceRequest#respond} any number of times, then {@link ServiceRequest#complete} once; or the server
     * answers later with {@link ServiceServer#respond}, using the request's client and correlation ids.
     *
     * @param request the request.
     */
    void onRequest(ServiceRequest request);
}
