package io.shmipc.exceptions;

/**
 * A value read from a region's shared memory failed validation: the region is not a shm-ipc region,
 * is truncated, or was corrupted. Nothing in the region is used after this is thrown.
 */
public class CorruptRegionException extends ShmIpcException
{
    private static final long serialVersionUID = 1L;

    private final String field;
    private final String expected;
    private final String actual;

    /**
     * Create the exception.
     *
     * @param region   the region name or path.
     * @param field    the layout field that failed, e.g. {@code header.magic} or {@code directory[2].offset}.
     * @param expected what a valid region holds there.
     * @param actual   what was found.
     */
    public CorruptRegionException(final String region, final String field, final String expected, final String actual)
    {
        this(region, field, expected, actual, "");
    }

    /**
     * Create the exception with advice after the values (what to do about it), which is in the message only.
     *
     * @param region   the region name or path.
     * @param field    the layout field that failed.
     * @param expected what a valid region holds there.
     * @param actual   what was found.
     * @param advice   text appended to the message, e.g. {@code "; recreate the region"}; empty for none.
     */
    protected CorruptRegionException(final String region, final String field, final String expected,
        final String actual, final String advice)
    {
        super(region, "invalid region: region=" + region + " field=" + field + " expected=" + expected +
            " actual=" + actual + advice);
        this.field = field;
        this.expected = expected;
        this.actual = actual;
    }

    /**
     * The layout field that failed validation.
     *
     * @return the field name.
     */
    public String field()
    {
        return field;
    }

    /**
     * What a valid region holds in the field.
     *
     * @return the expectation in words.
     */
    public String expected()
    {
        return expected;
    }

    /**
     * The value found in the region.
     *
     * @return the value as text.
     */
    public String actual()
    {
        return actual;
    }
}
