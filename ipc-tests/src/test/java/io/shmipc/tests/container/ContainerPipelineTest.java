package io.shmipc.tests.container;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A producer container and a consumer container exchange 200,000 sequence-numbered messages through a
 * {@code shm:} region in one IPC namespace: the consumer owns it ({@code --ipc=shareable}), the producer joins it
 * ({@code --ipc=container:<consumer>}).
 */
@ContainerTest
class ContainerPipelineTest
{
    private static final int MESSAGES = 200_000;

    @Test
    @Timeout(180)
    void producerContainerToConsumerContainerThroughSharedIpcNamespace()
    {
        final String region = "shm:pipeline-" + Long.toHexString(ThreadLocalRandom.current().nextLong());
        try (SharedMemoryContainer consumer = SharedMemoryContainer.examples()
                .withShareableIpc()
                .withShmSize(64L << 20)
                .withPeer("consume", region, Integer.toString(MESSAGES), "--create", "--delete-on-close",
                    "--capacity", "1m", "--progress", "50000", "--timeout", "150");
            SharedMemoryContainer producer = SharedMemoryContainer.examples()
                .withIpcOf(consumer)
                .withPeer("produce", region, Integer.toString(MESSAGES), "--progress", "50000"))
        {
            consumer.start();
            consumer.awaitLine("READY role=consumer", Duration.ofSeconds(60));
            producer.start();
            producer.verifySameShmAs(consumer);

            consumer.awaitLine("DONE received=" + MESSAGES + " first=1 last=" + MESSAGES + " contiguous=true",
                Duration.ofSeconds(150));
            producer.awaitLine("DONE produced=" + MESSAGES, Duration.ofSeconds(30));
            assertEquals(0, consumer.awaitExit(Duration.ofSeconds(30)), consumer.output().text());
            assertEquals(0, producer.awaitExit(Duration.ofSeconds(30)), producer.output().text());
            consumer.awaitLine("MESSAGE seq=1 text=\"message 1 from ", Duration.ofSeconds(1));
        }
    }
}
