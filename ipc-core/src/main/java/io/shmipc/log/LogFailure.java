package io.shmipc.log;

import io.shmipc.exceptions.CorruptRegionException;
import io.shmipc.layout.LogBufferDescriptor;
import org.agrona.concurrent.AtomicBuffer;

/**
 * A log channel's failure mark: the first endpoint that finds a value in the log or its slots wrong stores it, and
 * every endpoint checks it at each operation, so that one corruption fails the channel for everyone, for good.
 */
public final class LogFailure
{
    private final String region;
    private final String channel;
    private final AtomicBuffer buffer;
    private final int markIndex;

    /**
     * Over a log buffer.
     *
     * @param region   the region, for messages.
     * @param channel  the channel name, for messages.
     * @param buffer   the log's data and trailer.
     * @param capacity the data capacity.
     */
    public LogFailure(final String region, final String channel, final AtomicBuffer buffer, final int capacity)
    {
        this.region = region;
        this.channel = channel;
        this.buffer = buffer;
        this.markIndex = capacity + LogBufferDescriptor.FAILURE_MARK_OFFSET;
    }

    /**
     * Throw when the channel has been marked failed.
     *
     * @throws CorruptRegionException on field {@code channel[name].failureMark}.
     */
    public void check()
    {
        final int mark = buffer.getIntVolatile(markIndex);
        if (mark != 0)
        {
            throw new CorruptRegionException(region, field("failureMark"), "0",
                mark + " (an endpoint found the channel's shared memory corrupt; the channel stays failed)");
        }
    }

    /**
     * Whether the channel has been marked failed.
     *
     * @return true once marked.
     */
    public boolean isFailed()
    {
        return buffer.getIntVolatile(markIndex) != 0;
    }

    /**
     * Mark the channel failed and make the error for the field found wrong.
     *
     * @param field    the field, relative to the channel, e.g. {@code log.tailPosition}.
     * @param expected what a valid log holds there.
     * @param actual   what was found.
     * @return the exception to throw.
     */
    public CorruptRegionException corrupt(final String field, final String expected, final String actual)
    {
        buffer.putIntRelease(markIndex, 1);
        return new CorruptRegionException(region, field(field), expected, actual);
    }

    /**
     * The full name of a field of this channel.
     *
     * @param field relative to the channel.
     * @return {@code channel[name].field}.
     */
    public String field(final String field)
    {
        return "channel[" + channel + "]." + field;
    }

    /**
     * The region, for messages.
     *
     * @return the region as text.
     */
    public String region()
    {
        return region;
    }
}
