package io.shmipc.channel;

import com.sun.jna.Memory;
import io.shmipc.exceptions.CorruptRegionException;
import io.shmipc.posix.Posix;
import io.shmipc.region.MappedRegion;

/**
 * One endpoint's defence against a region file truncated under its mapping: a rate-limited {@code fstat} check
 * with scratch memory of its own (so it allocates nothing), and the mapping of a fault inside the channel's buffer
 * to the typed error.
 * <p>
 * The endpoint counts its operations itself and asks {@link #checkIfDue(long)} every
 * {@link ChannelEndpoint#HOUSEKEEPING_INTERVAL_OPERATIONS} of them; the guard checks only when at least
 * {@link #CHECK_INTERVAL_NS} has passed since its last check, so a busy-spinning endpoint makes at most one system
 * call per interval (docs/performance.md says why the floor is ten milliseconds).
 */
final class TruncationGuard
{
    /** Least time between two checks. */
    static final long CHECK_INTERVAL_NS = 10_000_000L;

    private final MappedRegion region;
    private final String bufferField;
    private final Memory statScratch = Posix.newStatBuffer();
    private long lastCheckNs = System.nanoTime();

    TruncationGuard(final MappedRegion region, final String channel)
    {
        this.region = region;
        this.bufferField = "channel[" + channel + "].buffer";
    }

    /**
     * Check the file's size if the last check is at least {@link #CHECK_INTERVAL_NS} old.
     *
     * @param nowNs {@link System#nanoTime()}.
     * @return true when it checked (time for the rest of the endpoint's housekeeping), false when it was too soon.
     * @throws CorruptRegionException on field {@code file.size} after a truncation.
     */
    boolean checkIfDue(final long nowNs)
    {
        if (nowNs - lastCheckNs < CHECK_INTERVAL_NS)
        {
            return false;
        }
        lastCheckNs = nowNs;
        region.checkNotTruncated(statScratch);
        return true;
    }

    /**
     * The typed error for a failure inside the channel's shared memory: a truncated file, or a buffer holding
     * values the buffer code cannot use.
     *
     * @param cause what the buffer code threw (bounds violation, invalid state, or the JVM's error for a fault on a
     *              truncated mapping).
     * @return the exception to throw.
     */
    CorruptRegionException corruption(final Throwable cause)
    {
        return region.corruption(bufferField, cause);
    }
}
