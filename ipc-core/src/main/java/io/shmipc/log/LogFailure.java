package io.shmipc.log;

import io.shmipc.exceptions.CorruptRegionException;

/**
 * What the log's protocol pieces do with a value of the log or its slots that cannot be right: name the field, what a
 * sound log holds there and what was found, and hand it to the {@link Marker}, which fails the channel. In a region
 * the marker is the endpoint's: it marks the channel's Channel Failure word, so every endpoint of every process fails
 * on its next operation, the rings' way (unless the endpoint was closed meanwhile, when what it read may be what its
 * own close changed). A tool over a read-only mapping, and a unit test, use {@link #unmarked}.
 */
public final class LogFailure
{
    /**
     * Fails the channel for a value found wrong.
     */
    @FunctionalInterface
    public interface Marker
    {
        /**
         * Fail the channel and make the error to throw.
         *
         * @param field    the field, relative to the channel, e.g. {@code log.tailPosition}.
         * @param expected what a sound log holds there.
         * @param actual   what was found.
         * @return the exception to throw.
         */
        CorruptRegionException fail(String field, String expected, String actual);
    }

    private final String channel;
    private final Marker marker;

    /**
     * Failures of one channel, handed to a marker.
     *
     * @param channel the channel name, for messages.
     * @param marker  what fails the channel.
     */
    public LogFailure(final String channel, final Marker marker)
    {
        this.channel = channel;
        this.marker = marker;
    }

    /**
     * Failures that only make the error: for a reader that must not write (a tool over a read-only mapping), and for
     * the protocol pieces' unit tests.
     *
     * @param region  the region, for messages.
     * @param channel the channel name, for messages.
     * @return the failures.
     */
    public static LogFailure unmarked(final String region, final String channel)
    {
        return new LogFailure(channel, (field, expected, actual) ->
            new CorruptRegionException(region, "channel[" + channel + "]." + field, expected, actual));
    }

    /**
     * Fail the channel for the field found wrong and make the error for it.
     *
     * @param field    the field, relative to the channel, e.g. {@code log.tailPosition}.
     * @param expected what a valid log holds there.
     * @param actual   what was found.
     * @return the exception to throw.
     */
    public CorruptRegionException corrupt(final String field, final String expected, final String actual)
    {
        return marker.fail(field, expected, actual);
    }
}
