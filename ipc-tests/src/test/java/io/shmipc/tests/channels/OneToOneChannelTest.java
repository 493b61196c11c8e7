package io.shmipc.tests.channels;

import io.shmipc.ChannelKind;
import io.shmipc.Region;
import io.shmipc.RegionConfig;
import io.shmipc.tests.support.DiskTempDirFactory;
import io.shmipc.toolkit.ChildProcess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertNotEquals;

/**
 * A {@link ChannelKind#ONE_TO_ONE} channel between two separate JVMs: a {@link RingProducer} sends a million
 * messages of random payload lengths 1..1024, each with its sequence and the CRC32 of its payload, and a
 * {@link RingConsumer} checks every one (see {@link RingStreamAssertions}). Once over POSIX shared memory, once
 * over a file on disk.
 */
class OneToOneChannelTest extends ChannelTestBase
{
    private static final long MESSAGES = 1_000_000;
    private static final Duration RUN_TIMEOUT = Duration.ofSeconds(45);

    @Test
    @Timeout(60)
    void millionMessagesOverSharedMemoryArriveInOrderIntact()
    {
        runMillionMessages();
    }

    @Test
    @Timeout(60)
    void millionMessagesOverFileOnDiskArriveInOrderIntact(
        @TempDir(factory = DiskTempDirFactory.class) final Path directory) throws Exception
    {
        assertNotEquals("tmpfs", Files.getFileStore(directory).type(), "expected a directory on disk: " + directory);
        useFile(directory.resolve("one-to-one.region"));
        runMillionMessages();
    }

    private void runMillionMessages()
    {
        Region.create(RegionConfig.builder(location()).channel("c", ChannelKind.ONE_TO_ONE, 1 << 20).build()).close();
        final String region = regionArgument();
        final ChildProcess consumer = children.start(RingConsumer.class, region, "channel=c",
            "count=" + MESSAGES);
        final ChildProcess producer = children.start(RingProducer.class, region, "channel=c",
            "count=" + MESSAGES, "seed=" + System.nanoTime(), "minPayload=1", "maxPayload=1024");
        RingStreamAssertions.assertDelivered(consumer, List.of(producer), MESSAGES, RUN_TIMEOUT);
    }
}
