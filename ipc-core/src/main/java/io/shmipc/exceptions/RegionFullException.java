package io.shmipc.exceptions;

/**
 * A channel could not be added because a limit fixed when the region was created is reached: every directory entry
 * holds a channel ({@link Limit#CHANNELS}), or the data area has no free extent large enough for the channel
 * ({@link Limit#DATA_AREA}). The message names the limit, the values and the fix.
 */
public class RegionFullException extends ShmIpcException
{
    private static final long serialVersionUID = 1L;

    /**
     * Which of a region's limits was reached.
     */
    public enum Limit
    {
        /** The directory capacity: the most channels the region holds at once. */
        CHANNELS,
        /** The data area: the bytes that hold every channel area. */
        DATA_AREA
    }

    private final Limit limit;
    private final long limitValue;
    private final long requested;
    private final long available;

    /**
     * Create the exception.
     *
     * @param region     the region name or path.
     * @param limit      the limit reached.
     * @param limitValue the limit: the directory capacity, or the data area length in bytes.
     * @param requested  what the channel needed: 1 entry, or its channel area length in bytes.
     * @param available  what was free: 0 entries, or the largest free extent in bytes.
     * @param message    the full message, naming the fix.
     */
    public RegionFullException(final String region, final Limit limit, final long limitValue, final long requested,
        final long available, final String message)
    {
        super(region, message);
        this.limit = limit;
        this.limitValue = limitValue;
        this.requested = requested;
        this.available = available;
    }

    /**
     * The limit reached.
     *
     * @return channels or data area.
     */
    public Limit limit()
    {
        return limit;
    }

    /**
     * The value of the limit: the directory capacity, or the data area length in bytes.
     *
     * @return the limit's value.
     */
    public long limitValue()
    {
        return limitValue;
    }

    /**
     * What the channel needed: 1 directory entry, or its channel area length in bytes.
     *
     * @return the amount requested.
     */
    public long requested()
    {
        return requested;
    }

    /**
     * What was free: 0 entries, or the largest free extent of the data area in bytes.
     *
     * @return the amount available.
     */
    public long available()
    {
        return available;
    }
}
