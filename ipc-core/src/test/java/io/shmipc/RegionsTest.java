package io.shmipc;

import io.shmipc.exceptions.RegionStaleException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

class RegionsTest
{
    @TempDir
    Path directory;

    private RegionConfig config(final String fileName)
    {
        return RegionConfig.builder(RegionLocation.file(directory.resolve(fileName)))
            .channel("c", ChannelKind.MANY_TO_ONE, 4096).build();
    }

    @Test
    void cleanStaleRemovesOnlyRegionsNobodyHasOpen() throws Exception
    {
        Region.create(config("stale")).close();
        Files.writeString(directory.resolve("not-a-region"), "hello");
        try (Region live = Region.create(config("live")))
        {
            final List<RegionSummary> listed = Regions.list(directory);
            assertEquals(2, listed.size(), listed.toString());
            assertEquals(RegionLiveness.LIVE, listed.get(0).liveness());
            assertEquals(RegionLiveness.STALE, listed.get(1).liveness());
            assertEquals(1, listed.get(0).channelCount());

            assertEquals(1, Regions.cleanStale(directory, true).size());
            assertTrue(Files.exists(directory.resolve("stale")), "dry run deletes nothing");
            final List<RegionSummary> cleaned = Regions.cleanStale(directory, false);
            assertEquals(List.of(directory.resolve("stale").toString()),
                cleaned.stream().map(summary -> summary.location().toString()).toList());
            assertFalse(Files.exists(directory.resolve("stale")));
            assertTrue(Files.exists(directory.resolve("live")));
            assertTrue(Files.exists(directory.resolve("not-a-region")));
            assertFalse(live.isClosed());
        }
    }

    /**
     * A dry run reports what the real run deletes, and nothing else: a stale region whose header state is none of
     * this version's is listed stale but cannot be proven a whole region, so neither run takes it; a directory at
     * a name is no region to delete.
     */
    @Test
    void aDryRunCleansWhatTheRealRunCleans() throws Exception
    {
        Region.create(config("stale")).close();
        Region.create(config("odd-state")).close();
        try (FileChannel file = FileChannel.open(directory.resolve("odd-state"), StandardOpenOption.WRITE))
        {
            file.write(ByteBuffer.wrap(new byte[] {77, 0, 0, 0}), io.shmipc.layout.RegionHeaderDescriptor.STATE_OFFSET);
        }
        final List<String> wouldClean = Regions.cleanStale(directory, true).stream()
            .map(summary -> summary.location().path().getFileName().toString()).toList();
        final List<String> cleaned = Regions.cleanStale(directory, false).stream()
            .map(summary -> summary.location().path().getFileName().toString()).toList();
        assertEquals(List.of("stale"), cleaned);
        assertEquals(cleaned, wouldClean);
        assertTrue(Files.exists(directory.resolve("odd-state")));
        Files.createDirectory(directory.resolve("a-directory"));
        assertFalse(Regions.deleteIfStale(RegionLocation.file(directory.resolve("a-directory"))));
        assertFalse(Regions.isProvenStale(RegionLocation.file(directory.resolve("a-directory"))));
    }

    @Test
    void openOrCreateReplacesStaleRegionOnlyWhenAsked()
    {
        final RegionConfig keep = config("r");
        try (Region first = Region.create(keep))
        {
            first.publisher("c").offer(new org.agrona.concurrent.UnsafeBuffer(new byte[8]), 0, 8);
        }
        try (Region attached = Region.openOrCreate(keep))
        {
            assertFalse(attached.wasCreated());
        }
        final RegionConfig replace = RegionConfig.builder(keep.location())
            .channel("c", ChannelKind.MANY_TO_ONE, 4096).replaceStale(true).build();
        try (Region replaced = Region.openOrCreate(replace))
        {
            assertTrue(replaced.wasCreated());
            try (Region other = Region.openOrCreate(replace))
            {
                assertFalse(other.wasCreated(), "a live region is never replaced");
            }
        }
    }

    @Test
    void regionNeverMadeReadyIsStaleAndReplaced() throws Exception
    {
        final Path file = directory.resolve("half");
        final byte[] header = new byte[8192];
        final org.agrona.concurrent.UnsafeBuffer buffer = new org.agrona.concurrent.UnsafeBuffer(header);
        buffer.putLong(io.shmipc.layout.RegionHeaderDescriptor.MAGIC_OFFSET,
            io.shmipc.layout.RegionHeaderDescriptor.MAGIC);
        buffer.putInt(io.shmipc.layout.RegionHeaderDescriptor.MAJOR_VERSION_OFFSET,
            io.shmipc.layout.RegionHeaderDescriptor.MAJOR_VERSION);
        buffer.putInt(io.shmipc.layout.RegionHeaderDescriptor.STATE_OFFSET,
            io.shmipc.layout.RegionHeaderDescriptor.STATE_INITIALISING);
        Files.write(file, header);
        assertThrows(RegionStaleException.class,
            () -> Region.attach(RegionLocation.file(file), java.time.Duration.ofSeconds(5)));
        assertEquals(RegionLiveness.STALE, Regions.summarize(RegionLocation.file(file)).liveness());
        try (Region region = Region.openOrCreate(config("half")))
        {
            assertTrue(region.wasCreated());
        }
    }

    @Test
    void inspectorReadsPositionsAndEndpoints()
    {
        try (Region region = Region.create(config("i"));
            RegionInspector inspector = RegionInspector.open(region.location()))
        {
            final Publisher publisher = region.publisher("c");
            final Subscriber subscriber = region.subscriber("c");
            publisher.offer(new org.agrona.concurrent.UnsafeBuffer(new byte[24]), 0, 24);
            final ChannelStatus status = inspector.channels().get(0);
            assertEquals(32, status.producerPosition());
            assertEquals(0, status.consumerPosition());
            assertEquals(32, status.backlog());
            assertEquals(1, status.alive("publisher"));
            assertEquals(1, status.alive("subscriber"));
            subscriber.poll((buffer, offset, length) -> { }, 10);
            assertEquals(0, inspector.channels().get(0).backlog());
            final ChannelCounts counts = inspector.channels().get(0).counts();
            assertEquals(1, counts.consumedMessages());
            assertEquals(24, counts.consumedBytes());
            publisher.close();
            assertEquals(1, inspector.channels().get(0).counts().publishedMessages(), "flushed on close");
            assertEquals(24, inspector.channels().get(0).counts().publishedBytes());
            assertEquals(0, inspector.channels().get(0).alive("publisher"));
            assertEquals(RegionLiveness.LIVE, inspector.liveness());
        }
    }
}
