package io.shmipc.channel;

import io.shmipc.exceptions.CorruptRegionException;
import io.shmipc.layout.ChannelDescriptor;
import io.shmipc.layout.ChannelLayout;
import io.shmipc.region.MappedRegion;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The health of one mapped region's channels in this process: one {@link ChannelHealth} per channel, shared by its
 * endpoints, and what happens when the region's file is found truncated under the mapping.
 * <p>
 * A truncation fails every channel of the region at once (so every endpoint, in every thread, gets the typed error on
 * its next operation, without waiting for its own check), and replaces the mapping with private memory, so that no
 * thread faults on the file's missing pages again: HotSpot reports those faults as asynchronous
 * {@link InternalError}s that could surface anywhere in the thread, later. An endpoint that reports a failure first
 * takes any such error still pending for its thread ({@link #takePendingFault()}), so it comes out of the library's
 * call as the typed error instead.
 */
public final class RegionHealth
{
    /** Always -1: read from a volatile field, so the JIT cannot tell that the allocation must fail. */
    private static volatile int probeLength = -1;

    private final MappedRegion region;
    /** By directory entry, with the channel it was made for: an entry used again holds another channel. */
    private final Map<Integer, Entry> channels = new ConcurrentHashMap<>();
    private volatile CorruptRegionException truncation;
    /** When an endpoint of the region last found its file whole ({@link System#nanoTime()}). */
    private volatile long wholeAtNs = System.nanoTime() - (1L << 62);

    /**
     * The health of a mapped region's channels.
     *
     * @param region the region.
     */
    public RegionHealth(final MappedRegion region)
    {
        this.region = region;
    }

    /**
     * The health of a channel of this region, the same object for every endpoint of it. A channel removed at
     * runtime has no endpoint left anywhere (its in-use lock says so), so when its directory entry holds a new
     * channel, the new one gets health of its own.
     *
     * @param channel the channel.
     * @return its health.
     */
    public ChannelHealth channel(final ChannelLayout channel)
    {
        return channels.compute(channel.index(), (index, known) -> known != null && known.channel.equals(channel) ?
            known : new Entry(channel, new ChannelHealth(region.name(), channel.name(),
            region.buffer(channel.controlOffset(), ChannelDescriptor.CONTROL_LENGTH), this))).health;
    }

    /**
     * {@link #checkTruncated()} on a path that may have met a fault on the mapping: the fault still pending for this
     * thread, if any, is taken first; one raised at the system call itself (a JVM that looks for it on a native
     * call's return) is the fault being reported, so the file's size is asked again.
     *
     * @return the truncation, or null when the file is whole.
     */
    CorruptRegionException checkTruncatedTakingFault()
    {
        takePendingFault();
        try
        {
            return checkTruncated();
        }
        catch (final InternalError late)
        {
            return checkTruncated();
        }
    }

    /**
     * The truncation found, if any.
     *
     * @return the error on field {@code file.size}, or null.
     */
    public CorruptRegionException truncation()
    {
        return truncation;
    }

    /**
     * The typed error for a fault on the mapping met outside an endpoint (the region's directory, an endpoint being
     * opened), or for any call once a truncation is known: the file's size is asked now, and a truncation fails every
     * channel and stops using the mapping, as an endpoint's check does.
     *
     * @param fault the fault met, or null to ask only whether a truncation is known.
     * @return a new error on field {@code file.size} (the fault suppressed in it), or null when the file is whole.
     */
    public CorruptRegionException truncationAfter(final InternalError fault)
    {
        CorruptRegionException truncated = truncation;
        if (truncated == null && fault != null)
        {
            truncated = checkTruncatedTakingFault();
        }
        if (truncated == null)
        {
            return null;
        }
        final CorruptRegionException copy = ChannelHealth.copy(truncated);
        if (fault != null)
        {
            copy.addSuppressed(fault);
        }
        return copy;
    }

    /**
     * Ask the file's size now; when the file was truncated, fail every channel and stop using the mapping.
     *
     * @return the truncation, or null when the file is whole.
     */
    CorruptRegionException checkTruncated()
    {
        final CorruptRegionException known = truncation;
        if (known != null)
        {
            return known;
        }
        final CorruptRegionException found = region.truncation();
        if (found != null)
        {
            onTruncated(found);
        }
        return found;
    }

    /**
     * The file was found truncated: fail every channel of the region, and replace the mapping.
     *
     * @param truncated the error on field {@code file.size}.
     */
    synchronized void onTruncated(final CorruptRegionException truncated)
    {
        if (truncation != null)
        {
            return;
        }
        truncation = truncated;
        for (final Entry entry : channels.values())
        {
            entry.health.failLocally(truncated);
        }
        region.releaseTruncatedMapping();
    }

    /**
     * An endpoint found the file whole at a check that began at {@code nowNs}.
     *
     * @param nowNs {@link System#nanoTime()} before the check.
     */
    void noteWhole(final long nowNs)
    {
        wholeAtNs = nowNs;
    }

    /**
     * When an endpoint of the region last found its file whole.
     *
     * @return {@link System#nanoTime()} before that check.
     */
    long wholeAtNs()
    {
        return wholeAtNs;
    }

    /**
     * Take the asynchronous {@link InternalError} HotSpot may hold for this thread after a fault on the mapping, so it
     * does not surface later, outside the library: raised while the library's typed error is being dispatched to a
     * {@code catch} block of an interpreted caller, it would take that error's place and leave the block, uncaught.
     * <p>
     * HotSpot 17 only marks the thread at the fault. It raises the error when the thread next returns from one of
     * the VM's runtime calls, or drops it when that call returns with an exception of its own; a native method such
     * as {@code Thread.holdsLock} or {@code Thread.yield} returns without looking. An array of negative length is
     * refused in such a runtime call in the interpreter, C1 and C2 code alike, so the allocation below drops a
     * pending error, or (a JVM that raises it there instead) raises it here, inside the {@code try}.
     */
    static void takePendingFault()
    {
        try
        {
            final byte[] never = new byte[probeLength];
            throw new IllegalStateException("an array of negative length allocated: " + never.length);
        }
        catch (final NegativeArraySizeException | InternalError expected)
        {
            // Refused, as meant; the fault this thread met on the truncated mapping, if any, went with it.
        }
    }

    private record Entry(ChannelLayout channel, ChannelHealth health)
    {
    }
}
