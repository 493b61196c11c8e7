package io.shmipc.tests.container;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A region larger than the container's {@code /dev/shm} fails when it is created, with a message that gives the
 * size asked for and the fix, rather than with {@code SIGBUS} when a page is first touched.
 */
@ContainerTest
class ContainerShmSizeTest
{
    private static final long MEBIBYTE = 1L << 20;

    @Test
    @Timeout(120)
    void regionLargerThanDefaultShmFailsWithActionableMessage()
    {
        // 64 MiB is Docker's default --shm-size; set explicitly so an engine configured otherwise changes nothing.
        try (SharedMemoryContainer small = SharedMemoryContainer.examples().withShmSize(64 * MEBIBYTE)
                .withPeer("create", "shm:too-big", "128m");
            SharedMemoryContainer large = SharedMemoryContainer.examples().withShmSize(256 * MEBIBYTE)
                .withPeer("create", "shm:fits", "128m"))
        {
            small.start();
            large.start();

            assertEquals(1, small.awaitExit(Duration.ofSeconds(60)), small.output().text()); // failure: no room
            final String failure = small.awaitLine("FAILED RegionNoSpaceException", Duration.ofSeconds(5));
            assertTrue(failure.contains("requested=134"), failure);
            assertTrue(failure.contains("(128.1 MiB)"), failure); // the channel and the region's own pages
            assertTrue(failure.contains("free=67108864 bytes (64.0 MiB)"), failure);
            assertTrue(failure.contains("--shm-size="), failure);
            assertTrue(failure.contains("shm_size"), failure);

            assertEquals(0, large.awaitExit(Duration.ofSeconds(60)), large.output().text());
            large.awaitLine("CREATED region=shm:fits length=134", Duration.ofSeconds(5));
        }
    }
}
