package io.shmipc.exceptions;

/**
 * The region was written with a layout major version this library cannot read (a newer or older major).
 * Minor versions are compatible and never raise this.
 */
public class IncompatibleLayoutException extends CorruptRegionException
{
    private static final long serialVersionUID = 1L;

    /**
     * Create the exception for a region of another major version.
     *
     * @param region        the region name or path.
     * @param expectedMajor the major version this library reads.
     * @param expectedMinor the minor version this library writes.
     * @param actualMajor   the major version found.
     * @param actualMinor   the minor version found.
     */
    public IncompatibleLayoutException(final String region, final int expectedMajor, final int expectedMinor,
        final int actualMajor, final int actualMinor)
    {
        super(region, "header.majorVersion", expectedMajor + ".x (this library supports layout " + expectedMajor +
            "." + expectedMinor + " and reads any " + expectedMajor + ".x)", actualMajor + "." + actualMinor,
            "; use a shm-ipc library of layout " + actualMajor + ".x, or recreate the region");
    }

    /**
     * Create the exception for another field that this library cannot read, such as an unknown channel kind.
     *
     * @param region   the region name or path.
     * @param field    the field.
     * @param expected what this library reads there.
     * @param actual   what was found, and what to do about it.
     */
    protected IncompatibleLayoutException(final String region, final String field, final String expected,
        final String actual)
    {
        super(region, field, expected, actual);
    }
}
