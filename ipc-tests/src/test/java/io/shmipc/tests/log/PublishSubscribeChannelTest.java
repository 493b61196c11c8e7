package io.shmipc.tests.log;

import io.shmipc.Region;
import io.shmipc.RegionLocation;
import io.shmipc.toolkit.ChildProcess;
import io.shmipc.tests.support.RegionDumpOnFailure;
import io.shmipc.tests.support.StreamVerifier;
import io.shmipc.tests.support.Summary;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.List;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A {@link ChannelKind#PUBLISH_SUBSCRIBE} channel between separate JVMs: every tethered subscriber receives every
 * message, in order and intact, and an untethered subscriber made slow never holds the publisher and counts exactly
 * what it skipped.
 */
class PublishSubscribeChannelTest
{
    @RegisterExtension
    final RegionDumpOnFailure dump = new RegionDumpOnFailure();

    private final RegionLocation location = dump.watch(RegionLocation.shm("shmipc-test-" + UUID.randomUUID()));
    private final LogChildren children = new LogChildren(location);

    @AfterEach
    void tearDown()
    {
        children.close();
        Region.delete(location);
    }

    private void createRegion(final int capacity)
    {
        children.createRegion(capacity);
    }

    private ChildProcess listener(final int id, final long count, final String... options)
    {
        return children.listener(id, count, options);
    }

    private ChildProcess sender(final long count, final String... options)
    {
        return children.sender(count, options);
    }

    @Test
    @Timeout(240)
    void threeSubscriberProcessesEachReceiveTwoMillionMessagesInOrderAndIntact()
    {
        final long count = 2_000_000;
        createRegion(1 << 20);
        final List<ChildProcess> listeners = List.of(listener(0, count), listener(1, count), listener(2, count));
        for (final ChildProcess listener : listeners)
        {
            listener.awaitLineStartingWith("READY", Duration.ofSeconds(30));
        }
        final ChildProcess sender = sender(count);
        sender.awaitLineStartingWith("READY", Duration.ofSeconds(30));
        sender.send("GO");
        final Summary sent = Summary.parse(sender.awaitLineStartingWith("SENT ", Duration.ofSeconds(200)));
        System.out.println(sent.line());
        for (final ChildProcess listener : listeners)
        {
            final Summary result = Summary.parse(listener.awaitLineStartingWith("RESULT ", Duration.ofSeconds(30)));
            System.out.println(result.line());
            assertEverything(result, count, sent);
        }
        for (final ChildProcess child : children.all())
        {
            child.awaitSuccess(Duration.ofSeconds(10));
        }
    }

    @Test
    @Timeout(120)
    void aSlowUntetheredSubscriberNeverHoldsThePublisherAndItsSkipsEqualTheGapsItSaw()
    {
        final long count = 200_000;
        createRegion(256 * 1024);
        final ChildProcess keeper = listener(0, count);
        final ChildProcess slow = listener(1, count, "mode=untethered", "window=65536", "pauseEvery=50",
            "pauseMicros=1000");
        keeper.awaitLineStartingWith("READY", Duration.ofSeconds(30));
        slow.awaitLineStartingWith("READY", Duration.ofSeconds(30));
        final ChildProcess sender = sender(count, "endMarkers=true");
        sender.awaitLineStartingWith("READY", Duration.ofSeconds(30));
        sender.send("GO");
        final Summary sent = Summary.parse(sender.awaitLineStartingWith("SENT ", Duration.ofSeconds(60)));
        assertEverything(Summary.parse(keeper.awaitLineStartingWith("RESULT ", Duration.ofSeconds(30))), count,
            sent);
        final Summary skipper = Summary.parse(slow.awaitLineStartingWith("RESULT ", Duration.ofSeconds(60)));
        sender.send("STOP");
        System.out.println(skipper.line());
        skipper.assertValue("duplicates", 0).assertValue("backwards", 0).assertValue("crcErrors", 0)
            .assertValue("lengthErrors", 0).assertValue("invalid", 0).assertText("tethered", "false");
        final long lost = skipper.number("lost");
        assertTrue(lost > 0, () -> "the slow subscriber never fell behind its window: " + skipper);
        final long endOrdinal = Math.max(0, skipper.number("endOrdinal"));
        final long trailing = count - 1 - skipper.number("last");
        assertEquals(skipper.number("gaps") + trailing + endOrdinal, lost,
            () -> "skipped != the gaps in the sequence it saw (+ what it skipped at the end): " + skipper);
        // The gaps count from sequence 0, so they include what was skipped before the first message it saw.
        assertEquals(count, skipper.number("received") + skipper.number("gaps") + trailing,
            () -> "received + gaps + trailing skips != sent: " + skipper);
        for (final ChildProcess child : children.all())
        {
            child.awaitSuccess(Duration.ofSeconds(10));
        }
    }

    static void assertEverything(final Summary result, final long count, final Summary sent)
    {
        result.assertValue("lost", 0);
        StreamVerifier.assertComplete(result, count, sent);
    }
}
