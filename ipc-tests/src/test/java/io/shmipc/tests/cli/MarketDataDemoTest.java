package io.shmipc.tests.cli;

import io.shmipc.toolkit.ChildProcess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The market-data demo: one feed process broadcasts to a normal and a {@code --slow} subscriber process. Each
 * accounts for every quote (received or lost); the slow one is lapped and reports its losses.
 */
@Timeout(180)
class MarketDataDemoTest extends CliTestBase
{
    private static final int QUOTES = 20_000;

    @Test
    void feedFansOutToSubscribersAndTheSlowOneReportsWhatItLost()
    {
        final String region = uniqueRegion("market");
        // A small buffer (about 1,000 quotes) so the slow subscriber is lapped quickly and drains quickly.
        final ChildProcess fast = shmIpc("market-subscriber", "--region", region, "--capacity", "64k",
            "--timeout", "60s");
        final ChildProcess slow = shmIpc("market-subscriber", "--region", region, "--capacity", "64k", "--slow",
            "--timeout", "60s");
        fast.awaitLine(line -> line.contains("subscribed to 'quotes' (BROADCAST)"), STARTUP);
        slow.awaitLine(line -> line.contains("subscribed to 'quotes' (BROADCAST), slow"), STARTUP);
        final ChildProcess feed = shmIpc("market-feed", "--region", region, "--capacity", "64k", "--count",
            Integer.toString(QUOTES), "--rate", "20000");

        final Map<String, String> published = result(feed);
        assertExit(feed, 0);
        assertEquals(QUOTES, number(published, "published"));

        final Map<String, String> fastResult = result(fast);
        final Map<String, String> slowResult = result(slow);
        assertExit(fast, 0);
        assertExit(slow, 0);
        for (final Map<String, String> result : List.of(fastResult, slowResult))
        {
            assertEquals("end", result.get("stop"), result::toString);
            assertEquals(QUOTES, number(result, "published"), result::toString);
            assertEquals(QUOTES, number(result, "received") + number(result, "lost"), result::toString);
            assertEquals(0, number(result, "stale"), result::toString);
        }
        assertTrue(number(fastResult, "received") > 0, fastResult::toString);
        assertTrue(number(slowResult, "lost") > 0, slowResult::toString);
        assertTrue(slow.output().contains("end: received " + String.format("%,d", number(slowResult, "received")) +
            " quotes, lost " + String.format("%,d", number(slowResult, "lost"))), slow.output());
        assertTrue(fast.output().contains("quote 0: "), fast.output());
    }

    @Test
    void aLosslessFeedDeliversEveryQuoteToEverySubscriberEvenTheSlowOne()
    {
        final int quotes = 5_000;
        final String region = uniqueRegion("market-lossless");
        final ChildProcess fast = shmIpc("market-subscriber", "--region", region, "--capacity", "64k",
            "--lossless", "--timeout", "60s");
        final ChildProcess slow = shmIpc("market-subscriber", "--region", region, "--capacity", "64k", "--slow",
            "--lossless", "--timeout", "60s");
        fast.awaitLine(line -> line.contains("subscribed to 'quotes' (PUBLISH_SUBSCRIBE)"), STARTUP);
        slow.awaitLine(line -> line.contains("subscribed to 'quotes' (PUBLISH_SUBSCRIBE), slow"), STARTUP);
        final ChildProcess feed = shmIpc("market-feed", "--region", region, "--capacity", "64k", "--lossless",
            "--count", Integer.toString(quotes), "--rate", "0");

        final Map<String, String> published = result(feed);
        assertExit(feed, 0);
        assertEquals(quotes, number(published, "published"));
        assertTrue(number(published, "waited") > 0, () -> "the slow subscriber held the feed back: " + published);
        for (final ChildProcess subscriber : List.of(fast, slow))
        {
            final Map<String, String> result = result(subscriber);
            assertExit(subscriber, 0);
            assertEquals("end", result.get("stop"), result::toString);
            assertEquals(quotes, number(result, "received"), result::toString);
            assertEquals(0, number(result, "lost"), result::toString);
        }
    }
    /**
     * Ctrl-C on a lossless feed held back by a slow subscriber: the quote it was waiting to publish is not counted,
     * and the END still follows every quote published, so the subscriber ends with all of them.
     */
    @Test
    void aLosslessFeedStoppedByCtrlCWhileHeldBackStillEndsWithEveryQuoteDelivered()
    {
        final String region = uniqueRegion("market-lossless-int");
        final ChildProcess slow = shmIpc("market-subscriber", "--region", region, "--capacity", "64k", "--slow",
            "--lossless", "--timeout", "60s");
        slow.awaitLine(line -> line.contains("subscribed to 'quotes' (PUBLISH_SUBSCRIBE), slow"), STARTUP);
        final ChildProcess feed = shmIpc("market-feed", "--region", region, "--capacity", "64k", "--lossless",
            "--rate", "0");
        feed.awaitLine(line -> line.contains("] published "), STARTUP); // a second on, held back ever since
        feed.signal("INT");

        final Map<String, String> published = result(feed);
        assertExit(feed, 130);
        assertTrue(feed.output().contains("sent END after "), feed.output());
        final Map<String, String> result = result(slow);
        assertExit(slow, 0);
        assertEquals("end", result.get("stop"), result::toString);
        assertEquals(number(published, "published"), number(result, "published"), result::toString);
        assertEquals(number(published, "published"), number(result, "received"), result::toString);
        assertEquals(0, number(result, "lost"), result::toString);
    }
}
