package io.shmipc.layout;

/**
 * Layout of the records of a service (request/response), carried as ordinary messages: requests on the service's
 * {@code MANY_TO_ONE} request channel (named after the service), responses on each client's {@code ONE_TO_ONE}
 * reply channel ({@code <service>.reply-<client id as 8 hex digits>}). All integers little-endian.
 * <pre>
 *  Request record (payload of one message on the request channel)
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +---------------------------------------------------------------+
 *  |  Server Id (long): the Endpoint Id of the server addressed    |   0
 *  +---------------------------------------------------------------+
 *  |  Correlation Id (long): 1, 2, ... per client                  |   8
 *  +-------------------------------+-------------------------------+
 *  |       Client Id (int)         |     Request Flags (int), 0    |  16
 *  +-------------------------------+-------------------------------+
 *  |  Request Payload ...                                          |  24
 *  +---------------------------------------------------------------+
 *
 *  Response record (payload of one message on a reply channel)
 *  +---------------------------------------------------------------+
 *  |  Correlation Id (long): the request's                         |   0
 *  +-------------------------------+-------------------------------+
 *  | Response Flags (int): 1 final |    Reserved (int), 0          |   8
 *  +-------------------------------+-------------------------------+
 *  |  Response Payload ...                                         |  16
 *  +---------------------------------------------------------------+
 * </pre>
 * The server is the request channel's subscriber: its Subscriber Role Lock says a server is alive, and its endpoint
 * slot's Endpoint Id is the server id a request carries. A server drops a request addressed to another server id (one
 * that died: its clients have failed the request already).
 */
public final class ServiceDescriptor
{
    /** Longest service name: a reply channel's name adds {@code .reply-} and 8 hex digits to it. */
    public static final int MAX_SERVICE_NAME_LENGTH = DirectoryDescriptor.MAX_NAME_LENGTH - 15;

    /** Request offset of the server id. */
    public static final int SERVER_ID_OFFSET = 0;
    /** Request offset of the correlation id. */
    public static final int CORRELATION_ID_OFFSET = 8;
    /** Request offset of the client id. */
    public static final int CLIENT_ID_OFFSET = 16;
    /** Request offset of the request flags. */
    public static final int REQUEST_FLAGS_OFFSET = 20;
    /** Length of a request's header: its payload starts here. */
    public static final int REQUEST_HEADER_LENGTH = 24;

    /** Response offset of the correlation id. */
    public static final int RESPONSE_CORRELATION_ID_OFFSET = 0;
    /** Response offset of the response flags. */
    public static final int RESPONSE_FLAGS_OFFSET = 8;
    /** Response offset of the reserved int. */
    public static final int RESPONSE_RESERVED_OFFSET = 12;
    /** Length of a response's header: its payload starts here. */
    public static final int RESPONSE_HEADER_LENGTH = 16;

    /** Response flag: the last response of its request. */
    public static final int FLAG_FINAL = 1;

    /** The separator between a service name and a client id in a reply channel's name. */
    public static final String REPLY_INFIX = ".reply-";

    private ServiceDescriptor()
    {
    }

    /**
     * The name of a client's reply channel.
     *
     * @param service  the service name.
     * @param clientId the client id.
     * @return {@code <service>.reply-<8 hex digits>}.
     */
    public static String replyChannel(final String service, final int clientId)
    {
        return service + REPLY_INFIX + String.format("%08x", clientId);
    }

    /**
     * The client id a reply channel's name carries, if it is one of the service's: exactly the name
     * {@link #replyChannel} makes, the service name, {@link #REPLY_INFIX} and 8 lowercase hex digits.
     *
     * @param service the service name.
     * @param channel a channel name.
     * @return the client id, or {@code null} when the name is not a reply channel's of the service.
     */
    public static Integer clientIdOf(final String service, final String channel)
    {
        final String prefix = service + REPLY_INFIX;
        if (!channel.startsWith(prefix) || channel.length() != prefix.length() + 8)
        {
            return null;
        }
        int clientId = 0;
        for (int i = prefix.length(); i < channel.length(); i++)
        {
            final char digit = channel.charAt(i);
            final int value = digit >= '0' && digit <= '9' ? digit - '0' : digit >= 'a' && digit <= 'f' ?
                digit - 'a' + 10 : -1;
            if (value < 0)
            {
                return null;
            }
            clientId = clientId << 4 | value;
        }
        return clientId;
    }
}
