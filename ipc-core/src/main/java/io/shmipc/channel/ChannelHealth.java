package io.shmipc.channel;

import io.shmipc.exceptions.CorruptRegionException;
import io.shmipc.layout.ChannelDescriptor;
import org.agrona.UnsafeApi;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * Whether a channel can still be used: once any endpoint finds its shared memory impossible (a position out of its
 * invariants, a record that cannot be right, the region's file truncated), the channel is failed for good, and every
 * endpoint of it fails with {@link CorruptRegionException} on its next operation, publishers too, so nothing is ever
 * reported published into a channel that cannot deliver it.
 * <p>
 * One object per channel and mapped region, shared by the channel's endpoints in this process: the first failure is
 * kept here (it stays failed even if the memory is repaired or the shared mark cleared). The failure is also marked
 * in the channel's control block ({@link ChannelDescriptor#CHANNEL_FAILURE_OFFSET}), so that the endpoints of other
 * processes, and of other region handles of this one, fail on their next operation instead of when they meet the
 * damage themselves. A truncated file is not marked there (its memory is gone).
 * <p>
 * Endpoints call {@link #isFailed()} before each operation: a volatile read of a field and an acquire load from a
 * control-block line publishers read after each message anyway.
 */
public final class ChannelHealth
{
    private final String region;
    private final String channel;
    private final UnsafeBuffer control;
    /** Channel Failure, addressed directly: every offer and poll reads it (the offset was checked once, here). */
    private final byte[] failureArray;
    private final long failureAddress;
    private final RegionHealth regionHealth;
    private volatile CorruptRegionException failure;

    /**
     * The health of one channel of a mapped region; {@link RegionHealth#channel} makes it.
     *
     * @param region       the region's name, for messages.
     * @param channel      the channel's name.
     * @param control      a buffer over the channel's control block.
     * @param regionHealth the health of the region's other channels, and of its file; null for a buffer that is not
     *                     a region's (a unit test's).
     */
    ChannelHealth(final String region, final String channel, final UnsafeBuffer control,
        final RegionHealth regionHealth)
    {
        this.region = region;
        this.channel = channel;
        this.control = control;
        control.boundsCheck(ChannelDescriptor.CHANNEL_FAILURE_OFFSET, Integer.BYTES);
        this.failureArray = control.byteArray();
        this.failureAddress = control.addressOffset() + ChannelDescriptor.CHANNEL_FAILURE_OFFSET;
        this.regionHealth = regionHealth;
    }

    /**
     * Whether the channel has failed, here or in another process.
     *
     * @return true once failed.
     */
    public boolean isFailed()
    {
        return failure != null || UnsafeApi.getIntAcquire(failureArray, failureAddress) != 0;
    }

    /**
     * The exception for an operation on a failed channel: the first failure found, as the cause. A mark in the
     * control block that this process has not kept yet is believed only once the file is known whole: a load from a
     * truncated mapping reads what HotSpot makes up for it, and a channel whose file was truncated fails on field
     * {@code file.size}, every channel of the region with it.
     *
     * @return a new exception naming the failure.
     */
    public CorruptRegionException failedException()
    {
        final CorruptRegionException first = failure;
        if (first != null)
        {
            return copy(first);
        }
        final CorruptRegionException truncated = truncationFailure();
        if (truncated != null)
        {
            return truncated;
        }
        final int code = control.getIntAcquire(ChannelDescriptor.CHANNEL_FAILURE_OFFSET);
        final CorruptRegionException marked = new CorruptRegionException(region, field("failure"),
            "0 (a sound channel)", code + " (" + describe(code) + ": another endpoint, possibly in another process, " +
            "found the channel corrupt; recreate the region)");
        keep(marked);
        return marked;
    }

    /**
     * Fail the channel for an impossible value found in it: keep the failure, mark it for other processes, and
     * return the exception to throw. When the region's file turns out to be truncated, that is the failure instead
     * (every channel fails, nothing is marked).
     *
     * @param code     {@link ChannelDescriptor#FAILURE_POSITIONS}, {@link ChannelDescriptor#FAILURE_RECORD} or
     *                 {@link ChannelDescriptor#FAILURE_SLOT}.
     * @param field    the field, under the channel, e.g. {@code positions} or {@code record}.
     * @param expected what a sound channel holds there.
     * @param actual   what was found.
     * @return the exception to throw.
     */
    public CorruptRegionException fail(final int code, final String field, final String expected, final String actual)
    {
        final CorruptRegionException truncated = truncationFailure();
        if (truncated != null)
        {
            return truncated; // what was read is what a truncated file reads: the file is at fault
        }
        final CorruptRegionException corrupt = new CorruptRegionException(region, field(field), expected, actual);
        keep(corrupt);
        try
        {
            control.putIntRelease(ChannelDescriptor.CHANNEL_FAILURE_OFFSET, code);
        }
        catch (final RuntimeException | InternalError ex)
        {
            corrupt.addSuppressed(ex); // the memory itself is gone: the failure stays in this process
        }
        RegionHealth.takePendingFault(); // the mark may have met a truncation made since the check
        return corrupt;
    }

    /**
     * When the region's file is found truncated now, the failure to report (every channel of the region fails with
     * it) in place of what was read from the mapping.
     *
     * @return a copy of the truncation, or null when the file is whole (or the buffer is not a region's).
     */
    private CorruptRegionException truncationFailure()
    {
        final CorruptRegionException truncated = regionHealth == null ? null : regionHealth.checkTruncatedTakingFault();
        return truncated == null ? null : failLocally(truncated);
    }

    /**
     * Fail the channel with a failure found elsewhere (the region's file truncated), without marking it in the
     * channel's memory.
     *
     * @param corrupt the failure.
     * @return {@code corrupt}.
     */
    public CorruptRegionException failLocally(final CorruptRegionException corrupt)
    {
        keep(corrupt);
        return copy(corrupt);
    }

    /**
     * A new exception saying what {@code corrupt} says, with it as the cause: one thread's exception is never thrown
     * again from another.
     *
     * @param corrupt the failure.
     * @return a copy.
     */
    static CorruptRegionException copy(final CorruptRegionException corrupt)
    {
        final CorruptRegionException copy = new CorruptRegionException(corrupt.region(), corrupt.field(),
            corrupt.expected(), corrupt.actual());
        copy.initCause(corrupt);
        return copy;
    }

    /**
     * The first failure kept, if any.
     *
     * @return the failure, or null while none was found in this process.
     */
    public CorruptRegionException failure()
    {
        return failure;
    }

    /**
     * The full name of a field of this channel, as {@link CorruptRegionException#field()} gives it.
     *
     * @param name the field under the channel.
     * @return e.g. {@code channel[orders].positions}.
     */
    public String field(final String name)
    {
        return "channel[" + channel + "]." + name;
    }

    private synchronized void keep(final CorruptRegionException corrupt)
    {
        if (failure == null)
        {
            failure = corrupt;
        }
    }

    private static String describe(final int code)
    {
        return switch (code)
        {
            case ChannelDescriptor.FAILURE_POSITIONS -> "positions out of their invariants";
            case ChannelDescriptor.FAILURE_RECORD -> "a record that cannot be right";
            case ChannelDescriptor.FAILURE_SLOT -> "a live endpoint's slot changed under it";
            default -> "an unknown failure code";
        };
    }
}
