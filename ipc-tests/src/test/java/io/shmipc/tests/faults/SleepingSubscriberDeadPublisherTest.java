package io.shmipc.tests.faults;

import io.shmipc.ChannelKind;
import io.shmipc.Publisher;
import io.shmipc.Region;
import io.shmipc.RegionConfig;
import io.shmipc.RegionInspector;
import io.shmipc.RegionLocation;
import io.shmipc.tests.support.ChildJvms;
import io.shmipc.toolkit.ChildProcess;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Timeout;

import java.util.concurrent.TimeUnit;

import static io.shmipc.tests.faults.FaultSupport.START_TIMEOUT;
import static io.shmipc.tests.faults.FaultSupport.STEP_TIMEOUT;
import static io.shmipc.tests.faults.FaultSupport.longField;
import static org.junit.jupiter.api.Assertions.*;

/**
 * A {@link ChannelKind#MANY_TO_ONE} subscriber asleep in a blocking wait while a publisher holds a claim, with a
 * message another publisher committed waiting behind it. The claim holder is killed with {@code SIGKILL}: nothing
 * wakes the subscriber (no publisher commits anything more), yet it must pad the dead record and deliver the message
 * within milliseconds, not at the end of its 15 s timeout. Both ways to sleep: {@code poll} with a timeout, and
 * {@code BlockingIdleStrategy}.
 */
class SleepingSubscriberDeadPublisherTest
{
    private static final String CHANNEL = "c";
    private static final int CLAIM_HOLDER = 100;
    private static final int WAITING_PRODUCER = 1;
    private static final String SLEEP_TIMEOUT_MS = "15000";
    /** Generous for a loaded CI machine: the rule runs every millisecond, the timeout is 15 s. */
    private static final long STALL_LIMIT_NS = TimeUnit.MILLISECONDS.toNanos(1_000);

    private final String name = FaultSupport.uniqueName("sleeping-subscriber");
    private final RegionLocation location = RegionLocation.shm(name);
    private Region region;

    @BeforeEach
    void createRegion()
    {
        region = Region.create(RegionConfig.builder(location).channel(CHANNEL, ChannelKind.MANY_TO_ONE, 64 * 1024)
            .build());
    }

    @AfterEach
    void deleteRegion()
    {
        region.close();
        FaultSupport.deleteQuietly(location);
    }

    @ParameterizedTest
    @ValueSource(strings = {"poll", "idle"})
    @Timeout(value = 90, unit = TimeUnit.SECONDS)
    void aSleepingSubscriberPadsTheDeadPublishersRecordWithinMilliseconds(final String mode)
    {
        try (ChildProcess consumer = ChildJvms.start(BlockingConsumerMain.class, name, CHANNEL, mode,
            SLEEP_TIMEOUT_MS);
            Publisher publisher = region.publisher(CHANNEL))
        {
            consumer.awaitLineStartingWith("SUBSCRIBED", START_TIMEOUT);
            try (ChildProcess holder = ChildJvms.start(ClaimHolderMain.class, name, CHANNEL, "" + CLAIM_HOLDER))
            {
                holder.awaitLineStartingWith("CLAIMED", START_TIMEOUT);
                final UnsafeBuffer message = new UnsafeBuffer(new byte[PacedProducerMain.MESSAGE_LENGTH]);
                message.putInt(PacedProducerMain.PRODUCER_OFFSET, WAITING_PRODUCER);
                assertEquals(Publisher.OK, publisher.offer(message, 0, message.capacity()));
                awaitSleeper();
                assertFalse(consumer.lines().stream().anyMatch(line -> line.startsWith("GOT ")),
                    "delivered past a live publisher's claim: " + consumer.output());

                holder.kill();
                final long reapedNs = System.nanoTime();
                final String got = consumer.awaitLineStartingWith("GOT ", STEP_TIMEOUT);
                final long stallNs = longField(got, "nanoTime") - reapedNs;
                System.out.println(mode + ": delivered " + TimeUnit.NANOSECONDS.toMicros(stallNs) +
                    " us after the claim holder was reaped");
                assertTrue(got.startsWith("GOT " + WAITING_PRODUCER + " 0 "), consumer.output());
                assertEquals(1, longField(got, "unblocked"), got);
                assertTrue(stallNs < STALL_LIMIT_NS, "the sleeping subscriber stalled " +
                    TimeUnit.NANOSECONDS.toMillis(stallNs) + " ms behind the dead publisher: " + consumer.output());
            }
        }
    }

    /**
     * Wait until the consumer sleeps on the channel (Waiter Count), with a bounded deadline.
     */
    private void awaitSleeper()
    {
        final long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        try (RegionInspector inspector = RegionInspector.open(location))
        {
            while (inspector.channels().get(0).waiters() == 0)
            {
                assertTrue(System.nanoTime() - deadline < 0, "the consumer never slept on the channel");
                Thread.onSpinWait();
            }
        }
    }
}
