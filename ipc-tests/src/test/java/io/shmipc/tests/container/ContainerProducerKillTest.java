package io.shmipc.tests.container;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The producer container is killed ({@code docker kill}, SIGKILL) in the middle of a stream: the consumer, in
 * another container and PID namespace, learns from the kernel's locks that no publisher is left, and has every
 * message the producer committed, in order, with no gap.
 */
@ContainerTest
class ContainerProducerKillTest
{
    private static final Pattern GONE = Pattern.compile(
        "PUBLISHER GONE received=(\\d+) first=1 last=(\\d+) contiguous=true");
    private static final Pattern PRODUCED = Pattern.compile("PRODUCED (\\d+)");

    @Test
    @Timeout(180)
    void consumerDetectsKilledProducerAndKeepsEveryCommittedMessage()
    {
        final String suffix = Long.toHexString(ThreadLocalRandom.current().nextLong());
        final String region = "shm:kill-" + suffix;
        final String handshake = "shm:kill-handshake-" + suffix;
        try (SharedMemoryContainer consumer = SharedMemoryContainer.examples()
                .withShareableIpc()
                .withShmSize(64L << 20)
                .withPeer("consume", region, "0", "--create", "--delete-on-close", "--capacity", "256k",
                    "--progress", "100000", "--timeout", "150", "--handshake-respond", handshake);
            SharedMemoryContainer producer = SharedMemoryContainer.examples()
                .withIpcOf(consumer)
                .withPeer("produce", region, "0", "--progress", "100000", "--handshake-initiate", handshake))
        {
            consumer.start();
            producer.start();
            producer.awaitLine("HANDSHAKE OK role=initiate", Duration.ofSeconds(60));
            producer.awaitLine("READY role=producer", Duration.ofSeconds(60));
            // Mid-stream: the producer has committed at least 100,000 messages and goes on.
            producer.output().await(line -> line.startsWith("PRODUCED ") &&
                Long.parseLong(line.substring("PRODUCED ".length())) >= 100_000, Duration.ofSeconds(60));

            final long killedAt = System.nanoTime();
            producer.kill();
            final String gone = consumer.awaitLine("PUBLISHER GONE", Duration.ofSeconds(30));
            final Duration detection = Duration.ofNanos(System.nanoTime() - killedAt);
            assertEquals(137, producer.awaitExit(Duration.ofSeconds(30)), "SIGKILL status");

            final Matcher matcher = GONE.matcher(gone);
            assertTrue(matcher.matches(), gone);
            final long received = Long.parseLong(matcher.group(1));
            final long last = Long.parseLong(matcher.group(2));
            final long committed = lastProduced(producer);
            assertEquals(received, last, "contiguous from 1");
            assertTrue(last >= committed, "consumer ended at " + last + " but the producer had reported " +
                committed + " committed messages");
            assertTrue(committed >= 100_000, "producer reported " + committed + "; its log:\n" + producer.getLogs());
            assertTrue(detection.compareTo(Duration.ofSeconds(10)) < 0, "dead producer detected after " + detection);
            assertEquals(0, consumer.awaitExit(Duration.ofSeconds(30)), consumer.output().text());
        }
    }

    private static long lastProduced(final SharedMemoryContainer producer)
    {
        long last = 0;
        // The whole log of the dead container, from the engine (a followed stream may end before its last lines).
        for (final String line : producer.getLogs().split("\n"))
        {
            final Matcher matcher = PRODUCED.matcher(line);
            if (matcher.matches())
            {
                last = Math.max(last, Long.parseLong(matcher.group(1)));
            }
        }
        return last;
    }
}
