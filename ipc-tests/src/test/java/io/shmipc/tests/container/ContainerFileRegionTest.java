package io.shmipc.tests.container;

import io.shmipc.ChannelKind;
import io.shmipc.Publisher;
import io.shmipc.Region;
import io.shmipc.RegionConfig;
import io.shmipc.RegionLocation;
import io.shmipc.Subscriber;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The test JVM and a container share a file-backed region in a host directory bind-mounted into the container
 * (which keeps its own IPC and PID namespaces), in both directions. Messages are those of the container peer: an
 * 8-byte little-endian sequence number, then {@code " from <host>"}.
 */
@ContainerTest
class ContainerFileRegionTest
{
    private static final int MESSAGES = 50_000;
    private static final String CHANNEL = "messages";
    private static final Duration STARTUP = Duration.ofSeconds(60);

    @Test
    @Timeout(180)
    void hostJvmPublishesToConsumerInContainer(@TempDir final Path shared)
    {
        final Path file = shared.resolve("host-to-container.region");
        try (SharedMemoryContainer consumer = SharedMemoryContainer.examples()
            .withSharedDirectory(shared, "/shared")
            .withHostUser()
            .withPeer("consume", "/shared/host-to-container.region", Integer.toString(MESSAGES), "--progress",
                "10000", "--attach-timeout", "120", "--timeout", "150"))
        {
            consumer.start();
            consumer.verifySameDirectoryAsHost(shared);

            final RegionConfig config = RegionConfig.builder(RegionLocation.file(file))
                .channel(CHANNEL, ChannelKind.ONE_TO_ONE, 1 << 20)
                .deleteOnClose(true)
                .build();
            try (Region region = Region.create(config);
                Publisher publisher = region.publisher(CHANNEL))
            {
                final byte[] text = " from test-jvm".getBytes(StandardCharsets.UTF_8);
                final UnsafeBuffer message = new UnsafeBuffer(ByteBuffer.allocateDirect(Long.BYTES + text.length));
                message.putBytes(Long.BYTES, text);
                final BackoffIdleStrategy idle = new BackoffIdleStrategy();
                for (long sequence = 1; sequence <= MESSAGES; sequence++)
                {
                    message.putLong(0, sequence, ByteOrder.LITTLE_ENDIAN);
                    final long result = publisher.offer(message, 0, message.capacity(), idle,
                        TimeUnit.SECONDS.toNanos(60));
                    assertEquals(Publisher.OK, result, "offer of message " + sequence);
                }
                consumer.awaitLine("DONE received=" + MESSAGES + " first=1 last=" + MESSAGES + " contiguous=true",
                    Duration.ofSeconds(120));
                consumer.awaitLine("MESSAGE seq=1 text=\"message 1 from test-jvm\"", Duration.ofSeconds(1));
            }
            assertEquals(0, consumer.awaitExit(Duration.ofSeconds(30)), consumer.output().text());
        }
    }

    @Test
    @Timeout(180)
    void producerInContainerPublishesToHostJvm(@TempDir final Path shared)
    {
        final Path file = shared.resolve("container-to-host.region");
        try (SharedMemoryContainer producer = SharedMemoryContainer.examples()
            .withSharedDirectory(shared, "/shared")
            .withHostUser()
            .withPeer("produce", "/shared/container-to-host.region", Integer.toString(MESSAGES), "--create",
                "--progress", "10000"))
        {
            producer.start();
            producer.verifySameDirectoryAsHost(shared);
            final String expectedText = " from " + producer.getContainerId().substring(0, 12);

            try (Region region = Region.attach(RegionLocation.file(file), STARTUP);
                Subscriber subscriber = region.subscriber(CHANNEL))
            {
                final long[] next = {1};
                final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
                final BackoffIdleStrategy idle = new BackoffIdleStrategy();
                while (next[0] <= MESSAGES)
                {
                    final int received = subscriber.poll((buffer, offset, length) ->
                    {
                        final long sequence = buffer.getLong(offset, ByteOrder.LITTLE_ENDIAN);
                        final String text = buffer.getStringWithoutLengthUtf8(offset + Long.BYTES,
                            length - Long.BYTES);
                        assertEquals(next[0], sequence, "sequence");
                        assertEquals(expectedText, text, "text of message " + sequence);
                        next[0]++;
                    }, 256);
                    if (received == 0)
                    {
                        if (System.nanoTime() - deadline > 0)
                        {
                            fail("received " + (next[0] - 1) + " of " + MESSAGES + "; producer output:\n" +
                                producer.output().text());
                        }
                        idle.idle();
                    }
                }
                region.delete();
            }
            producer.awaitLine("DONE produced=" + MESSAGES, Duration.ofSeconds(30));
            assertEquals(0, producer.awaitExit(Duration.ofSeconds(30)), producer.output().text());
        }
    }
}
