package io.shmipc.tests.channels;

import io.shmipc.toolkit.ChildProcess;
import io.shmipc.tests.support.Summary;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * A consumer JVM started before any region exists: it prints {@code WAITING} and calls {@code Region.attach} with
 * a timeout; only after that line does the test start the producer JVM, which creates the region. The consumer
 * must attach once the region is READY (not fail on the missing, half-sized or initialising file it may meet on
 * the way) and receive the whole stream.
 */
class ConsumerBeforeRegionTest extends ChannelTestBase
{
    private static final long MESSAGES = 50_000;

    @Test
    @Timeout(60)
    void consumerWaitingForSharedMemoryRegionAttachesOnceCreated()
    {
        consumerAttachesOnceCreated();
    }

    @Test
    @Timeout(60)
    void consumerWaitingForFileRegionAttachesOnceCreated(@TempDir final Path directory)
    {
        useFile(directory.resolve("late.region"));
        consumerAttachesOnceCreated();
    }

    private void consumerAttachesOnceCreated()
    {
        final String region = regionArgument();
        final ChildProcess consumer = children.start(RingConsumer.class, region, "channel=c", "count=" + MESSAGES,
            "announceWaiting=true", "attachTimeoutMs=30000");
        Summary.parse(consumer.awaitLineStartingWith("WAITING ", Duration.ofSeconds(30)))
            .assertText("regionExists", "false");
        assertFalse(Files.exists(location().path()), "nothing may create the region before the producer starts");

        final ChildProcess producer = children.start(RingProducer.class, region, "channel=c", "count=" + MESSAGES,
            "seed=" + System.nanoTime(), "create=true", "kind=ONE_TO_ONE", "capacity=262144");
        Summary.parse(producer.awaitLineStartingWith("READY ", Duration.ofSeconds(30))).assertText("created", "true");
        RingStreamAssertions.assertDelivered(consumer, List.of(producer), MESSAGES, Duration.ofSeconds(40));
    }
}
