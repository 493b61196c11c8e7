package io.shmipc.region;

import io.shmipc.ChannelKind;
import io.shmipc.ChannelSpec;
import io.shmipc.Region;
import io.shmipc.RegionConfig;
import io.shmipc.RegionLiveness;
import io.shmipc.RegionLocation;
import io.shmipc.RegionSummary;
import io.shmipc.Regions;
import io.shmipc.exceptions.CorruptRegionException;
import io.shmipc.exceptions.RegionExistsException;
import io.shmipc.layout.ChannelLayout;
import io.shmipc.layout.LayoutReader;
import io.shmipc.layout.RegionHeaderDescriptor;
import io.shmipc.layout.RegionLayout;
import io.shmipc.posix.FileLocks;
import io.shmipc.posix.MappedSegment;
import io.shmipc.posix.Posix;
import io.shmipc.posix.PosixPlatform;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.ringbuffer.RingBufferDescriptor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Atomic creation in both of its forms, an unnamed file and a temporary name: the directory holds the region and
 * nothing else once create returns, nothing at all when it fails, and what a dead creator's temporary file leaves is
 * cleaned only when it is proven to be one.
 */
class RegionCreationTest
{
    @TempDir
    Path directory;

    private RegionConfig config(final String fileName)
    {
        return RegionConfig.builder(RegionLocation.file(directory.resolve(fileName)))
            .channel("c", ChannelKind.MANY_TO_ONE, 4096).build();
    }

    @Test
    void anAttachChecksThePositionsOfChannelsStillListedOnly()
    {
        // An attach reads the directory, then each channel's positions: a channel removed in between may have
        // given its space to another, whose data is not its positions.
        final Path file = directory.resolve("churn");
        final MappedRegion mapped = RegionCreation.create(RegionConfig.builder(RegionLocation.file(file))
            .maxChannels(4).dataAreaLength(1 << 20).build(), false);
        final int fd = Posix.open(file.toString(), PosixPlatform.O_RDWR | PosixPlatform.O_CLOEXEC, 0, "test");
        final MappedSegment segment = MappedSegment.map(fd, mapped.layout().regionLength(), true, "test");
        try
        {
            final long timeoutNs = 5_000_000_000L;
            mapped.directory().openOrAdd(new ChannelSpec("a", ChannelKind.ONE_TO_ONE, 4096, 0), false, timeoutNs);
            final LayoutReader.Header header = mapped.layout().header();
            final RegionLayout read = LayoutReader.readDirectory(segment.buffer(0, header.metadataLength()), header,
                "test");
            final ChannelLayout a = read.channels().get(0);
            segment.buffer(a.bufferOffset(), a.bufferLength())
                .putLong(a.capacity() + RingBufferDescriptor.TAIL_POSITION_OFFSET, 3); // not a position
            final CorruptRegionException damaged = assertThrows(CorruptRegionException.class,
                () -> RegionOpening.checkPositions(segment, read, "test"), "damage in a listed channel");
            assertEquals("channel[a].positions", damaged.field());

            assertTrue(mapped.directory().remove("a", timeoutNs));
            assertDoesNotThrow(() -> RegionOpening.checkPositions(segment, read, "test"),
                "the space of a channel removed since the directory was read is not its");
        }
        finally
        {
            segment.close();
            Posix.close(fd, "test");
            mapped.close(true);
        }
    }

    @ParameterizedTest
    @ValueSource(booleans = { true, false })
    void theDirectoryHoldsTheRegionAloneOnceCreated(final boolean unnamed) throws IOException
    {
        final MappedRegion mapped = RegionCreation.create(config("r"), unnamed);
        try
        {
            assertEquals(List.of("r"), entries());
            assertEquals(RegionLiveness.LIVE, Regions.summarize(mapped.location()).liveness());
            assertThrows(RegionExistsException.class, () -> RegionCreation.create(config("r"), unnamed));
            assertEquals(List.of("r"), entries(), "a refused create leaves nothing beside the region");
        }
        finally
        {
            mapped.close(true);
        }
        assertEquals(List.of(), entries());
    }

    @ParameterizedTest
    @ValueSource(booleans = { true, false })
    void aNameTakenWhileTheRegionIsBuiltIsNeverReplaced(final boolean unnamed) throws IOException
    {
        // The name is taken after the early check, as by a racing process: the link refuses, nothing is replaced.
        final Path path = directory.resolve("taken");
        final RegionConfig config = config("taken");
        final int fd = unnamed ? RegionFiles.openUnnamed(config.location()) :
            RegionFiles.openTemporary(RegionFiles.newTemporaryPath(config.location()), "test");
        try
        {
            Files.writeString(path, "somebody else's");
            assertThrows(RegionExistsException.class, () -> RegionFiles.link(fd, config.location()));
            assertEquals("somebody else's", Files.readString(path));
        }
        finally
        {
            Posix.close(fd, "test");
        }
    }

    @Test
    void aDeadCreatorsTemporaryFilesAreCleanedAndNothingElse() throws IOException
    {
        final Path empty = temporary("0000000000000001", new byte[0]);
        final Path sizedOnly = temporary("0000000000000002", new byte[RegionHeaderDescriptor.HEADER_LENGTH]);
        final Path halfWritten = temporary("0000000000000003", halfWrittenHeader());
        final Path foreign = temporary("0000000000000004", randomBytes());
        final Path building = temporary("0000000000000005", halfWrittenHeader());
        final Path notTemporary = directory.resolve(".shmipc-new-x");
        Files.write(notTemporary, new byte[0]);
        final int creatorFd = Posix.open(building.toString(), RegionFiles.READ_WRITE, 0, "test");
        try
        {
            assertTrue(FileLocks.tryLock(creatorFd, PosixPlatform.F_WRLCK,
                RegionHeaderDescriptor.INIT_LOCK_OFFSET, 1, "test"), "a live creator holds its init byte");
            assertEquals(Map.of(empty.getFileName().toString(), RegionLiveness.STALE,
                sizedOnly.getFileName().toString(), RegionLiveness.STALE,
                halfWritten.getFileName().toString(), RegionLiveness.STALE,
                building.getFileName().toString(), RegionLiveness.INITIALISING), listed());

            final List<RegionSummary> cleaned = Regions.cleanStale(directory, false);
            assertEquals(3, cleaned.size(), cleaned.toString());
            assertEquals(List.of(foreign.getFileName().toString(), building.getFileName().toString(),
                notTemporary.getFileName().toString()), entries());
        }
        finally
        {
            Posix.close(creatorFd, "test");
        }
        assertEquals(1, Regions.cleanStale(directory, false).size(), "its creator died: now it goes too");
        assertEquals(List.of(foreign.getFileName().toString(), notTemporary.getFileName().toString()), entries());
    }

    @Test
    void aRegionLeftUnderItsTemporaryNameIsCleanedWhenItsCreatorIsGone() throws IOException
    {
        // A creator that died between linking the region to its name and unlinking the temporary name.
        final MappedRegion mapped = RegionCreation.create(config("r"), true);
        final Path temporary = RegionFiles.newTemporaryPath(mapped.location());
        Files.createLink(temporary, directory.resolve("r"));
        assertFalse(Regions.deleteIfStale(RegionLocation.file(temporary)), "in use: its users byte is held");
        mapped.close(false);
        assertTrue(Regions.deleteIfStale(RegionLocation.file(temporary)));
        assertEquals(List.of("r"), entries());
        try (Region region = Region.attach(RegionLocation.file(directory.resolve("r")), java.time.Duration.ZERO))
        {
            assertFalse(region.wasCreated(), "the region at its name is whole");
        }
    }

    private Path temporary(final String hex, final byte[] content) throws IOException
    {
        final Path path = directory.resolve(RegionFiles.TEMPORARY_PREFIX + hex);
        assertTrue(RegionFiles.isTemporaryName(path.getFileName().toString()));
        return Files.write(path, content);
    }

    private static byte[] halfWrittenHeader()
    {
        final byte[] header = new byte[RegionHeaderDescriptor.HEADER_LENGTH];
        final UnsafeBuffer buffer = new UnsafeBuffer(header);
        buffer.putLong(RegionHeaderDescriptor.MAGIC_OFFSET, RegionHeaderDescriptor.MAGIC);
        buffer.putInt(RegionHeaderDescriptor.MAJOR_VERSION_OFFSET, RegionHeaderDescriptor.MAJOR_VERSION);
        buffer.putInt(RegionHeaderDescriptor.STATE_OFFSET, RegionHeaderDescriptor.STATE_INITIALISING);
        return header;
    }

    private static byte[] randomBytes()
    {
        final byte[] bytes = new byte[RegionHeaderDescriptor.HEADER_LENGTH];
        new Random(7).nextBytes(bytes);
        return bytes;
    }

    private Map<String, RegionLiveness> listed()
    {
        final Map<String, RegionLiveness> listed = new TreeMap<>();
        for (final RegionSummary summary : Regions.list(directory))
        {
            listed.put(summary.location().path().getFileName().toString(), summary.liveness());
        }
        return listed;
    }

    private List<String> entries() throws IOException
    {
        try (Stream<Path> files = Files.list(directory))
        {
            return files.map(path -> path.getFileName().toString()).sorted().toList();
        }
    }
}
