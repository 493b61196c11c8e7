package io.shmipc.exceptions;

/**
 * The region was written with a layout major version this library cannot read (a newer or older major), or holds
 * something only another major writes (see {@link UnsupportedChannelKindException}). Minor versions of the same major
 * are compatible and never raise this. The message names the region, the version found, the one this library
 * supports and the fix: use a library of the region's major, or recreate the region.
 */
public class IncompatibleLayoutException extends CorruptRegionException
{
    private static final long serialVersionUID = 1L;

    /**
     * Create the exception for a major version this library does not read.
     *
     * @param region         the region name or path.
     * @param supportedMajor the major version this library reads.
     * @param supportedMinor the minor version this library writes.
     * @param foundMajor     the major version found.
     * @param foundMinor     the minor version found.
     */
    public IncompatibleLayoutException(final String region, final int supportedMajor, final int supportedMinor,
        final int foundMajor, final int foundMinor)
    {
        super(region, "header.majorVersion", Integer.toString(supportedMajor), Integer.toString(foundMajor),
            "incompatible region layout: region=" + region + " field=header.majorVersion found=" + foundMajor +
            "." + foundMinor +
            " supported=" + supportedMajor + "." + supportedMinor + " (any minor of major " + supportedMajor +
            "); use a library that reads layout " + foundMajor + ".x, or delete and recreate the region");
    }

    /**
     * Create the exception with a message of its own.
     *
     * @param region   the region name or path.
     * @param field    the layout field that failed.
     * @param expected what this library reads there.
     * @param actual   what was found.
     * @param message  the full message.
     */
    protected IncompatibleLayoutException(final String region, final String field, final String expected,
        final String actual, final String message)
    {
        super(region, field, expected, actual, message);
    }
}
