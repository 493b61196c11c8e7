package io.shmipc.layout;

import io.shmipc.ChannelKind;
import io.shmipc.ChannelSpec;
import io.shmipc.exceptions.InvalidConfigurationException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Planning a region: where each area goes, by the formulas of docs/layout.md worked out here by hand, and every
 * option refused outside its limits with the channel and the option named.
 */
class RegionLayoutTest
{
    private static ChannelSpec spec(final String name, final ChannelKind kind, final int capacity, final int max)
    {
        return new ChannelSpec(name, kind, capacity, max);
    }

    @Test
    void channelsFollowTheCountersPageAlignedEachAreaAfterTheLast()
    {
        final RegionLayout layout = RegionLayout.plan("test", List.of(
            spec("a", ChannelKind.ONE_TO_ONE, 1024, 0),
            spec("b", ChannelKind.BROADCAST, 4096, 100),
            spec("c", ChannelKind.MANY_TO_ONE, 1 << 16, 0)), 3, -1);
        // Directory: 4096 + 3 x 128 -> 8192; counters values align(3 x 8 x 128, 4096) = 4096, metadata 4 x that.
        assertEquals(8192, layout.countersMetadataOffset());
        assertEquals(8192 + 16384, layout.countersValuesOffset());
        final long start = 8192 + 16384 + 4096;
        // Channel area: control 4096 + endpoint table align(64 x 128, 4096) = 8192 + align(capacity + trailer).
        assertPlaced(layout.channels().get(0), 0, start, 1024 + 768, 4096 + 8192 + 4096, 1024 / 8);
        assertPlaced(layout.channels().get(1), 1, start + 16384, 4096 + 128, 4096 + 8192 + 8192, 100);
        assertPlaced(layout.channels().get(2), 2, start + 16384 + 20480, (1 << 16) + 768,
            4096 + 8192 + (1 << 16) + 4096, (1 << 16) / 8);
        assertEquals(start + 16384 + 20480 + 4096 + 8192 + (1 << 16) + 4096, layout.regionLength());
        assertEquals(8192, layout.metadataLength());
        assertEquals(start, layout.dataAreaOffset());
        assertEquals(layout.regionLength() - start, layout.dataAreaLength(), "exactly what the channels need");
        for (final ChannelLayout channel : layout.channels())
        {
            assertEquals(ChannelLayout.CREATED_STATUS, channel.entryStatus());
            assertEquals(DirectoryDescriptor.ENTRY_READY, DirectoryDescriptor.state(channel.entryStatus()));
            assertEquals(1, DirectoryDescriptor.generation(channel.entryStatus()));
        }
    }

    @Test
    void theDirectoryAndDataAreaAreSizedAsAsked()
    {
        final List<ChannelSpec> one = List.of(spec("a", ChannelKind.ONE_TO_ONE, 1024, 0));
        final RegionLayout layout = RegionLayout.plan("test", one, 40, 100_000);
        // Directory: 4096 + 40 x 128 = 9216 -> 12288; values align(40 x 1024, 4096) = 40960, metadata 163840.
        assertEquals(40, layout.directoryCapacity());
        assertEquals(12288 + 163840 + 40960, layout.dataAreaOffset());
        assertEquals(102400, layout.dataAreaLength(), "rounded up to a page");
        assertEquals(layout.dataAreaOffset(), layout.channels().get(0).channelOffset());

        final RegionLayout defaults = RegionLayout.plan("test", one);
        assertEquals(RegionLayout.DEFAULT_DIRECTORY_CAPACITY, defaults.directoryCapacity());
        assertEquals(4096 + 8192 + 4096, defaults.dataAreaLength());

        final InvalidConfigurationException tooSmall = assertThrows(InvalidConfigurationException.class,
            () -> RegionLayout.plan("test", one, 1, 4096));
        assertEquals("invalid dataAreaLength: region=test dataAreaLength=4096 (the channels listed need 16384 bytes)",
            tooSmall.getMessage());
        final InvalidConfigurationException fewEntries = assertThrows(InvalidConfigurationException.class,
            () -> RegionLayout.plan("test", List.of(one.get(0), spec("b", ChannelKind.ONE_TO_ONE, 1024, 0)), 1, -1));
        assertEquals("invalid maxChannels: region=test maxChannels=1 channels=2 (1 to 1024, and at least the " +
            "channels listed)", fewEntries.getMessage());
    }

    private static void assertPlaced(final ChannelLayout channel, final int index, final long offset,
        final int bufferLength, final long channelLength, final int maxMessageLength)
    {
        assertEquals(index, channel.index());
        assertEquals(offset, channel.channelOffset(), channel.name());
        assertEquals(0, offset % 4096);
        assertEquals(offset, channel.controlOffset());
        assertEquals(offset + 4096, channel.endpointTableOffset());
        assertEquals(64, channel.endpointSlots());
        assertEquals(offset + 4096 + 8192, channel.bufferOffset());
        assertEquals(bufferLength, channel.bufferLength());
        assertEquals(channelLength, channel.channelLength());
        assertEquals(maxMessageLength, channel.maxMessageLength(), "the limit in force, 0 asking for capacity / 8");
        assertEquals(offset + 4096, channel.slotOffset(0));
        assertEquals(offset + 4096 + 63 * 128, channel.slotOffset(63));
        assertEquals(offset, channel.roleLockOffset(true));
        assertEquals(offset + 1, channel.roleLockOffset(false));
    }

    @Test
    void aRegionWithoutChannelsIsHeaderDirectoryCountersAndItsDataArea()
    {
        final RegionLayout empty = RegionLayout.plan("test", List.of(), 1, -1);
        assertEquals(4096 + 4096 + 16384 + 4096, empty.regionLength(), "no data area unless asked for");
        assertEquals(0, empty.dataAreaLength());
        final RegionLayout spare = RegionLayout.plan("test", List.of(), 1, 1 << 20);
        assertEquals(1 << 20, spare.dataAreaLength());
        assertEquals(List.of(), spare.channels());
    }

    @Test
    void aRefusedNameIsShownShortAndPrintable()
    {
        final String huge = "x".repeat(100_000);
        for (final Runnable refusal : new Runnable[] {() -> ChannelSpec.checkName(huge),
            () -> io.shmipc.RegionLocation.shm(huge)})
        {
            final String message = assertThrows(InvalidConfigurationException.class, refusal::run).getMessage();
            assertTrue(message.length() < 400 && message.contains("... (100000 characters)"), message);
        }
        final String message = assertThrows(InvalidConfigurationException.class,
            () -> ChannelSpec.checkName("a\u0000b\u00e9")).getMessage();
        assertTrue(message.contains("channel=a\\u0000b\\u00e9 ") && message.indexOf('\u0000') < 0, message);
    }

    @Test
    void theLargestCapacityAndMessageLimitAreAccepted()
    {
        final ChannelLayout channel = RegionLayout.plan("test",
            List.of(spec("big", ChannelKind.MANY_TO_ONE, 1 << 30, (1 << 30) / 8))).channels().get(0);
        assertEquals((1 << 30) + 768, channel.bufferLength());
        assertEquals(1, RegionLayout.plan("test", List.of(spec("one", ChannelKind.BROADCAST, 1024, 1)))
            .channels().get(0).maxMessageLength());
    }

    static Stream<Arguments> refusedOptions()
    {
        return Stream.of(
            Arguments.of("", 1024, 0, "invalid channel name: region=test channel= (empty)"),
            Arguments.of("x".repeat(57), 1024, 0, "longer than 56 characters: length=57"),
            Arguments.of(".", 1024, 0, "'.' and '..' are not names"),
            Arguments.of("..", 1024, 0, "'.' and '..' are not names"),
            Arguments.of("a b", 1024, 0, "found ' ' at index 1"),
            Arguments.of("a/b", 1024, 0, "found '/' at index 1"),
            Arguments.of("ok", 1000, 0, "channel=ok capacity=1000 (a power of two from 1024 to 1073741824)"),
            Arguments.of("ok", 512, 0, "channel=ok capacity=512 (a power of two"),
            Arguments.of("ok", 0, 0, "channel=ok capacity=0 (a power of two"),
            Arguments.of("ok", Integer.MIN_VALUE, 0, "channel=ok capacity=-2147483648 (a power of two"),
            Arguments.of("ok", 1024, -1, "channel=ok maxMessageLength=-1 (1 to 128 for capacity 1024)"),
            Arguments.of("ok", 1024, 129, "channel=ok maxMessageLength=129 (1 to 128 for capacity 1024)"));
    }

    @ParameterizedTest
    @MethodSource("refusedOptions")
    void anOptionOutsideItsLimitsIsRefusedAndNamed(final String name, final int capacity, final int max,
        final String message)
    {
        final InvalidConfigurationException refused = assertThrows(InvalidConfigurationException.class,
            () -> RegionLayout.plan("test", List.of(spec(name, ChannelKind.ONE_TO_ONE, capacity, max))));
        assertTrue(refused.getMessage().contains(message), refused.getMessage());
    }

    @Test
    void aDuplicateNameIsRefusedBeforeItsOtherOptionsAreLookedAt()
    {
        final InvalidConfigurationException refused = assertThrows(InvalidConfigurationException.class,
            () -> RegionLayout.plan("test", List.of(spec("x", ChannelKind.ONE_TO_ONE, 1024, 0),
            spec("x", ChannelKind.BROADCAST, 3, 0))));
        assertEquals("duplicate channel name: region=test channel=x", refused.getMessage());
    }

    @Test
    void moreChannelsThanTheDirectoryHoldsAreRefused()
    {
        final List<ChannelSpec> specs = new ArrayList<>();
        for (int i = 0; i <= DirectoryDescriptor.MAX_CHANNELS; i++)
        {
            specs.add(spec("c" + i, ChannelKind.ONE_TO_ONE, 1024, 0));
        }
        final InvalidConfigurationException refused = assertThrows(InvalidConfigurationException.class,
            () -> RegionLayout.plan("test", specs));
        assertEquals("invalid maxChannels: region=test maxChannels=1025 channels=1025 (1 to 1024, and at least " +
            "the channels listed)", refused.getMessage());
        specs.remove(specs.size() - 1);
        assertEquals(1024, RegionLayout.plan("test", specs).channels().size());
    }
}
