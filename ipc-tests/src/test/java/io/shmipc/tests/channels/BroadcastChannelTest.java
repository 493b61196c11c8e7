package io.shmipc.tests.channels;

import io.shmipc.ChannelKind;
import io.shmipc.Region;
import io.shmipc.RegionConfig;
import io.shmipc.toolkit.ChildProcess;
import io.shmipc.toolkit.SequencedMessage;
import io.shmipc.tests.support.Summary;
import org.agrona.BitUtil;
import org.agrona.concurrent.broadcast.RecordDescriptor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A {@link ChannelKind#BROADCAST} channel with one transmitter JVM and three receiver JVMs, all attached before
 * the first message is sent.
 * <p>
 * Receivers 0 and 1 keep up, and are made certain to: the {@link BroadcastSender} paces itself on the progress
 * they report over a separate {@code MANY_TO_ONE} channel, never running more than {@value #WINDOW} messages
 * (at most a quarter of the buffer) ahead of the slower of them, so no scheduling delay can get them lapped.
 * They must receive every message, intact, and report no loss. Receiver 2 is not paced and stops for
 * {@value #PAUSE_MICROS} µs inside its handler every {@value #PAUSE_EVERY} messages, so it is lapped: what it
 * receives must still be intact and strictly increasing, its {@code lostMessages()} must equal the sequence gaps
 * it saw, and received plus lost must equal sent exactly.
 */
class BroadcastChannelTest extends ChannelTestBase
{
    private static final long MESSAGES = 300_000;
    private static final int CAPACITY = 2 << 20;
    private static final int MAX_PAYLOAD = 200;
    private static final long WINDOW = 2048;
    private static final int PAUSE_EVERY = 100;
    private static final int PAUSE_MICROS = 1000;

    @Test
    @Timeout(60)
    void keepUpReceiversSeeEverythingAndLappedReceiverCountsExactlyWhatItLost()
    {
        final long maxRecord = BitUtil.align(RecordDescriptor.HEADER_LENGTH + SequencedMessage.HEADER_LENGTH +
            MAX_PAYLOAD, RecordDescriptor.RECORD_ALIGNMENT);
        assertTrue(WINDOW * maxRecord <= CAPACITY / 4, "the pacing window must stay far inside the buffer");
        Region.create(RegionConfig.builder(location())
            .channel("b", ChannelKind.BROADCAST, CAPACITY)
            .channel("progress", ChannelKind.MANY_TO_ONE, 64 * 1024)
            .build()).close();

        final String region = regionArgument();
        final String common = "count=" + MESSAGES;
        final ChildProcess keepUp0 = children.start(BroadcastListener.class, region, "channel=b", "id=0", common,
            "progressChannel=progress", "maxPayload=" + MAX_PAYLOAD);
        final ChildProcess keepUp1 = children.start(BroadcastListener.class, region, "channel=b", "id=1", common,
            "progressChannel=progress", "maxPayload=" + MAX_PAYLOAD);
        final ChildProcess slow = children.start(BroadcastListener.class, region, "channel=b", "id=2", common,
            "pauseEvery=" + PAUSE_EVERY, "pauseMicros=" + PAUSE_MICROS, "maxPayload=" + MAX_PAYLOAD);
        final ChildProcess sender = children.start(BroadcastSender.class, region, "channel=b",
            "progressChannel=progress", common, "seed=" + System.nanoTime(), "pacedReceivers=2",
            "window=" + WINDOW, "maxPayload=" + MAX_PAYLOAD);
        for (final ChildProcess child : children.all())
        {
            child.awaitLineStartingWith("READY", Duration.ofSeconds(30));
        }
        sender.send("GO");

        final Summary sent = Summary.parse(sender.awaitLineStartingWith("SENT ", Duration.ofSeconds(40)));
        sent.assertValue("count", MESSAGES);
        System.out.println(sent.line());
        for (final ChildProcess keepUp : new ChildProcess[]{keepUp0, keepUp1})
        {
            final Summary result = Summary.parse(keepUp.awaitLineStartingWith("RESULT ", Duration.ofSeconds(20)));
            System.out.println(result.line());
            assertIntactAndIncreasing(result);
            result.assertValue("lost", 0)
                .assertValue("received", MESSAGES)
                .assertValue("missing", 0)
                .assertValue("gaps", 0)
                .assertValue("outOfOrder", 0)
                .assertValue("first", 0)
                .assertValue("bytes", sent.number("bytes"))
                .assertValue("digest", sent.number("digest"));
        }
        final Summary lapped = Summary.parse(slow.awaitLineStartingWith("RESULT ", Duration.ofSeconds(30)));
        System.out.println(lapped.line());
        assertIntactAndIncreasing(lapped);
        final long lost = lapped.number("lost");
        assertTrue(lost > 0, () -> "the slow receiver was never lapped: " + lapped);
        assertEquals(MESSAGES, lapped.number("received") + lost, () -> "received + lost != sent: " + lapped);
        lapped.assertValue("gaps", lost);
        for (final ChildProcess child : children.all())
        {
            child.awaitSuccess(Duration.ofSeconds(10));
        }
    }

    private static void assertIntactAndIncreasing(final Summary result)
    {
        result.assertValue("duplicates", 0)
            .assertValue("backwards", 0)
            .assertValue("crcErrors", 0)
            .assertValue("lengthErrors", 0)
            .assertValue("invalid", 0)
            .assertValue("last", MESSAGES - 1);
    }
}
