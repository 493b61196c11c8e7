package io.shmipc;

import io.shmipc.channel.SubscriberEndpoint;
import io.shmipc.exceptions.RegionClosedException;
import org.agrona.MutableDirectBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Closing a region under a thread that sleeps in it, or behind a stale pointer into it, never crashes the JVM.
 */
@Timeout(30)
class CloseSafetyTest
{
    private final RegionLocation location = RegionLocation.shm("shmipc-close-" + UUID.randomUUID());

    @AfterEach
    void tearDown()
    {
        Region.delete(location);
    }

    private Region create()
    {
        return Region.create(RegionConfig.builder(location).channel("c", ChannelKind.MANY_TO_ONE, 4096).build());
    }

    @Test
    void closeWakesAThreadSleepingInBlockingPoll() throws Exception
    {
        final Region region = create();
        final Subscriber subscriber = region.subscriber("c");
        final CompletableFuture<Integer> sleeper = CompletableFuture.supplyAsync(
            () -> subscriber.poll((buffer, offset, length) -> { }, 10, Duration.ofSeconds(60)));
        while (!sleeperIsAsleep(subscriber))
        {
            Thread.onSpinWait();
        }
        region.close();
        // Woken by the close: a sleeper left to its 60 s timeout would make get time out instead.
        final ExecutionException ex = assertThrows(ExecutionException.class, () -> sleeper.get(20, TimeUnit.SECONDS));
        assertInstanceOf(RegionClosedException.class, ex.getCause());
    }

    @Test
    void claimIsReleasedByCloseAndStalePointersDoNotCrash()
    {
        final Region region = create();
        final Publisher publisher = region.publisher("c");
        final Claim claim = new Claim();
        assertEquals(Publisher.OK, publisher.tryClaim(16, claim));
        final MutableDirectBuffer stale = claim.buffer();
        final int offset = claim.offset();
        region.close();
        assertFalse(claim.isHeld());
        assertThrows(RegionClosedException.class, claim::buffer, "withdrawn by the close");
        assertThrows(RegionClosedException.class, claim::commit);
        assertThrows(RegionClosedException.class, claim::abort);
        // A kept reference to the claim's buffer is empty now: it cannot reach the region's memory at all.
        assertEquals(0, stale.capacity());
        assertThrows(IndexOutOfBoundsException.class, () -> stale.putLong(offset, 42L));
    }

    private static boolean sleeperIsAsleep(final Subscriber subscriber)
    {
        return ((SubscriberEndpoint)subscriber).isSleeping();
    }
}
