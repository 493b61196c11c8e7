package io.shmipc.exceptions;

/**
 * A channel of the region has a kind code this library does not know: the region was written by a library of
 * another layout version, or is corrupt. The channel is refused; its name and code are in the message.
 */
public class UnknownChannelKindException extends IncompatibleLayoutException
{
    private static final long serialVersionUID = 1L;

    private final int code;

    /**
     * Create the exception.
     *
     * @param region the region name or path.
     * @param field  the directory field, e.g. {@code directory[2].kind}.
     * @param known  the codes this library knows, in words.
     * @param code   the code found.
     */
    public UnknownChannelKindException(final String region, final String field, final String known, final int code)
    {
        super(region, field, "a known channel kind code: " + known, code +
            " (an unknown channel kind: written by a newer shm-ipc library, or corrupt)");
        this.code = code;
    }

    /**
     * The kind code found.
     *
     * @return the code.
     */
    public int code()
    {
        return code;
    }
}
