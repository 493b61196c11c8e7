package io.shmipc.tests.channels;

import io.shmipc.toolkit.ChildProcess;
import io.shmipc.tests.support.StreamVerifier;
import io.shmipc.tests.support.Summary;

import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * What every lossless ring test asserts about a {@link RingConsumer} fed by {@link RingProducer}s: each source's
 * stream arrived complete, in order, once, with every CRC and length right, and with the same payload bytes and
 * digest the producer reports having sent.
 */
public final class RingStreamAssertions
{
    private RingStreamAssertions()
    {
    }

    /**
     * Wait for the run to finish and assert it.
     *
     * @param consumer  the consumer child.
     * @param producers the producer children, producer {@code i} sending source {@code i}.
     * @param count     messages per source.
     * @param timeout   longest wait for the consumer's summary.
     */
    public static void assertDelivered(
        final ChildProcess consumer, final List<ChildProcess> producers, final long count, final Duration timeout)
    {
        final Summary summary = Summary.parse(consumer.awaitLineStartingWith("SUMMARY ", timeout));
        summary.assertValue("sources", producers.size())
            .assertValue("received", count * producers.size())
            .assertValue("foreign", 0);
        for (int source = 0; source < producers.size(); source++)
        {
            final Summary sent = Summary.parse(
                producers.get(source).awaitLineStartingWith("SENT ", Duration.ofSeconds(10)));
            sent.assertValue("count", count);
            final int expectedSource = source;
            final Summary received = Summary.parse(consumer.awaitLine(
                line -> line.startsWith("RECEIVED source=" + expectedSource + " "), Duration.ofSeconds(1)));
            received.assertValue("expected", count)
                .assertValue("unique", count)
                .assertValue("backwards", 0)
                .assertValue("endMarkers", 1);
            StreamVerifier.assertComplete(received, count, sent);
            System.out.println(sent.line());
            System.out.println(received.line());
            assertEquals(0, producers.get(source).awaitExit(Duration.ofSeconds(10)),
                () -> "producer exit status; output:\n" + producers.get(expectedSource).output());
        }
        consumer.awaitSuccess(Duration.ofSeconds(10));
        System.out.println(summary.line());
    }
}
