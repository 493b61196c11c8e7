package io.shmipc.tests.faults;

import io.shmipc.tests.support.ChildJvms;
import io.shmipc.ChannelKind;
import io.shmipc.ChannelStatus;
import io.shmipc.Publisher;
import io.shmipc.Region;
import io.shmipc.RegionConfig;
import io.shmipc.RegionInspector;
import io.shmipc.RegionLocation;
import io.shmipc.toolkit.ChildProcess;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.List;
import java.util.concurrent.TimeUnit;

import static io.shmipc.tests.faults.FaultSupport.START_TIMEOUT;
import static io.shmipc.tests.faults.FaultSupport.STEP_TIMEOUT;
import static io.shmipc.tests.faults.FaultSupport.longField;
import static org.junit.jupiter.api.Assertions.*;

/**
 * The consumer of a ring dies with {@code kill -9} in the middle of a batch: its publisher sees it dead, keeps
 * buffering until the ring is full, and a new consumer process receives everything, in order, with at most the
 * dead consumer's last batch delivered twice.
 */
class DeadConsumerTest
{
    private static final String CHANNEL = "c";
    private static final int CAPACITY = 64 * 1024;
    /** 120 bytes of message plus Agrona's 8-byte header: 128-byte records, 512 of them fill the ring. */
    private static final int MESSAGE_LENGTH = 120;
    private static final int RECORD_LENGTH = 128;
    /** Agrona's one-to-one ring accepts a record only while a further record header would still fit. */
    private static final int REQUIRED_FREE = RECORD_LENGTH + 8;
    private static final int BATCH_LIMIT = 10;
    private static final int PREFILLED = 50;
    private static final long STALL_SEQUENCE = 25;
    private static final int AFTER_RESTART = 300;

    private final String name = FaultSupport.uniqueName("dead-consumer");
    private final RegionLocation location = RegionLocation.shm(name);
    private final UnsafeBuffer message = new UnsafeBuffer(new byte[MESSAGE_LENGTH]);

    @AfterEach
    void deleteRegion()
    {
        FaultSupport.deleteQuietly(location);
    }

    @Test
    @Timeout(value = 90, unit = TimeUnit.SECONDS)
    void publisherBuffersUntilFullAndNewConsumerReceivesEverythingInOrder()
    {
        final RegionConfig config = RegionConfig.builder(location).channel(CHANNEL, ChannelKind.ONE_TO_ONE, CAPACITY)
            .build();
        try (Region region = Region.create(config);
            Publisher publisher = region.publisher(CHANNEL))
        {
            long sequence = 0;
            while (sequence < PREFILLED)
            {
                assertEquals(Publisher.OK, offer(publisher, sequence++));
            }
            assertFalse(publisher.isConsumerAlive(), "no consumer yet");

            final List<String> deadConsumerLines;
            try (ChildProcess dead = ChildJvms.start(StallingConsumerMain.class, name, CHANNEL, "" + BATCH_LIMIT,
                "" + STALL_SEQUENCE, "-1", "true"))
            {
                dead.awaitLineStartingWith("STALLED " + STALL_SEQUENCE, START_TIMEOUT);
                assertTrue(publisher.isConsumerAlive(), "consumer alive while it stalls in its handler");
                dead.kill();
                assertFalse(publisher.isConsumerAlive(), "consumer dead right after kill -9");
                deadConsumerLines = dead.lines();
            }
            final long lastBatchFirst = firstOfUnfinishedBatch(deadConsumerLines);
            // Batches of 10 from a ring holding 50: [0, 9], [10, 19], then it stalls on 25 inside [20, 29].
            assertEquals(20, lastBatchFirst, String.join("\n", deadConsumerLines));

            // Nobody consumes now: the ring takes messages until it is full, and only then reports back-pressure.
            final long freeBytes = CAPACITY - (PREFILLED - lastBatchFirst) * RECORD_LENGTH;
            final long room = (freeBytes - REQUIRED_FREE) / RECORD_LENGTH + 1;
            long accepted = 0;
            long result;
            while ((result = offer(publisher, sequence)) == Publisher.OK)
            {
                sequence++;
                accepted++;
                assertTrue(accepted <= room, "accepted more than the ring holds");
            }
            assertEquals(Publisher.BACK_PRESSURED, result);
            assertEquals(room, accepted, "back-pressured only when full");
            assertEquals(Publisher.BACK_PRESSURED, offer(publisher, sequence), "still full");
            try (RegionInspector inspector = RegionInspector.open(location))
            {
                final ChannelStatus status = inspector.channels().get(0);
                final long free = CAPACITY - status.backlog();
                assertTrue(free < REQUIRED_FREE, "the ring is full: " + status);
                assertEquals(0, status.alive("subscriber"), status.toString());
            }

            final long lastSequence = sequence + AFTER_RESTART - 1;
            try (ChildProcess replacement = ChildJvms.start(StallingConsumerMain.class, name, CHANNEL,
                "" + BATCH_LIMIT, "-1", "" + lastSequence, "false"))
            {
                replacement.awaitLineStartingWith("SUBSCRIBED", START_TIMEOUT);
                assertTrue(publisher.isConsumerAlive(), "the replacement consumer is alive");
                final BackoffIdleStrategy idle = new BackoffIdleStrategy(10, 10, 1_000, 1_000_000);
                while (sequence <= lastSequence)
                {
                    final long sent = sequence;
                    assertEquals(Publisher.OK, publisher.offer(fill(sent), 0, MESSAGE_LENGTH, idle,
                        TimeUnit.SECONDS.toNanos(20)), () -> "offer " + sent + " after the restart");
                    sequence++;
                }
                final String summary = replacement.awaitLineStartingWith("SUMMARY ", STEP_TIMEOUT);
                replacement.awaitSuccess(STEP_TIMEOUT);
                assertEquals(lastBatchFirst, longField(summary, "first"),
                    "redelivery starts at the dead consumer's unfinished batch: " + summary);
                assertEquals(lastSequence, longField(summary, "last"), summary);
                assertEquals(lastSequence - lastBatchFirst + 1, longField(summary, "count"), summary);
                assertEquals(0, longField(summary, "outOfOrder"), summary);
                final long redelivered = STALL_SEQUENCE - lastBatchFirst + 1;
                assertTrue(redelivered <= BATCH_LIMIT, "at most one batch delivered twice: " + redelivered);
            }
        }
    }

    /**
     * The first sequence the dead consumer's handler saw after its last completed poll.
     */
    private static long firstOfUnfinishedBatch(final List<String> lines)
    {
        long first = -1;
        for (final String line : lines)
        {
            if (line.startsWith("POLLED "))
            {
                first = -1;
            }
            else if (line.startsWith("GOT ") && first < 0)
            {
                first = Long.parseLong(line.substring(4));
            }
        }
        return first;
    }

    private long offer(final Publisher publisher, final long sequence)
    {
        return publisher.offer(fill(sequence), 0, MESSAGE_LENGTH);
    }

    private UnsafeBuffer fill(final long sequence)
    {
        message.putLong(0, sequence);
        return message;
    }
}
