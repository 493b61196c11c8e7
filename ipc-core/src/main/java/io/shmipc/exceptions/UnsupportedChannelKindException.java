package io.shmipc.exceptions;

/**
 * A directory entry holds a channel kind code this library does not know: a library of another layout major wrote
 * it. The channel is refused; the message names the region, the entry, the code found and the codes known.
 */
public class UnsupportedChannelKindException extends IncompatibleLayoutException
{
    private static final long serialVersionUID = 1L;

    private final int kindCode;

    /**
     * Create the exception.
     *
     * @param region     the region name or path.
     * @param field      the entry's kind field, e.g. {@code directory[3].kind}.
     * @param kindCode   the code found.
     * @param knownCodes the codes this library knows, in words.
     */
    public UnsupportedChannelKindException(final String region, final String field, final int kindCode,
        final String knownCodes)
    {
        super(region, field, knownCodes, Integer.toString(kindCode), "unsupported channel kind: region=" + region +
            " field=" + field + " kindCode=" + kindCode + " known=" + knownCodes + "; the channel was written by a " +
            "library of another layout version: use that library for it");
        this.kindCode = kindCode;
    }

    /**
     * The kind code found in the directory.
     *
     * @return the code.
     */
    public int kindCode()
    {
        return kindCode;
    }
}
