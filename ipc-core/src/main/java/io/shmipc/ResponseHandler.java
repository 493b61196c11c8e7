package io.shmipc;

import io.shmipc.exceptions.ServiceException;
import org.agrona.DirectBuffer;

/**
 * A client's handler of what comes back for its requests, called by {@link ServiceClient#poll}.
 */
public interface ResponseHandler
{
    /**
     * One response to a request: zero or more with {@code last} false, then one with {@code last} true.
     *
     * @param correlationId the request's id, as {@link ServiceClient#request} returned it.
     * @param buffer        holding the response, valid only during the call.
     * @param offset        of its first byte.
     * @param length        of the response.
     * @param last          whether this is the request's final response.
     */
    void onResponse(long correlationId, DirectBuffer buffer, int offset, int length, boolean last);

    /**
     * A request failed before its final response: it timed out ({@link io.shmipc.exceptions.RequestTimeoutException})
     * or its server died ({@link io.shmipc.exceptions.ServerDiedException}). Nothing more comes for it.
     *
     * @param correlationId the request's id.
     * @param failure       why, typed.
     */
    void onFailure(long correlationId, ServiceException failure);
}
