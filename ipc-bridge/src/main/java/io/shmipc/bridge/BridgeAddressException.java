package io.shmipc.bridge;

/**
 * Aeron cannot use an address the bridge was given: {@code listen} not on this host or already bound, {@code peer}
 * that does not resolve, a network interface that does not exist. The message names the addresses and Aeron's
 * reason.
 */
public final class BridgeAddressException extends BridgeException
{
    private static final long serialVersionUID = 1L;

    BridgeAddressException(final BridgeConfig config, final RuntimeException cause)
    {
        super(config.region().toString(), "Aeron cannot use the bridge's addresses: listen=" + config.listen() +
            " peer=" + config.peer() + (config.networkInterface() == null ? "" : " interface=" +
            config.networkInterface()) + ": " + cause.getMessage(), cause);
    }
}
