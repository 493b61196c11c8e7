package io.shmipc.examples.cli;

import io.shmipc.SubscriptionStatus;
import io.shmipc.examples.support.RegionSupport;
import io.shmipc.toolkit.Json;

import java.util.Locale;

/**
 * How {@code stat} shows a {@code PUBLISH_SUBSCRIBE} subscriber's subscription: its flow control (tethered,
 * untethered, demoted, joining), its position, how far behind the publisher it is and what it skipped; with
 * {@code --wide} also what it delivered and its lag window or demotion time.
 */
final class SubscriptionText
{
    private SubscriptionText()
    {
    }

    /**
     * The row of the narrow table: {@code untethered at 4,704,000  behind 1,960 (94 KiB)  skipped 3,011}.
     *
     * @param subscription the subscription.
     * @return the text.
     */
    static String brief(final SubscriptionStatus subscription)
    {
        return String.format(Locale.ROOT, "%s at %,d  behind %s (%s)  skipped %,d", subscription.state(),
            subscription.position(), subscription.lagMessages() < 0 ? "?" :
            String.format(Locale.ROOT, "%,d", subscription.lagMessages()),
            RegionSupport.bytes(subscription.lagBytes()), subscription.skippedMessages());
    }

    /**
     * The details of {@code --wide}: the row's text, what it delivered, and its window or demotion time.
     *
     * @param subscription the subscription.
     * @return the text.
     */
    static String full(final SubscriptionStatus subscription)
    {
        return brief(subscription) + String.format(Locale.ROOT, "  delivered %,d", subscription.deliveredMessages()) +
            (subscription.lagWindow() > 0 ? "  window " + RegionSupport.bytes(subscription.lagWindow()) :
            subscription.demoteAfterMs() > 0 ? "  demote after " + subscription.demoteAfterMs() + "ms" : "");
    }

    /**
     * The {@code subscription} object of {@code --json}.
     *
     * @param subscription the subscription, or null for any other endpoint.
     * @return JSON text, {@code null} for any other endpoint.
     */
    static String json(final SubscriptionStatus subscription)
    {
        if (subscription == null)
        {
            return "null";
        }
        return new Json()
            .field("state", subscription.state())
            .field("tethered", subscription.tethered())
            .field("position", subscription.position())
            .field("lagBytes", subscription.lagBytes())
            .field("lagMessages", subscription.lagMessages())
            .field("skippedMessages", subscription.skippedMessages())
            .field("deliveredMessages", subscription.deliveredMessages())
            .field("lagWindow", subscription.lagWindow())
            .field("demoteAfterMs", subscription.demoteAfterMs())
            .toString();
    }
}
