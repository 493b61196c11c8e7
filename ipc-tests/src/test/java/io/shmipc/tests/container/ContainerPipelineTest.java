package io.shmipc.tests.container;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A producer container and a consumer container exchange 200,000 sequence-numbered messages through a
 * {@code shm:} region in one IPC namespace: the consumer owns it ({@code --ipc=shareable}), the producer joins it
 * ({@code --ipc=container:<consumer>}). Before any message, the two processes run the "same memory?" handshake.
 */
@ContainerTest
class ContainerPipelineTest
{
    private static final int MESSAGES = 200_000;

    @Test
    @Timeout(180)
    void producerContainerToConsumerContainerThroughSharedIpcNamespace()
    {
        final String suffix = Long.toHexString(ThreadLocalRandom.current().nextLong());
        final String region = "shm:pipeline-" + suffix;
        final String handshake = "shm:pipeline-handshake-" + suffix;
        try (SharedMemoryContainer consumer = SharedMemoryContainer.examples()
                .withShareableIpc()
                .withShmSize(64L << 20)
                .withPeer("consume", region, Integer.toString(MESSAGES), "--create", "--delete-on-close",
                    "--capacity", "1m", "--progress", "50000", "--timeout", "150", "--handshake-respond", handshake);
            SharedMemoryContainer producer = SharedMemoryContainer.examples()
                .withIpcOf(consumer)
                .withPeer("produce", region, Integer.toString(MESSAGES), "--progress", "50000",
                    "--handshake-initiate", handshake))
        {
            // The two processes prove they share memory before the first message (a failure says what to fix).
            consumer.start();
            producer.start();
            producer.awaitLine("HANDSHAKE OK role=initiate", Duration.ofSeconds(60));
            consumer.awaitLine("HANDSHAKE OK role=respond", Duration.ofSeconds(10));

            consumer.awaitLine("DONE received=" + MESSAGES + " first=1 last=" + MESSAGES + " contiguous=true",
                Duration.ofSeconds(150));
            producer.awaitLine("DONE produced=" + MESSAGES, Duration.ofSeconds(30));
            assertEquals(0, consumer.awaitExit(Duration.ofSeconds(30)), consumer.output().text());
            assertEquals(0, producer.awaitExit(Duration.ofSeconds(30)), producer.output().text());
            consumer.awaitLine("MESSAGE seq=1 text=\"message 1 from ", Duration.ofSeconds(1));
        }
    }
}
