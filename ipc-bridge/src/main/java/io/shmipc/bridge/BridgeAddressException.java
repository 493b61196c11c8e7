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
            config.networkInterface()) + ": " + reason(cause.getMessage()), cause);
    }

    /**
     * Aeron's text without its severity prefixes, exception class and the JDK frame it quotes, e.g.
     * {@code channel error - Address already in use: aeron:udp?endpoint=127.0.0.1:40123}.
     */
    static String reason(final String aeronMessage)
    {
        if (aeronMessage == null)
        {
            return "no reason given";
        }
        return aeronMessage
            .replaceAll("ERROR - ", "")
            .replaceAll("[\\w.$]+Exception : ", "")
            .replaceAll(" \\(at [^()]*(\\([^()]*\\))?[^()]*\\)", "")
            .replaceAll(", errorCodeValue=\\d+$", "")
            .trim();
    }
}
