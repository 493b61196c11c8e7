package io.shmipc.tests.channels;

import io.shmipc.ChannelKind;
import io.shmipc.Region;
import io.shmipc.RegionConfig;
import io.shmipc.RegionLocation;
import io.shmipc.tests.support.ChildArguments;
import io.shmipc.tests.support.ChildProcesses;
import io.shmipc.tests.support.DiskTempDirFactory;
import io.shmipc.toolkit.ChildProcess;
import io.shmipc.tests.support.RegionDump;
import io.shmipc.tests.support.RegionDumpOnFailure;
import org.agrona.concurrent.ringbuffer.RingBufferDescriptor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A file-backed region on disk larger than 2 GiB: three {@link ChannelKind#ONE_TO_ONE} channels of 1 GiB each,
 * so the third lies entirely beyond the 2 GiB offset, where an {@code int} offset would overflow. The ONE_TO_ONE
 * stream test of {@link OneToOneChannelTest} runs through that third channel between two JVMs (fewer messages:
 * the point is the offset, not the volume), and the file is then read directly to prove the bytes went through
 * that channel and no other.
 */
class LargeFileRegionTest
{
    private static final long TWO_GIB = 1L << 31;
    private static final int GIB = 1 << 30;
    private static final long MESSAGES = 100_000;

    @RegisterExtension
    final RegionDumpOnFailure dump = new RegionDumpOnFailure();

    private final ChildProcesses children = new ChildProcesses();

    @AfterEach
    void tearDown()
    {
        children.close();
    }

    @Test
    @Timeout(60)
    void streamThroughChannelBeyondTwoGibibytes(@TempDir(factory = DiskTempDirFactory.class) final Path directory)
        throws Exception
    {
        assertNotEquals("tmpfs", Files.getFileStore(directory).type(), "expected a directory on disk: " + directory);
        final RegionLocation location = dump.watch(RegionLocation.file(directory.resolve("large.region")));
        try (Region region = Region.create(RegionConfig.builder(location)
            .channel("a", ChannelKind.ONE_TO_ONE, GIB)
            .channel("b", ChannelKind.ONE_TO_ONE, GIB)
            .channel("c", ChannelKind.ONE_TO_ONE, GIB)
            .build()))
        {
            assertTrue(region.length() > 3L * GIB, () -> "region length " + region.length());
        }
        final Path file = location.path();
        assertTrue(Files.size(file) > 3L * GIB, "file size");
        final List<RegionDump.DirectoryEntry> entries = RegionDump.readDirectory(file);
        assertEquals(List.of("a", "b", "c"), entries.stream().map(RegionDump.DirectoryEntry::name).toList());
        final RegionDump.DirectoryEntry beyond = entries.get(2);
        assertTrue(beyond.channelOffset() > TWO_GIB, () -> "channel c must start past 2 GiB: " + beyond);

        final String region = "region=" + ChildArguments.format(location);
        final ChildProcess consumer = children.start(RingConsumer.class, region, "channel=c", "count=" + MESSAGES);
        final ChildProcess producer = children.start(RingProducer.class, region, "channel=c", "count=" + MESSAGES,
            "seed=" + System.nanoTime(), "minPayload=1", "maxPayload=1024");
        RingStreamAssertions.assertDelivered(consumer, List.of(producer), MESSAGES, Duration.ofSeconds(45));

        final long tail = ringPosition(file, beyond, RingBufferDescriptor.TAIL_POSITION_OFFSET);
        assertTrue(tail > MESSAGES * 32, () -> "channel c tail position " + tail);
        assertEquals(tail, ringPosition(file, beyond, RingBufferDescriptor.HEAD_POSITION_OFFSET), "c consumed");
        for (final RegionDump.DirectoryEntry unused : entries.subList(0, 2))
        {
            assertEquals(0, ringPosition(file, unused, RingBufferDescriptor.TAIL_POSITION_OFFSET), unused.name());
        }
    }

    private static long ringPosition(final Path file, final RegionDump.DirectoryEntry entry, final int trailerOffset)
        throws Exception
    {
        return RegionDump.readLong(file, entry.bufferOffset() + entry.capacity() + trailerOffset);
    }
}
