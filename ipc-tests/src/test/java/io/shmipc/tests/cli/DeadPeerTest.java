package io.shmipc.tests.cli;

import io.shmipc.toolkit.ChildProcess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Processes whose peer dies or deletes the region under them, every one a real {@code ./shm-ipc} process signalled
 * by pid: producers stop at once with exit 4 and say what never reached anyone; the matcher counts clients that die.
 */
@Timeout(300)
class DeadPeerTest extends CliTestBase
{
    /** Far longer than any wait below: only noticing the dead peer can end these processes in time. */
    private static final String LONG_TIMEOUT = "5m";
    private static final Duration AT_ONCE = Duration.ofSeconds(20);

    @TempDir
    Path directory;

    @Test
    void ctrlCOnTheLogWriterStopsBothShippersWithWhatNeverReachedIt()
    {
        final String region = uniqueRegion("logs-int");
        final ChildProcess writer = launch("log-writer", "--region", region, "--shippers", "2", "--output",
            directory.resolve("all.log").toString());
        awaitError(writer, "writing the lines of 'logs'");
        final List<ChildProcess> shippers = List.of(
            launch("log-shipper", "--region", region, "--source", "web-1", "--count", "1000000", "--rate", "200",
                "--timeout", LONG_TIMEOUT),
            launch("log-shipper", "--region", region, "--source", "web-2", "--count", "1000000", "--rate", "200",
                "--timeout", LONG_TIMEOUT));
        for (final ChildProcess shipper : shippers)
        {
            awaitOutput(shipper, "shipping 1,000,000 generated lines");
        }
        awaitError(writer, "shipper web-2");
        awaitError(writer, "shipper web-1");
        writer.signal("INT");

        assertEquals(130, writer.awaitExit(RUN), writer::output);
        assertEquals("interrupted", doneLine(writer).get("stop"));
        assertTrue(writer.errors().contains("unlinked region shm:" + region), writer.errors());
        for (final ChildProcess shipper : shippers)
        {
            assertEquals(4, shipper.awaitExit(AT_ONCE), shipper::output);
            final Map<String, String> done = doneLine(shipper);
            assertEquals("peer-gone", done.get("stop"), done::toString);
            assertTrue(number(done, "shipped") < 1_000_000, done::toString);
            assertTrue(shipper.errors().contains("shm-ipc log-shipper: error: region shm:" + region + " was deleted " +
                "while in use (by its log writer as it exited, or by shm-ipc rm --force): "), shipper.errors());
            assertTrue(shipper.errors().contains("nothing published from now on can be read"), shipper.errors());
        }
        assertFalse(shmExists(region), "region left behind");
    }

    @Test
    void aClientStoppedByCtrlCLogsOffAndAKilledOneIsNoticedSoTheMatcherFinishes()
    {
        final String region = uniqueRegion("orders-end");
        final ChildProcess matcher = launch("order-matcher", "--region", region, "--clients", "3", "--timeout",
            LONG_TIMEOUT);
        awaitOutput(matcher, "matching orders of service 'orders'");
        final ChildProcess interrupted = launch("order-client", "--region", region, "--count", "1000000000");
        final ChildProcess killed = launch("order-client", "--region", region, "--count", "1000000000");
        final ChildProcess finishing = launch("order-client", "--region", region, "--count", "200");
        awaitOutput(interrupted, "of service 'orders'");
        awaitOutput(killed, "of service 'orders'");
        awaitOutput(matcher, "client pid " + interrupted.pid() + " connected");
        awaitOutput(matcher, "client pid " + killed.pid() + " connected");
        interrupted.signal("INT");
        killed.signal("KILL");

        assertEquals(130, interrupted.awaitExit(RUN), interrupted::output);
        assertEquals("interrupted", doneLine(interrupted).get("stop"));
        assertEquals(137, killed.awaitExit(RUN));
        assertEquals(0, finishing.awaitExit(RUN), finishing::output);
        assertEquals(0, matcher.awaitExit(RUN), matcher::output);
        final Map<String, String> done = doneLine(matcher);
        assertEquals("clients-done", done.get("stop"), done::toString);
        assertEquals(2, number(done, "logged-off"), done::toString);
        assertEquals(1, number(done, "gone"), done::toString);
        assertTrue(matcher.output().contains("client pid " + killed.pid() + " (service client "), matcher.output());
        assertTrue(matcher.output().contains("has gone without logging off"), matcher.output());
        assertFalse(shmExists(region), "region left behind");
    }

    @Test
    void ctrlCOnTheMatcherEndsItsClientAtOnce()
    {
        final String region = uniqueRegion("matcher-int");
        final ChildProcess matcher = launch("order-matcher", "--region", region);
        awaitOutput(matcher, "matching orders of service 'orders'");
        final ChildProcess client = launch("order-client", "--region", region, "--count", "1000000000", "--timeout",
            LONG_TIMEOUT);
        awaitOutput(matcher, "client pid " + client.pid() + " connected");
        matcher.signal("INT");

        assertEquals(130, matcher.awaitExit(RUN), matcher::output);
        assertEquals(4, client.awaitExit(AT_ONCE), client::output);
        assertEquals("peer-gone", doneLine(client).get("stop"));
        assertTrue(client.errors().contains("shm-ipc order-client: error: region shm:" + region +
            " was deleted while in use (by its matcher as it exited, or by shm-ipc rm --force)"), client.errors());
        assertFalse(shmExists(region), "region left behind");
    }

    @Test
    void aSubscriberWhoseFeedIsKilledExitsFourWithoutClaimingAPublishedCount()
    {
        final String region = uniqueRegion("feed");
        final ChildProcess subscriber = launch("market-subscriber", "--region", region, "--timeout", LONG_TIMEOUT);
        awaitOutput(subscriber, "waiting for quotes");
        final ChildProcess feed = launch("market-feed", "--region", region, "--rate", "20000");
        awaitPublished(region, "quotes", 1_000);
        feed.signal("KILL");

        assertEquals(4, subscriber.awaitExit(AT_ONCE), subscriber::output);
        final Map<String, String> done = doneLine(subscriber);
        assertEquals("peer-gone", done.get("stop"), done::toString);
        assertTrue(number(done, "received") > 0, done::toString);
        assertFalse(done.containsKey("published"), () -> "only the feed's END says how many: " + done);
    }

    @Test
    void aKilledMatcherOrReceiverEndsItsProducersAtOnceAndTheMessagesWaitForTheNext()
    {
        final String region = uniqueRegion("killed");
        final ChildProcess receive = launch("receive", "--region", region, "--quiet");
        awaitError(receive, "receiving on channel 'messages'");
        final ChildProcess send = launch("send", "--region", region, "--count", "1000000000", "--timeout",
            LONG_TIMEOUT);
        awaitPublished(region, "messages", 1_000);
        receive.signal("STOP"); // so that messages surely wait when it dies: a receiver keeping up may leave none,
        awaitWaiting(region, "messages", 1); // and the sender then rightly removes the region as it leaves
        receive.signal("KILL");

        assertEquals(4, send.awaitExit(AT_ONCE), send::output);
        assertEquals("peer-gone", doneLine(send).get("stop"));
        assertTrue(send.errors().contains("shm-ipc send: error: the receiver of channel 'messages' has gone: "),
            send.errors());
        assertTrue(send.errors().contains("start one with: shm-ipc receive --region " + region + " --channel messages"),
            send.errors());
        assertTrue(send.errors().contains("for a subscriber; remove it with: shm-ipc rm "), send.errors());
        assertTrue(shmExists(region), "a receiver killed with SIGKILL unlinks nothing");
    }

    /**
     * A region truncated under a running sender and receiver ends both with exit 1, each after its {@code done:}
     * line ({@code stop=failed}), then the error naming the file's size. A library error in the loop used to skip the
     * line, and the receiver's decision whether to remove the region, which reads it, failed before the line.
     */
    @Test
    void aRegionTruncatedUnderSendAndReceiveEndsBothWithTheirDoneLineThenTheError() throws Exception
    {
        final String region = uniqueRegion("truncated");
        // ONE_TO_ONE, and truncated once millions of messages have passed: an interpreted compare-and-set on the
        // mapping, a MANY_TO_ONE claim's in a publisher's first few thousand, would crash the JVM (guarantees.md).
        final ChildProcess receive = launch("receive", "--region", region, "--kind", "ONE_TO_ONE", "--quiet");
        awaitError(receive, "receiving on channel 'messages'");
        final ChildProcess send = launch("send", "--region", region, "--kind", "ONE_TO_ONE", "--count", "1000000000",
            "--timeout", LONG_TIMEOUT);
        awaitPublished(region, "messages", 2_000_000);
        try (java.nio.channels.FileChannel file = java.nio.channels.FileChannel.open(Path.of("/dev/shm", region),
            java.nio.file.StandardOpenOption.WRITE))
        {
            file.truncate(4096);
        }
        for (final ChildProcess child : List.of(receive, send))
        {
            assertEquals(1, child.awaitExit(RUN), child::output);
            assertEquals("failed", doneLine(child).get("stop"), child::errors);
            assertTrue(child.errors().contains("field=file.size"), child::errors);
        }
    }
}
