package io.shmipc.examples.bench;

import io.shmipc.toolkit.SequencedMessage;
import io.shmipc.ChannelKind;
import org.HdrHistogram.Histogram;

import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Turns the result lines of a run's children into a checked {@link BenchResult}.
 */
final class Rows
{
    /** Key of the floor row, the reference of every latency row. */
    static final String FLOOR_KEY = "floor";
    /** Ends the key of a row whose producer and consumers back off to parking when blocked, instead of spinning. */
    static final String PARKED_SUFFIX = ":parked";
    /** Ends the name of such a row. */
    static final String PARKED_LABEL = ", parking when blocked";

    private Rows()
    {
    }

    static long value(final Map<String, String> result, final String key)
    {
        final String value = result.get(key);
        if (value == null)
        {
            throw new BenchException("a role's result lacks " + key + ": " + result.keySet());
        }
        return Long.parseLong(value);
    }

    static Histogram histogram(final Map<String, String> result, final String key)
    {
        final String value = result.get(key);
        if (value == null)
        {
            throw new BenchException("a role's result lacks " + key + ": " + result.keySet());
        }
        return HistogramCodec.decode(value);
    }

    /**
     * How rows name a channel kind.
     *
     * @param kind the kind.
     * @return e.g. {@code one-to-one}.
     */
    static String label(final ChannelKind kind)
    {
        return kind.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /**
     * The key of a throughput row, by which other rows name it as their reference.
     *
     * @param family    {@code rings}, {@code shm}, {@code uds}, {@code tcp}.
     * @param kind      the channel kind.
     * @param length    message length.
     * @param producers producers.
     * @param consumers consumers.
     * @return the key.
     */
    static String throughputKey(
        final String family, final ChannelKind kind, final int length, final int producers, final int consumers)
    {
        return family + ":" + kind + ":" + length + ":" + producers + "x" + consumers;
    }

    /**
     * A ping-pong row: the pinger sent, got back every echo in order, and the echoing side saw each ping.
     *
     * @param scenario the scenario.
     * @param name     the case.
     * @param key      the row key.
     * @param length   message length.
     * @param ping     the pinger's result.
     * @param pong     the echoing side's result.
     * @return the row.
     */
    static BenchResult roundTrip(
        final String scenario,
        final String name,
        final String key,
        final int length,
        final Map<String, String> ping,
        final Map<String, String> pong)
    {
        final long sent = value(ping, Keys.SENT);
        final long received = value(ping, Keys.RECEIVED);
        final long echoed = value(pong, Keys.RECEIVED);
        final long disordered = value(ping, Keys.DISORDERED);
        final BenchResult row = new BenchResult(scenario, name, BenchResult.Metric.ROUND_TRIP)
            .key(key)
            .referenceKey(FLOOR_KEY)
            .messageLength(length)
            .counts(sent, received, 0, disordered)
            .histogram(histogram(ping, Keys.HISTOGRAM))
            .check(sent > 0, "nothing was sent")
            .check(received == sent, "sent=" + sent + " but received=" + received)
            .check(echoed == sent, "sent=" + sent + " but the echoing side received " + echoed)
            .check(disordered == 0, "echoes out of order: " + disordered);
        CaseSlices.flagDrift(row, ping.get(Keys.SLICE_P50S), "round trip p50 (ns)");
        return row;
    }

    /**
     * A wake-up row: every message sent was received, its latency from publish to handler.
     *
     * @param scenario  the scenario.
     * @param name      the row name; its key is {@code scenario:name}.
     * @param sent      messages sent.
     * @param received  messages received.
     * @param histogram their latencies.
     * @return the row, compared with the floor.
     */
    static BenchResult wakeup(final String scenario, final String name, final long sent, final long received,
        final Histogram histogram)
    {
        return new BenchResult(scenario, name, BenchResult.Metric.WAKEUP)
            .key(scenario + ":" + name)
            .referenceKey(FLOOR_KEY)
            .messageLength(SequencedMessage.HEADER_LENGTH)
            .counts(sent, received, 0, 0)
            .histogram(histogram)
            .check(sent > 0, "nothing was sent")
            .check(received == sent, "sent=" + sent + " but received=" + received);
    }

    /**
     * A throughput row: every consumer received exactly what the producers sent, in order, with no loss (broadcast
     * runs are flow-controlled so no receiver is lapped, and the subscriber's own loss count must agree). For
     * broadcast, sent and received count deliveries: each message once per receiver.
     *
     * @param row       the row, named and keyed.
     * @param length    message length.
     * @param producers the producers' results.
     * @param consumers the consumers' results.
     * @param broadcast whether every consumer receives every message.
     * @return the row, filled and checked.
     */
    static BenchResult throughput(
        final BenchResult row,
        final int length,
        final List<Map<String, String>> producers,
        final List<Map<String, String>> consumers,
        final boolean broadcast)
    {
        long produced = 0;
        long backPressured = 0;
        long measuredSent = 0;
        long measuredSendNs = 0;
        for (final Map<String, String> producer : producers)
        {
            produced += value(producer, Keys.SENT);
            backPressured += value(producer, Keys.BACK_PRESSURED);
            measuredSent += value(producer, Keys.MEASURED_SENT);
            measuredSendNs = Math.max(measuredSendNs, value(producer, Keys.MEASURED_SEND_NS));
            CaseSlices.flagDrift(row, producer.get(Keys.SLICE_RATES), "send rate (messages/s)");
        }
        row.messageLength(length).producers(producers.size()).consumers(consumers.size());
        row.check(produced > 0, "nothing was sent");

        long received = 0;
        long lost = 0;
        long disordered = 0;
        double rateSum = 0;
        final Histogram latency = RoleContext.newHistogram();
        for (final Map<String, String> consumer : consumers)
        {
            final long consumerReceived = value(consumer, Keys.RECEIVED);
            final long consumerLost = value(consumer, Keys.LOST);
            final long announced = value(consumer, Keys.SENT);
            final long measured = value(consumer, Keys.MEASURED_RECEIVED);
            final long windowNs = value(consumer, Keys.MEASURED_RECEIVE_NS);
            received += consumerReceived;
            lost += consumerLost;
            disordered += value(consumer, Keys.DISORDERED);
            latency.add(histogram(consumer, Keys.HISTOGRAM));
            rateSum += windowNs > 0 ? measured * 1e9 / windowNs : 0;
            row.check(announced == produced, "producers sent " + produced + " but their end messages announced " +
                announced);
            row.check(measured > 0 && windowNs > 0, "no measured message arrived");
            row.check(consumerReceived == produced && consumerLost == 0, "sent=" + produced + " but a consumer " +
                "received=" + consumerReceived + " lost=" + consumerLost);
            if (consumer.containsKey(Keys.LIBRARY_LOST))
            {
                // The channel's sequence counts end messages too: skipped end copies are losses to the library.
                final long libraryLost = value(consumer, Keys.LIBRARY_LOST);
                final long expected = consumerLost + value(consumer, Keys.SKIPPED_ENDS);
                row.check(libraryLost == expected, "sequence gaps show " + expected +
                    " lost but the subscriber reports lostMessages()=" + libraryLost);
            }
        }
        row.check(disordered == 0, "messages out of order: " + disordered);
        final long sent = broadcast ? produced * consumers.size() : produced;
        row.counts(sent, received, lost, disordered)
            .histogram(latency)
            .messagesPerSecond(rateSum / consumers.size())
            .extra("backPressured", backPressured)
            .extra("producedPerSecond", measuredSendNs > 0 ? Math.round(measuredSent * 1e9 / measuredSendNs) : 0);
        return row;
    }
}
