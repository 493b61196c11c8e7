package io.shmipc.layout;

import io.shmipc.ChannelKind;
import io.shmipc.ChannelSpec;
import io.shmipc.exceptions.CorruptRegionException;
import io.shmipc.exceptions.IncompatibleLayoutException;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;

import static io.shmipc.layout.DirectoryDescriptor.*;
import static io.shmipc.layout.RegionHeaderDescriptor.*;
import static org.junit.jupiter.api.Assertions.*;

/**
 * Reading a layout from untrusted memory: a region image written by the planner reads back as planned, and one
 * field at a time set outside its limits (or in conflict with another field, another entry or the file's size) is
 * refused with that field, the expected and the actual value named.
 */
class LayoutReaderTest
{
    private static final RegionLayout PLANNED = RegionLayout.plan("test", List.of(
        new ChannelSpec("ring", ChannelKind.MANY_TO_ONE, 1024, 0),
        new ChannelSpec("fan", ChannelKind.BROADCAST, 1024, 64)), 2, -1);
    private static final long LENGTH = PLANNED.regionLength();
    private static final int RING = HEADER_LENGTH;
    private static final int FAN = HEADER_LENGTH + ENTRY_LENGTH;
    private static final long RING_OFFSET = PLANNED.channels().get(0).channelOffset();
    private static final long FAN_OFFSET = PLANNED.channels().get(1).channelOffset();

    private static UnsafeBuffer image()
    {
        final UnsafeBuffer image = new UnsafeBuffer(new byte[PLANNED.metadataLength()]);
        PLANNED.writeTo(image);
        return image;
    }

    private static RegionLayout read(final UnsafeBuffer image, final long fileSize)
    {
        final LayoutReader.Header header = LayoutReader.validateHeader(image, fileSize, "test");
        return LayoutReader.readDirectory(image, header, "test");
    }

    @Test
    void aPlannedLayoutReadsBackAsPlanned()
    {
        final RegionLayout read = read(image(), LENGTH);
        assertEquals(PLANNED.regionLength(), read.regionLength());
        assertEquals(PLANNED.channels(), read.channels());
        assertEquals(64, read.channels().get(1).maxMessageLength());
    }

    @Test
    void anyMinorVersionOfTheMajorIsAccepted()
    {
        final UnsafeBuffer image = image();
        image.putInt(MINOR_VERSION_OFFSET, 99);
        assertEquals(2, read(image, LENGTH).channels().size());
    }

    @Test
    void anotherMajorVersionIsIncompatible()
    {
        final UnsafeBuffer image = image();
        image.putInt(MAJOR_VERSION_OFFSET, MAJOR_VERSION + 1);
        image.putInt(MINOR_VERSION_OFFSET, 3);
        final IncompatibleLayoutException refused = assertThrows(IncompatibleLayoutException.class,
            () -> read(image, LENGTH));
        assertEquals("header.majorVersion", refused.field());
        assertTrue(refused.expected().startsWith(MAJOR_VERSION + ".x (this library supports layout " +
            MAJOR_VERSION + "." + MINOR_VERSION), refused.expected());
        assertEquals((MAJOR_VERSION + 1) + ".3", refused.actual(), "the version found, major.minor");
        assertTrue(refused.getMessage().endsWith("actual=" + (MAJOR_VERSION + 1) + ".3; use a shm-ipc library of " +
            "layout " + (MAJOR_VERSION + 1) + ".x, or recreate the region"), refused.getMessage());
    }

    @Test
    void aLayout11RegionIsRefusedNamingItsVersionAndTheFix()
    {
        final UnsafeBuffer image = image();
        image.putInt(MAJOR_VERSION_OFFSET, 1);
        image.putInt(MINOR_VERSION_OFFSET, 1);
        final IncompatibleLayoutException refused = assertThrows(IncompatibleLayoutException.class,
            () -> read(image, LENGTH));
        assertTrue(refused.getMessage().contains("actual=1.1; use a shm-ipc library of layout 1.x, or recreate " +
            "the region"), refused.getMessage());
    }

    @Test
    void anUnknownKindIsItsOwnTypedErrorNamingTheChannelAndTheCode()
    {
        final UnsafeBuffer image = image();
        image.putInt(FAN + KIND_OFFSET, 77);
        final io.shmipc.exceptions.UnknownChannelKindException refused = assertThrows(
            io.shmipc.exceptions.UnknownChannelKindException.class, () -> read(image, LENGTH));
        assertEquals(77, refused.code());
        assertEquals("directory[1](fan).kind", refused.field());
    }

    @Test
    void freeAndInitialisingEntriesAreNotChannelsWhateverTheirFieldsHold()
    {
        final UnsafeBuffer image = image();
        image.putLong(FAN + ENTRY_STATUS_OFFSET, next(image.getLong(FAN + ENTRY_STATUS_OFFSET), ENTRY_FREE));
        image.putInt(FAN + CAPACITY_OFFSET, 1000);
        assertEquals(List.of("ring"), names(read(image, LENGTH)));
        image.putLong(FAN + ENTRY_STATUS_OFFSET, next(image.getLong(FAN + ENTRY_STATUS_OFFSET), ENTRY_INITIALISING));
        assertEquals(List.of("ring"), names(read(image, LENGTH)));
    }

    @Test
    void aChannelCarriesTheStatusOfItsEntry()
    {
        final UnsafeBuffer image = image();
        final long status = next(next(image.getLong(RING + ENTRY_STATUS_OFFSET), ENTRY_FREE), ENTRY_READY);
        image.putLong(RING + ENTRY_STATUS_OFFSET, status);
        final ChannelLayout ring = read(image, LENGTH).channels().get(0);
        assertEquals(status, ring.entryStatus());
        assertEquals(ENTRY_READY, state(status));
        assertEquals(3, generation(status));
    }

    private static List<String> names(final RegionLayout layout)
    {
        return layout.channels().stream().map(ChannelLayout::name).toList();
    }

    @Test
    void aFileShorterThanTheRegionIsTruncated()
    {
        final CorruptRegionException refused = assertThrows(CorruptRegionException.class,
            () -> read(image(), LENGTH - 4096));
        assertEquals("header.regionLength", refused.field());
        assertTrue(refused.expected().contains("the file size " + (LENGTH - 4096)), refused.expected());
        assertEquals(Long.toString(LENGTH), refused.actual());
    }

    static Stream<Arguments> corruptions()
    {
        return Stream.of(
            // Header: each field, then the counters areas that follow from the channel count.
            corrupt("header.magic", "0x", "0x2a", image -> image.putLong(MAGIC_OFFSET, 42)),
            corrupt("header.headerLength", "4096", "8192", image -> image.putInt(HEADER_LENGTH_OFFSET, 8192)),
            corrupt("header.pageSize", "4096", "65536", image -> image.putInt(PAGE_SIZE_OFFSET, 65536)),
            corrupt("header.directoryEntryLength", "128", "64",
                image -> image.putInt(DIRECTORY_ENTRY_LENGTH_OFFSET, 64)),
            corrupt("header.directoryOffset", "4096", "0", image -> image.putLong(DIRECTORY_OFFSET_OFFSET, 0)),
            corrupt("header.directoryCapacity", "1..1024", "0", image -> image.putInt(DIRECTORY_CAPACITY_OFFSET, 0)),
            corrupt("header.directoryCapacity", "1..1024", "1025",
                image -> image.putInt(DIRECTORY_CAPACITY_OFFSET, 1025)),
            corrupt("header.directoryCapacity", "within the region length " + LENGTH, "1000 entries",
                image -> image.putInt(DIRECTORY_CAPACITY_OFFSET, 1000)),
            corrupt("header.countersMetadataOffset", "8192", "4096",
                image -> image.putLong(COUNTERS_METADATA_OFFSET_OFFSET, 4096)),
            corrupt("header.countersMetadataLength", "16384", "4096",
                image -> image.putInt(COUNTERS_METADATA_LENGTH_OFFSET, 4096)),
            corrupt("header.countersValuesLength", "4096", "8192",
                image -> image.putInt(COUNTERS_VALUES_LENGTH_OFFSET, 8192)),
            corrupt("header.countersValuesOffset", "24576", "8192",
                image -> image.putLong(COUNTERS_VALUES_OFFSET_OFFSET, 8192)),
            corrupt("header.dataAreaOffset", "28672", "32768", image -> image.putLong(DATA_AREA_OFFSET_OFFSET, 32768)),
            corrupt("header.dataAreaLength", Long.toString(LENGTH - 28672), "4096",
                image -> image.putLong(DATA_AREA_LENGTH_OFFSET, 4096)),
            // The state of an entry.
            corrupt("directory[0].entryState", "0, 1 or 2", "7", image -> image.putInt(RING + ENTRY_STATE_OFFSET, 7)),
            // A directory entry: each field against its limits and the others.
            corrupt("directory[0].nameLength", "1..56", "0", image -> image.putInt(RING + NAME_LENGTH_OFFSET, 0)),
            corrupt("directory[0].nameLength", "1..56", "57", image -> image.putInt(RING + NAME_LENGTH_OFFSET, 57)),
            corrupt("directory[0].name", "a valid channel name", "r\\x00ng",
                image -> image.putByte(RING + NAME_OFFSET + 1, (byte)0)),
            corrupt("directory[1](fan).kind", "1, 2, 3 or 4", "0", image -> image.putInt(FAN + KIND_OFFSET, 0)),
            corrupt("directory[1](fan).kind", "1, 2, 3 or 4", "5", image -> image.putInt(FAN + KIND_OFFSET, 5)),
            corrupt("directory[0].capacity", "a power of two from 1024 to 1073741824", "1000",
                image -> image.putInt(RING + CAPACITY_OFFSET, 1000)),
            corrupt("directory[0].capacity", "a power of two from 1024", "512",
                image -> image.putInt(RING + CAPACITY_OFFSET, 512)),
            corrupt("directory[0].capacity", "a power of two from 1024", "-2147483648",
                image -> image.putInt(RING + CAPACITY_OFFSET, Integer.MIN_VALUE)),
            corrupt("directory[0].endpointSlots", "64", "32", image -> image.putInt(RING + ENDPOINT_SLOTS_OFFSET, 32)),
            corrupt("directory[0].channelLength", "16384", "4096",
                image -> image.putLong(RING + CHANNEL_LENGTH_OFFSET, 4096)),
            corrupt("directory[0].channelOffset", "page aligned, from 28672", "4096",
                image -> moveRing(image, 4096)),
            corrupt("directory[0].channelOffset", "page aligned", Long.toString(RING_OFFSET + 8),
                image -> moveRing(image, RING_OFFSET + 8)),
            corrupt("directory[0].channelOffset", "(within the data area)", Long.toString(LENGTH - 4096),
                image -> moveRing(image, LENGTH - 4096)),
            corrupt("directory[0].controlOffset", Long.toString(RING_OFFSET), Long.toString(RING_OFFSET + 4096),
                image -> image.putLong(RING + CONTROL_OFFSET_OFFSET, RING_OFFSET + 4096)),
            // The area's own offset damaged, the offsets that follow from it intact: both are named.
            corrupt("directory[0].controlOffset", (RING_OFFSET + 4096) + " (from channelOffset " +
                (RING_OFFSET + 4096) + ": one of the two is damaged)", Long.toString(RING_OFFSET),
                image -> image.putLong(RING + CHANNEL_OFFSET_OFFSET, RING_OFFSET + 4096)),
            corrupt("directory[0].endpointTableOffset", Long.toString(RING_OFFSET + 4096),
                Long.toString(RING_OFFSET), image -> image.putLong(RING + ENDPOINT_TABLE_OFFSET_OFFSET, RING_OFFSET)),
            corrupt("directory[0].bufferOffset", Long.toString(RING_OFFSET + 12288), "0",
                image -> image.putLong(RING + BUFFER_OFFSET_OFFSET, 0)),
            corrupt("directory[0].bufferLength", "1792", "1024",
                image -> image.putInt(RING + BUFFER_LENGTH_OFFSET, 1024)),
            corrupt("directory[1].bufferLength", "1152", "1792",
                image -> image.putInt(FAN + BUFFER_LENGTH_OFFSET, 1792)),
            corrupt("directory[0].maxMessageLength", "1..128", "0",
                image -> image.putInt(RING + MAX_MESSAGE_LENGTH_OFFSET, 0)),
            corrupt("directory[0].maxMessageLength", "1..128", "129",
                image -> image.putInt(RING + MAX_MESSAGE_LENGTH_OFFSET, 129)),
            // Entries against each other.
            corrupt("directory[1].name", "a unique name", "ring", image -> rename(image, FAN, "ring")),
            corrupt("directory[1].channelOffset", "no overlap with channel ring ending at " + FAN_OFFSET,
                Long.toString(FAN_OFFSET - 4096), LayoutReaderTest::moveFanOntoRing));
    }

    private static Arguments corrupt(final String field, final String expected, final String actual,
        final Consumer<UnsafeBuffer> corruption)
    {
        return Arguments.of(field, expected, actual, corruption);
    }

    /** Move the ring's area, with every offset that follows from it, so that only the area's own place is wrong. */
    private static void moveRing(final UnsafeBuffer image, final long channelOffset)
    {
        moveEntry(image, RING, channelOffset);
    }

    private static void moveFanOntoRing(final UnsafeBuffer image)
    {
        moveEntry(image, FAN, FAN_OFFSET - 4096);
    }

    private static void moveEntry(final UnsafeBuffer image, final int entry, final long channelOffset)
    {
        image.putLong(entry + CHANNEL_OFFSET_OFFSET, channelOffset);
        image.putLong(entry + CONTROL_OFFSET_OFFSET, channelOffset);
        image.putLong(entry + ENDPOINT_TABLE_OFFSET_OFFSET, channelOffset + 4096);
        image.putLong(entry + BUFFER_OFFSET_OFFSET, channelOffset + 4096 + 8192);
    }

    private static void rename(final UnsafeBuffer image, final int entry, final String name)
    {
        final byte[] bytes = name.getBytes(StandardCharsets.US_ASCII);
        image.putInt(entry + NAME_LENGTH_OFFSET, bytes.length);
        image.putBytes(entry + NAME_OFFSET, bytes);
    }

    @ParameterizedTest(name = "{0} expected {1} actual {2}")
    @MethodSource("corruptions")
    void aFieldOutsideItsLimitsIsRefusedAndNamed(final String field, final String expected, final String actual,
        final Consumer<UnsafeBuffer> corruption)
    {
        final UnsafeBuffer image = image();
        corruption.accept(image);
        final CorruptRegionException refused = assertThrows(CorruptRegionException.class, () -> read(image, LENGTH));
        assertEquals(field, refused.field(), refused.getMessage());
        assertTrue(refused.expected().contains(expected), "expected: " + refused.expected());
        assertTrue(refused.actual().startsWith(actual), "actual: " + refused.actual());
    }
}
