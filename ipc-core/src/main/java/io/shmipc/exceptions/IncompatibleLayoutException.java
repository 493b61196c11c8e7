package io.shmipc.exceptions;

/**
 * The region was written with a layout major version this library cannot read (a newer or older major).
 * Minor versions are compatible and never raise this.
 */
public class IncompatibleLayoutException extends CorruptRegionException
{
    private static final long serialVersionUID = 1L;

    /**
     * Create the exception.
     *
     * @param region   the region name or path.
     * @param expected the major version this library reads.
     * @param actual   the major version found.
     */
    public IncompatibleLayoutException(final String region, final int expected, final int actual)
    {
        super(region, "header.majorVersion", Integer.toString(expected), Integer.toString(actual));
    }
}
