package io.shmipc.tests.support;

import io.shmipc.ChannelKind;
import io.shmipc.Publisher;
import io.shmipc.Region;
import io.shmipc.RegionConfig;
import io.shmipc.RegionLocation;
import io.shmipc.Subscriber;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The failure dump decodes what the library wrote, and copes with files the library would refuse.
 */
class RegionDumpTest
{
    @TempDir
    Path directory;

    @Test
    @Timeout(10)
    void decodesHeaderDirectoryEndpointsTrailerAndLocks() throws Exception
    {
        final RegionLocation location = RegionLocation.file(directory.resolve("dumped.region"));
        try (Region region = Region.create(RegionConfig.builder(location)
            .channel("ring", ChannelKind.ONE_TO_ONE, 64 * 1024)
            .channel("fan", ChannelKind.BROADCAST, 64 * 1024)
            .build());
            Publisher publisher = region.publisher("ring");
            Subscriber subscriber = region.subscriber("fan"))
        {
            publisher.offer(new UnsafeBuffer(new byte[40]), 0, 40);
            assertEquals(0, subscriber.lostMessages());
            final String dump = RegionDump.describe(location.path());
            for (final String expected : List.of("(\"SHM-IPC!\")", "state                2 (READY)",
                "regionLength         " + region.length() + " (= file size)", "directoryCapacity    16",
                "name=ring nameLength=4 kind=1 (ONE_TO_ONE)", "name=fan nameLength=3 kind=3 (BROADCAST)",
                "ring: tail=48 ", "broadcast: tailIntent=0 ", "role=PUBLISHER pid=" + ProcessHandle.current().pid(),
                "role=SUBSCRIBER", "OFDLCK"))
            {
                assertTrue(dump.contains(expected), () -> "missing '" + expected + "' in:\n" + dump);
            }
            final List<RegionDump.DirectoryEntry> entries = RegionDump.readDirectory(location.path());
            assertEquals(2, entries.size());
            assertEquals(64 * 1024, entries.get(1).capacity());
            assertEquals(region.length(), RegionDump.readHeader(location.path()).regionLength());
        }
    }

    @Test
    @Timeout(10)
    void describesTruncatedAndMissingFiles() throws Exception
    {
        final Path truncated = directory.resolve("truncated");
        Files.write(truncated, new byte[100]);
        final String dump = RegionDump.describe(truncated);
        assertTrue(dump.contains("shorter than the header"), dump);
        assertTrue(dump.contains("WRONG"), dump);
        assertTrue(RegionDump.describe(directory.resolve("absent")).contains("(no such file)"));
    }
}
