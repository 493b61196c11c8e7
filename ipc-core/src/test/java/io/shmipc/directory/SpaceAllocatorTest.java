package io.shmipc.directory;

import io.shmipc.ChannelKind;
import io.shmipc.ChannelSpec;
import io.shmipc.layout.ChannelLayout;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * First fit over the channel areas in use, computed by hand: a ONE_TO_ONE channel of capacity 1024 takes 16384 bytes
 * (control 4096, endpoint table 8192, buffer 4096), one of capacity 8192 takes 24576.
 */
class SpaceAllocatorTest
{
    private static final long START = 1 << 20;
    private static final long SMALL = 16384;
    private static final long LARGE = 24576;

    private static ChannelLayout at(final int index, final long offset, final int capacity)
    {
        return ChannelLayout.place(index, new ChannelSpec("c" + index, ChannelKind.ONE_TO_ONE, capacity, 0), offset);
    }

    @Test
    void anEmptyAreaGivesItsStart()
    {
        final SpaceAllocator allocator = new SpaceAllocator(START, 65536, List.of());
        assertEquals(START, allocator.firstFit(SMALL));
        assertEquals(START, allocator.firstFit(65536));
        assertEquals(-1, allocator.firstFit(65536 + 4096));
        assertEquals(65536, allocator.freeBytes());
        assertEquals(65536, allocator.largestFreeExtent());
    }

    @Test
    void theFirstGapLargeEnoughIsTakenWhateverTheOrderOfTheEntries()
    {
        // [small][hole 16384][small][hole 24576][small][tail 28672].
        final List<ChannelLayout> used = List.of(
            at(4, START + 2 * SMALL + LARGE + SMALL, 1024),
            at(0, START, 1024),
            at(2, START + 2 * SMALL, 1024));
        final long tail = SMALL + 12288;
        final long length = 4 * SMALL + LARGE + tail;
        final SpaceAllocator allocator = new SpaceAllocator(START, length, used);
        assertEquals(START + SMALL, allocator.firstFit(SMALL), "the first hole");
        assertEquals(START + 3 * SMALL, allocator.firstFit(LARGE), "the first hole large enough");
        assertEquals(START + 4 * SMALL + LARGE, allocator.firstFit(tail), "the tail");
        assertEquals(-1, allocator.firstFit(tail + 4096));
        assertEquals(length - 3 * SMALL, allocator.freeBytes());
        assertEquals(tail, allocator.largestFreeExtent());
    }

    @Test
    void aFullAreaHasNoFit()
    {
        final SpaceAllocator allocator = new SpaceAllocator(START, 2 * SMALL,
            List.of(at(0, START, 1024), at(1, START + SMALL, 1024)));
        assertEquals(-1, allocator.firstFit(4096));
        assertEquals(0, allocator.freeBytes());
        assertEquals(0, allocator.largestFreeExtent());
    }

    @Test
    void anAreaOfLengthZeroHoldsNothing()
    {
        final SpaceAllocator allocator = new SpaceAllocator(START, 0, List.of());
        assertEquals(-1, allocator.firstFit(4096));
        assertEquals(0, allocator.largestFreeExtent());
    }
}
