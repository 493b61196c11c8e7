package io.shmipc.handoff;

import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;
import java.security.SecureRandom;

/**
 * The hand-off's wire format, one request and one answer per connection, all ASCII:
 * <pre>
 * environment of the started process:  SHMIPC_REGION_&lt;label&gt;=&lt;socket name&gt; &lt;secret&gt;
 * request (started process to holder): shmipc-handoff 1 &lt;label&gt; &lt;secret&gt;\n
 * answer, granted:                     OK\n            with the region's descriptor (SCM_RIGHTS)
 * answer, refused:                     REFUSED &lt;reason&gt;\n
 * </pre>
 * The socket name is an abstract Unix-domain address ({@code \0} then the name), {@code shmipc-handoff-<pid>-<16 hex
 * digits>}; the secret is 32 lowercase hex digits (128 random bits), good for one hand-off.
 */
public final class HandoffProtocol
{
    /** The environment variable that carries a hand-off is this prefix followed by the region's label. */
    public static final String ENVIRONMENT_PREFIX = "SHMIPC_REGION_";
    /** The first words of a request. */
    public static final String REQUEST_PREFIX = "shmipc-handoff 1 ";
    /** The answer that comes with the descriptor. */
    public static final String GRANTED = "OK\n";
    /** How a refusal starts. */
    public static final String REFUSED = "REFUSED ";
    /** The longest request or answer read. */
    public static final int MAX_MESSAGE = 512;

    private static final SecureRandom RANDOM = new SecureRandom();

    private HandoffProtocol()
    {
    }

    /**
     * The environment variable that hands a region with this label to a started process.
     *
     * @param label the anonymous region's label.
     * @return {@code SHMIPC_REGION_<label>}.
     */
    public static String environmentVariable(final String label)
    {
        return ENVIRONMENT_PREFIX + label;
    }

    /**
     * A new socket name, unique to this process.
     *
     * @return {@code shmipc-handoff-<pid>-<16 hex digits>}.
     */
    static String newSocketName()
    {
        return "shmipc-handoff-" + ProcessHandle.current().pid() + "-" +
            HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextLong());
    }

    /**
     * A new one-time secret.
     *
     * @return 32 lowercase hex digits.
     */
    static String newSecret()
    {
        final byte[] secret = new byte[16];
        RANDOM.nextBytes(secret);
        return HexFormat.of().formatHex(secret);
    }
}
