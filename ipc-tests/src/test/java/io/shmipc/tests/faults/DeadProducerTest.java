package io.shmipc.tests.faults;

import io.shmipc.tests.support.ChildJvms;
import io.shmipc.ChannelKind;
import io.shmipc.ChannelStatus;
import io.shmipc.Region;
import io.shmipc.RegionConfig;
import io.shmipc.RegionInspector;
import io.shmipc.RegionLocation;
import io.shmipc.toolkit.ChildProcess;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.concurrent.TimeUnit;

import static io.shmipc.tests.faults.FaultSupport.START_TIMEOUT;
import static io.shmipc.tests.faults.FaultSupport.STEP_TIMEOUT;
import static io.shmipc.tests.faults.FaultSupport.longField;
import static org.junit.jupiter.api.Assertions.*;

/**
 * A MANY_TO_ONE producer dies, or is stopped, in the middle of a claim: the subscriber must unblock the record
 * of a dead producer at once and never that of a live one.
 */
class DeadProducerTest
{
    private static final String CHANNEL = "c";
    private static final int STEADY_PRODUCER = 1;
    private static final int CLAIM_HOLDER = 100;
    private static final long UNBLOCK_DEADLINE_NS = TimeUnit.MILLISECONDS.toNanos(100);

    private final String name = FaultSupport.uniqueName("dead-producer");
    private final RegionLocation location = RegionLocation.shm(name);

    private Region region;

    @BeforeEach
    void createRegion()
    {
        region = Region.create(RegionConfig.builder(location).channel(CHANNEL, ChannelKind.MANY_TO_ONE, 1 << 20)
            .build());
    }

    @AfterEach
    void deleteRegion()
    {
        region.close();
        FaultSupport.deleteQuietly(location);
    }

    @Test
    @Timeout(value = 90, unit = TimeUnit.SECONDS)
    void producerKilledBetweenClaimAndCommitIsUnblockedWithin100Milliseconds()
    {
        try (ChildProcess consumer = ChildJvms.start(UnblockWatchingConsumerMain.class, name, CHANNEL);
            ChildProcess steady = ChildJvms.start(PacedProducerMain.class, name, CHANNEL, "" + STEADY_PRODUCER))
        {
            consumer.awaitLineStartingWith("SUBSCRIBED", START_TIMEOUT);
            steady.awaitLineStartingWith("COMMITTED " + STEADY_PRODUCER + " ", START_TIMEOUT);
            try (ChildProcess holder = ChildJvms.start(ClaimHolderMain.class, name, CHANNEL, "" + CLAIM_HOLDER))
            {
                holder.awaitLineStartingWith("CLAIMED", START_TIMEOUT);
                // The other producer keeps committing behind the held claim.
                final int committedBefore = countLines(steady, "COMMITTED ");
                steady.awaitLine(line -> line.startsWith("COMMITTED ") &&
                    countLines(steady, "COMMITTED ") > committedBefore, STEP_TIMEOUT);
                assertEquals(0, status(consumer, "unblocked"), "nothing unblocked while the holder lives");

                final long killSentNs = System.nanoTime();
                holder.kill();
                final long reapedNs = System.nanoTime();
                final String unblocked = consumer.awaitLineStartingWith("UNBLOCKED ", STEP_TIMEOUT);
                final long observedNs = longField(unblocked, "nanoTime");
                System.out.println("unblock observed " + (observedNs - reapedNs) / 1000 + " us after the reap, " +
                    (observedNs - killSentNs) / 1000 + " us after SIGKILL was sent");
                assertEquals(1, longField(unblocked, "count"), unblocked);
                assertTrue(observedNs - killSentNs > 0, "unblocked before the producer was killed: " + unblocked);
                assertTrue(observedNs - reapedNs < UNBLOCK_DEADLINE_NS, "unblocked " +
                    TimeUnit.NANOSECONDS.toMicros(observedNs - reapedNs) + " us after the killed producer was " +
                    "reaped; expected under 100 ms");
            }

            steady.send("STOP");
            final long committed = Long.parseLong(steady.awaitLineStartingWith("DONE ", STEP_TIMEOUT).split(" ")[2]);
            steady.awaitSuccess(STEP_TIMEOUT);
            assertTrue(committed > 1000, "the steady producer committed " + committed);
            consumer.send("EXPECT " + STEADY_PRODUCER + " " + committed);
            final String receivedLine = consumer.awaitLineStartingWith("RECEIVED ", STEP_TIMEOUT);
            assertEquals(committed, longField(receivedLine, "count"), receivedLine);
            assertEquals(0, longField(receivedLine, "outOfOrder"), receivedLine);
            assertEquals(1, longField(receivedLine, "unblocked"), "exactly one record unblocked: " + receivedLine);
            assertEquals(committed, status(consumer, "received"), "nothing from the killed producer arrived");
            assertFalse(consumer.lines().stream().anyMatch(line -> line.startsWith("GOT " + CLAIM_HOLDER)),
                consumer.output());
            consumer.send("EXIT");
            consumer.awaitSuccess(STEP_TIMEOUT);
        }
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void stoppedProducerHoldingClaimIsNotUnblockedAndCommitsAfterContinue() throws InterruptedException
    {
        try (ChildProcess consumer = ChildJvms.start(UnblockWatchingConsumerMain.class, name, CHANNEL);
            ChildProcess holder = ChildJvms.start(ClaimHolderMain.class, name, CHANNEL, "" + CLAIM_HOLDER))
        {
            consumer.awaitLineStartingWith("SUBSCRIBED", START_TIMEOUT);
            holder.awaitLineStartingWith("CLAIMED", START_TIMEOUT);

            FaultSupport.signal(holder.pid(), "STOP");
            try
            {
                final long pollsAtStop = status(consumer, "polls");
                // The scenario itself, not synchronisation: a stopped producer holds its claim for 3 s.
                Thread.sleep(3_000);
                final String during = statusLine(consumer);
                assertEquals(0, longField(during, "unblocked"), "a live (stopped) producer was unblocked: " + during);
                assertTrue(longField(during, "polls") - pollsAtStop >= 100, "the consumer kept polling: " + during);
                assertEquals(0, longField(during, "received"), during);
                assertEquals(1, longField(during, "publishers"), "the stopped producer is alive: " + during);
                assertRingHoldsUncommittedRecord();
            }
            finally
            {
                FaultSupport.signal(holder.pid(), "CONT");
            }

            holder.send("COMMIT");
            holder.awaitLineStartingWith("COMMITTED ", STEP_TIMEOUT);
            consumer.awaitLineStartingWith("GOT " + CLAIM_HOLDER + " 0", STEP_TIMEOUT);
            final String after = statusLine(consumer);
            assertEquals(0, longField(after, "unblocked"), after);
            assertEquals(1, longField(after, "received"), after);
            consumer.send("EXIT");
            consumer.awaitSuccess(STEP_TIMEOUT);
        }
    }

    private void assertRingHoldsUncommittedRecord()
    {
        try (RegionInspector inspector = RegionInspector.open(location))
        {
            final ChannelStatus status = inspector.channels().get(0);
            assertTrue(status.producerPosition() > status.consumerPosition(), "the claim is still in the ring: " +
                status);
            assertTrue(status.endpoints().stream().anyMatch(endpoint -> endpoint.role().equals("publisher") &&
                endpoint.alive() && endpoint.claimInProgress()), "a live publisher with a claim: " + status);
        }
    }

    private static long status(final ChildProcess consumer, final String key)
    {
        return longField(statusLine(consumer), key);
    }

    private static String statusLine(final ChildProcess consumer)
    {
        final int before = countLines(consumer, "STATUS ");
        consumer.send("STATUS");
        consumer.awaitLine(line -> line.startsWith("STATUS ") && countLines(consumer, "STATUS ") > before,
            STEP_TIMEOUT);
        final var statusLines = consumer.lines().stream().filter(line -> line.startsWith("STATUS ")).toList();
        return statusLines.get(statusLines.size() - 1);
    }

    private static int countLines(final ChildProcess process, final String prefix)
    {
        return (int)process.lines().stream().filter(line -> line.startsWith(prefix)).count();
    }
}
