package io.shmipc;

import org.agrona.DirectBuffer;

/**
 * One request as a server's {@link RequestHandler} sees it: a flyweight over the request channel's record, valid
 * only during the handler's call, that also answers it.
 */
public final class ServiceRequest
{
    private final ServiceServer server;
    private DirectBuffer buffer;
    private int offset;
    private int length;
    private int clientId;
    private long correlationId;

    ServiceRequest(final ServiceServer server)
    {
        this.server = server;
    }

    ServiceRequest wrap(final int clientId, final long correlationId, final DirectBuffer buffer, final int offset,
        final int length)
    {
        this.clientId = clientId;
        this.correlationId = correlationId;
        this.buffer = buffer;
        this.offset = offset;
        this.length = length;
        return this;
    }

    /**
     * The client that asked, whose reply channel the responses go to.
     *
     * @return the client id.
     */
    public int clientId()
    {
        return clientId;
    }

    /**
     * The client's id for the request.
     *
     * @return the correlation id.
     */
    public long correlationId()
    {
        return correlationId;
    }

    /**
     * The buffer holding the request's payload.
     *
     * @return the buffer.
     */
    public DirectBuffer buffer()
    {
        return buffer;
    }

    /**
     * Where the payload starts in {@link #buffer()}.
     *
     * @return the offset.
     */
    public int offset()
    {
        return offset;
    }

    /**
     * The payload's length.
     *
     * @return bytes.
     */
    public int length()
    {
        return length;
    }

    /**
     * Send a response that is not the last: more follow.
     *
     * @param response holding the response.
     * @param offset   of its first byte.
     * @param length   of it.
     * @return as {@link ServiceServer#respond}.
     */
    public long respond(final DirectBuffer response, final int offset, final int length)
    {
        return server.respond(clientId, correlationId, response, offset, length, false);
    }

    /**
     * Send the final response. Once per request: a response sent after it is not refused (the server keeps no state
     * per request) but the client drops it, counted in {@link ServiceClient#lateResponses()}.
     *
     * @param response holding the response.
     * @param offset   of its first byte.
     * @param length   of it.
     * @return as {@link ServiceServer#respond}.
     */
    public long complete(final DirectBuffer response, final int offset, final int length)
    {
        return server.respond(clientId, correlationId, response, offset, length, true);
    }
}
