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
    private final boolean readOnly;

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
        this(region, channel, buffer, capacity, false);
    }

    private LogFailure(final String region, final String channel, final AtomicBuffer buffer, final int capacity,
        final boolean readOnly)
    {
        this.region = region;
        this.channel = channel;
        this.buffer = buffer;
        this.markIndex = capacity + LogBufferDescriptor.FAILURE_MARK_OFFSET;
        this.readOnly = readOnly;
    }

    /**
     * For a reader that must not write (a tool over a read-only mapping): it checks the mark and reports what it
     * finds wrong, but leaves the mark to the channel's endpoints.
     *
     * @param region   the region, for messages.
     * @param channel  the channel name, for messages.
     * @param buffer   the log's data and trailer.
     * @param capacity the data capacity.
     * @return the failure mark.
     */
    public static LogFailure readOnly(final String region, final String channel, final AtomicBuffer buffer,
        final int capacity)
    {
        return new LogFailure(region, channel, buffer, capacity, true);
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
     * Mark the channel failed (unless {@link #readOnly read-only}) and make the error for the field found wrong.
     *
     * @param field    the field, relative to the channel, e.g. {@code log.tailPosition}.
     * @param expected what a valid log holds there.
     * @param actual   what was found.
     * @return the exception to throw.
     */
    public CorruptRegionException corrupt(final String field, final String expected, final String actual)
    {
        if (!readOnly)
        {
            buffer.putIntRelease(markIndex, 1);
        }
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
