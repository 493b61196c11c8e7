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
        super(region, "invalid region: region=" + region + " field=" + field + " expected=" + expected +
            " actual=" + actual);
        this.field = field;
        this.expected = expected;
        this.actual = actual;
    }

    /**
     * Create the exception with a message of its own, for subtypes that say more than field, expected and actual.
     *
     * @param region   the region name or path.
     * @param field    the layout field that failed.
     * @param expected what a valid region holds there.
     * @param actual   what was found.
     * @param message  the full message.
     */
    protected CorruptRegionException(final String region, final String field, final String expected,
        final String actual, final String message)
    {
        super(region, message);
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
