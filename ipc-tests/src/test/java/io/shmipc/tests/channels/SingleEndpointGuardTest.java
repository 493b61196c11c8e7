package io.shmipc.tests.channels;

import io.shmipc.ChannelKind;
import io.shmipc.Region;
import io.shmipc.RegionConfig;
import io.shmipc.exceptions.ChannelInUseException;
import io.shmipc.tests.support.ChildArguments;
import io.shmipc.toolkit.ChildProcess;
import io.shmipc.tests.support.Summary;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The single-publisher and single-subscriber guard of a {@link ChannelKind#ONE_TO_ONE} channel across processes:
 * while one JVM holds a role, another JVM (and this one) asking for it gets {@link ChannelInUseException}; once
 * the holder is killed with {@code SIGKILL} (no chance to clean up), the kernel drops its OFD locks and the role
 * is granted again, to a publisher that then works with the surviving subscriber. Without the guard the second
 * publisher would be accepted and the first {@code REFUSED} assertion fails.
 */
class SingleEndpointGuardTest extends ChannelTestBase
{
    private static final Duration LINE_TIMEOUT = Duration.ofSeconds(30);

    @Test
    @Timeout(60)
    void secondPublisherAndSubscriberRefusedUntilHolderIsKilled()
    {
        try (Region region = Region.create(RegionConfig.builder(location())
            .channel("c", ChannelKind.ONE_TO_ONE, 64 * 1024).build()))
        {
            final ChildProcess firstPublisher = holder("publisher");
            assertOutcome(firstPublisher, "HOLDING");
            assertOutcome(holder("publisher"), "REFUSED");
            assertThrows(ChannelInUseException.class, () -> region.publisher("c"));

            final ChildProcess subscriber = holder("subscriber");
            assertOutcome(subscriber, "HOLDING");
            assertOutcome(holder("subscriber"), "REFUSED");
            assertThrows(ChannelInUseException.class, () -> region.subscriber("c"));

            firstPublisher.send("STATUS s1");
            Summary.parse(firstPublisher.awaitLineStartingWith("STATUS s1 ", LINE_TIMEOUT))
                .assertText("subscriberAlive", "true");

            firstPublisher.kill();
            assertFalse(firstPublisher.isAlive());
            final ChildProcess nextPublisher = holder("publisher");
            assertOutcome(nextPublisher, "HOLDING");

            nextPublisher.send("SEND m1 100");
            nextPublisher.awaitLineStartingWith("SENT m1 ", LINE_TIMEOUT);
            subscriber.send("RECEIVE m1 100");
            Summary.parse(subscriber.awaitLineStartingWith("RECEIVED m1 ", LINE_TIMEOUT))
                .assertValue("count", 100).assertValue("first", 0).assertValue("last", 99);
            subscriber.send("STATUS s2");
            Summary.parse(subscriber.awaitLineStartingWith("STATUS s2 ", LINE_TIMEOUT))
                .assertValue("publisherCount", 1);

            subscriber.kill();
            nextPublisher.send("STATUS s3");
            Summary.parse(nextPublisher.awaitLineStartingWith("STATUS s3 ", LINE_TIMEOUT))
                .assertText("subscriberAlive", "false");
            assertOutcome(holder("subscriber"), "HOLDING");

            nextPublisher.send("EXIT");
            nextPublisher.awaitSuccess(LINE_TIMEOUT);
            region.publisher("c").close();
        }
    }

    private ChildProcess holder(final String role)
    {
        return children.start(EndpointHolder.class, "region=" + ChildArguments.format(location()), "channel=c",
            "role=" + role);
    }

    private static void assertOutcome(final ChildProcess holder, final String expected)
    {
        final String line = holder.awaitLine(text -> text.startsWith("HOLDING ") || text.startsWith("REFUSED "),
            LINE_TIMEOUT);
        assertTrue(line.startsWith(expected + " "), () -> "expected " + expected + ", got: " + holder.output());
        if ("REFUSED".equals(expected))
        {
            assertEquals("ChannelInUseException", Summary.parse(line).text("class"), line);
            holder.awaitSuccess(LINE_TIMEOUT);
        }
    }
}
