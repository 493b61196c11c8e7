package io.shmipc.channel;

import com.sun.jna.Memory;
import io.shmipc.exceptions.CorruptRegionException;
import io.shmipc.exceptions.RegionClosedException;
import io.shmipc.layout.ChannelDescriptor;
import io.shmipc.posix.Posix;
import io.shmipc.region.MappedRegion;

/**
 * One endpoint's defence against a region file truncated under its mapping: a rate-limited {@code fstat} check
 * with scratch memory of its own (so it allocates nothing), and the mapping of a fault inside the channel's buffer
 * to the typed error.
 * <p>
 * The endpoint checks in each housekeeping round (every {@link ChannelEndpoint#HOUSEKEEPING_INTERVAL_OPERATIONS}
 * operations, at least {@link #CHECK_INTERVAL_NS} apart), so a busy-spinning endpoint makes at most one system call
 * per interval (docs/performance.md says why the floor is ten milliseconds), and after a sleep. A truncation found
 * here, or by any other endpoint of the region, fails every channel of the region at once ({@link RegionHealth}).
 */
final class TruncationGuard
{
    /** Least time between two checks. */
    static final long CHECK_INTERVAL_NS = 10_000_000L;
    /**
     * After a sleep, a check by any endpoint of the region this recent stands for this one's: the members of a wait
     * set woken together make one system call, not one each.
     */
    static final long SHARED_CHECK_NS = 20_000L;

    private final MappedRegion region;
    private final RegionHealth regionHealth;
    private final ChannelHealth channelHealth;
    private final Memory statScratch = Posix.newStatBuffer();

    TruncationGuard(final MappedRegion region, final RegionHealth regionHealth, final ChannelHealth channelHealth)
    {
        this.region = region;
        this.regionHealth = regionHealth;
        this.channelHealth = channelHealth;
    }

    /**
     * Check the file's size now.
     *
     * @param nowNs {@link System#nanoTime()}.
     * @throws CorruptRegionException on field {@code file.size} after a truncation.
     */
    void check(final long nowNs)
    {
        try
        {
            region.checkNotTruncated(statScratch);
            regionHealth.noteWhole(nowNs);
        }
        catch (final CorruptRegionException truncated)
        {
            regionHealth.onTruncated(truncated);
            RegionHealth.takePendingFault();
            throw ChannelHealth.copy(truncated);
        }
    }

    /**
     * Check the file's size after a sleep, before the update that ends the wait registration touches the mapping,
     * unless an endpoint of the region found the file whole in the last {@link #SHARED_CHECK_NS}: nothing can wake a
     * sleeper on a truncated file, so this is where it learns of one, typed, rather than by a fault that HotSpot may
     * raise later, in its caller's code. Nothing once the region is closing (its close takes the sleeper out of the
     * wait).
     *
     * @throws CorruptRegionException on field {@code file.size} after a truncation.
     */
    void checkAfterSleep()
    {
        final long nowNs = System.nanoTime();
        if (nowNs - regionHealth.wholeAtNs() > SHARED_CHECK_NS)
        {
            try
            {
                check(nowNs);
            }
            catch (final RegionClosedException closing)
            {
                // The close that is under way releases the wait.
            }
        }
    }

    /**
     * Whether the region's file is truncated now (asked of the file; a truncation found fails every channel and
     * releases the mapping, as at a housekeeping round).
     *
     * @return true when it is.
     */
    boolean truncatedNow()
    {
        return truncation() != null;
    }

    private CorruptRegionException truncation()
    {
        return regionHealth.checkTruncatedTakingFault();
    }

    /**
     * The typed error for an unexpected failure inside the channel's shared memory: the file truncated, or values the
     * buffer code cannot use (the channel then fails).
     *
     * @param cause what the buffer code threw (bounds violation, invalid state, or the JVM's error for a fault on a
     *              truncated mapping).
     * @return the exception to throw, with {@code cause} as its cause.
     */
    CorruptRegionException corruption(final Throwable cause)
    {
        final CorruptRegionException truncated = truncation();
        final CorruptRegionException corrupt;
        if (truncated != null)
        {
            corrupt = ChannelHealth.copy(truncated);
        }
        else if (cause instanceof InternalError)
        {
            // A fault HotSpot reports late, and per thread: it may have been met on another region's mapping, so it
            // fails nothing here.
            corrupt = new CorruptRegionException(region.name(), channelHealth.field("buffer"),
                "no fault on the mapping (the file whole)", cause.toString());
        }
        else
        {
            corrupt = channelHealth.fail(ChannelDescriptor.FAILURE_RECORD, "buffer",
                "records and positions a valid buffer holds", cause.toString());
        }
        corrupt.addSuppressed(cause);
        RegionHealth.takePendingFault(); // failing the channels may have met the fault again: take that one too
        return corrupt;
    }
}
