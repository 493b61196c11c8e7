package io.shmipc.directory;

import io.shmipc.layout.ChannelLayout;

import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * First-fit allocation of channel areas in a region's data area. The allocator keeps no state of its own: the space
 * in use is the channel areas of the directory's READY entries, read and validated under the directory lock, so no
 * process dying at any point can leak space or give it out twice. Offsets and lengths are page multiples (every
 * channel area is), so every gap is too.
 */
public final class SpaceAllocator
{
    private final long start;
    private final long end;
    private final long[] offsets;
    private final long[] lengths;

    /**
     * An allocator over a data area holding the given channels.
     *
     * @param dataAreaOffset where the data area begins.
     * @param dataAreaLength its length.
     * @param used           the channels that hold space, validated to lie inside the data area and not overlap.
     */
    public SpaceAllocator(final long dataAreaOffset, final long dataAreaLength, final List<ChannelLayout> used)
    {
        this.start = dataAreaOffset;
        this.end = dataAreaOffset + dataAreaLength;
        final ChannelLayout[] sorted = used.toArray(new ChannelLayout[0]);
        Arrays.sort(sorted, Comparator.comparingLong(ChannelLayout::channelOffset));
        this.offsets = new long[sorted.length];
        this.lengths = new long[sorted.length];
        for (int i = 0; i < sorted.length; i++)
        {
            offsets[i] = sorted[i].channelOffset();
            lengths[i] = sorted[i].channelLength();
        }
    }

    /**
     * The lowest offset at which {@code length} bytes fit between the areas in use.
     *
     * @param length bytes wanted.
     * @return the offset, or -1 when no free extent is that large.
     */
    public long firstFit(final long length)
    {
        long gapStart = start;
        for (int i = 0; i <= offsets.length; i++)
        {
            final long gapEnd = i < offsets.length ? offsets[i] : end;
            if (gapEnd - gapStart >= length)
            {
                return gapStart;
            }
            if (i < offsets.length)
            {
                gapStart = Math.max(gapStart, offsets[i] + lengths[i]);
            }
        }
        return -1;
    }

    /**
     * The bytes of the data area no channel holds.
     *
     * @return free bytes.
     */
    public long freeBytes()
    {
        long used = 0;
        for (final long length : lengths)
        {
            used += length;
        }
        return end - start - used;
    }

    /**
     * The largest free extent: the most a single channel area can take now.
     *
     * @return bytes.
     */
    public long largestFreeExtent()
    {
        long largest = 0;
        long gapStart = start;
        for (int i = 0; i <= offsets.length; i++)
        {
            final long gapEnd = i < offsets.length ? offsets[i] : end;
            largest = Math.max(largest, gapEnd - gapStart);
            if (i < offsets.length)
            {
                gapStart = Math.max(gapStart, offsets[i] + lengths[i]);
            }
        }
        return largest;
    }
}
