package io.shmipc.bridge;

/**
 * {@code host:port} endpoints and the Aeron channel URIs built from them.
 */
final class Endpoints
{
    /** Term length of control streams: acknowledgements are 32 bytes. */
    static final int CONTROL_TERM_LENGTH = 64 * 1024;

    private Endpoints()
    {
    }

    static boolean isEndpoint(final String endpoint)
    {
        final int colon = endpoint.lastIndexOf(':');
        if (colon <= 0 || colon == endpoint.length() - 1)
        {
            return false;
        }
        try
        {
            final int port = Integer.parseInt(endpoint.substring(colon + 1));
            return port > 0 && port < 65536;
        }
        catch (final NumberFormatException ex)
        {
            return false;
        }
    }

    static boolean isMulticast(final String endpoint)
    {
        final String host = endpoint.substring(0, endpoint.lastIndexOf(':'));
        final int dot = host.indexOf('.');
        if (dot <= 0)
        {
            return host.startsWith("[ff") || host.startsWith("[FF");
        }
        try
        {
            final int first = Integer.parseInt(host.substring(0, dot));
            return first >= 224 && first <= 239;
        }
        catch (final NumberFormatException ex)
        {
            return false;
        }
    }

    /**
     * The channel every stream of a bridge is received on.
     *
     * @param config the bridge's configuration.
     * @return the URI.
     */
    static String subscriptionChannel(final BridgeConfig config)
    {
        return "aeron:udp?endpoint=" + config.listen() + multicastInterface(config, config.listen());
    }

    /**
     * The channel a stream is sent on.
     *
     * @param config     the bridge's configuration.
     * @param termLength the stream's term length.
     * @return the URI.
     */
    static String publicationChannel(final BridgeConfig config, final int termLength)
    {
        return "aeron:udp?endpoint=" + config.peer() + "|mtu=" + config.mtu() + "|term-length=" + termLength +
            multicastInterface(config, config.peer());
    }

    private static String multicastInterface(final BridgeConfig config, final String endpoint)
    {
        return config.networkInterface() != null && isMulticast(endpoint) ?
            "|interface=" + config.networkInterface() : "";
    }
}
