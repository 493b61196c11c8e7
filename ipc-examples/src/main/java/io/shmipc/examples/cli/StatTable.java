package io.shmipc.examples.cli;

import io.shmipc.ChannelCounts;
import io.shmipc.ChannelKind;
import io.shmipc.ChannelSpec;
import io.shmipc.ChannelStatus;
import io.shmipc.EndpointStatus;
import io.shmipc.RegionInspector;
import io.shmipc.examples.support.RegionSupport;
import io.shmipc.toolkit.Json;

import java.io.PrintStream;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One refresh of {@code stat}: a line per channel within 120 columns (more columns and every endpoint with
 * {@code --wide}), a row per broadcast receiver, then the counters of the region's bridges ({@link BridgeStatus}),
 * or one JSON object with the same. Rates are taken between two refreshes from the
 * region's counters.
 */
final class StatTable
{
    private static final String NARROW = "%-14s %-17s %8s %6s %9s %9s %8s %12s %12s %8s %3s %3s%n";
    private static final String WIDE = "%-24s %-17s %8s %6s %9s %9s %8s %12s %12s %8s %3s %3s %14s %14s %9s %9s %7s%n";
    private static final String ENDPOINT = "    %-10s slot %-2d pid %-7d %-24s %-5s heartbeat %-7s%s%n";

    private final ProcessNames names = new ProcessNames();
    private final Map<String, ChannelCounts> previous = new HashMap<>();
    private long previousNs;
    private boolean wide;

    StatTable wide(final boolean value)
    {
        this.wide = value;
        return this;
    }

    /**
     * Forget the counts of the last refresh (the region was replaced): the next rates start afresh.
     */
    void reset()
    {
        previous.clear();
        previousNs = 0;
    }

    void print(final PrintStream out, final RegionInspector inspector, final List<ChannelStatus> channels)
    {
        final long nowNs = System.nanoTime();
        final double seconds = previousNs == 0 ? 0 : (nowNs - previousNs) / 1e9;
        out.printf(Locale.ROOT, "%s  region %s  %s  %s%s%n", Instant.now().truncatedTo(ChronoUnit.MILLIS),
            inspector.location(), RegionSupport.bytes(inspector.length()),
            inspector.liveness().name().toLowerCase(Locale.ROOT), wide ? String.format(Locale.ROOT,
            "  layout %d.%d  created %s by pid %d", inspector.majorVersion(), inspector.minorVersion(),
            Instant.ofEpochMilli(inspector.creationTimeMs()).truncatedTo(ChronoUnit.SECONDS), inspector.creatorPid()) :
            "");
        final List<Object> header = new ArrayList<>(List.of("CHANNEL", "KIND", "CAPACITY", "FILL", "WAITING",
            "MSGS/S", "MB/S", "PUBLISHED", "CONSUMED", "LOST", "PUB", "SUB"));
        if (wide)
        {
            header.addAll(List.of("PRODUCER POS", "CONSUMER POS", "BACKPRESS", "UNBLOCKED", "MISSED"));
        }
        out.printf(Locale.ROOT, wide ? WIDE : NARROW, header.toArray());
        final long nowMs = System.currentTimeMillis();
        for (final ChannelStatus channel : channels)
        {
            out.printf(Locale.ROOT, wide ? WIDE : NARROW, row(channel, seconds).toArray());
            if (channel.damage() != null)
            {
                out.printf(Locale.ROOT, "    damaged: its positions cannot be right (%s); every endpoint refuses " +
                    "the channel%n", channel.damage());
            }
            for (final EndpointStatus endpoint : channel.endpoints())
            {
                if (wide)
                {
                    out.printf(Locale.ROOT, ENDPOINT, endpoint.role(), endpoint.slot(), endpoint.pid(),
                        name(endpoint), endpoint.alive() ? "alive" : "dead", age(nowMs - endpoint.heartbeatMs()),
                        details(channel, endpoint));
                }
                else if (channel.spec().kind() == ChannelKind.BROADCAST && isReceiver(endpoint))
                {
                    out.printf(Locale.ROOT, "    receiver slot %-2d pid %-7d %-24s %s%n", endpoint.slot(),
                        endpoint.pid(), name(endpoint), progress(channel, endpoint));
                }
                else if (endpoint.subscription() != null && isReceiver(endpoint))
                {
                    out.printf(Locale.ROOT, "    subscriber slot %-2d pid %-7d %-24s %s%n", endpoint.slot(),
                        endpoint.pid(), name(endpoint), SubscriptionText.brief(endpoint.subscription()));
                }
            }
        }
        BridgeStatus.printTable(out, inspector.location());
        remember(channels, nowNs);
    }

    String json(final RegionInspector inspector, final List<ChannelStatus> channels)
    {
        final long nowNs = System.nanoTime();
        final double seconds = previousNs == 0 ? 0 : (nowNs - previousNs) / 1e9;
        final long nowMs = System.currentTimeMillis();
        final List<String> channelJson = new ArrayList<>();
        for (final ChannelStatus channel : channels)
        {
            final List<String> endpoints = new ArrayList<>();
            for (final EndpointStatus endpoint : channel.endpoints())
            {
                endpoints.add(new Json()
                    .field("slot", endpoint.slot())
                    .field("role", endpoint.role())
                    .field("pid", endpoint.pid())
                    .field("alive", endpoint.alive())
                    .field("name", name(endpoint))
                    .field("heartbeatAgeMs", nowMs - endpoint.heartbeatMs())
                    .field("claimInProgress", endpoint.claimInProgress())
                    .field("blocking", endpoint.blocking())
                    .field("sleeping", endpoint.sleeping())
                    .field("receiverPosition", endpoint.receiverPosition())
                    .field("receiverBehind", endpoint.receiverPosition() < 0 ? -1 :
                        Math.max(0, channel.messagesSent() - endpoint.receiverPosition()))
                    .field("receiverLost", endpoint.receiverLost())
                    .raw("subscription", SubscriptionText.json(endpoint.subscription()))
                    .toString());
            }
            channelJson.add(channelJson(channel, seconds).raw("endpoints", Json.array(endpoints)).toString());
        }
        remember(channels, nowNs);
        return new Json()
            .field("region", inspector.location().toString())
            .field("length", inspector.length())
            .field("state", inspector.liveness().name().toLowerCase(Locale.ROOT))
            .field("creatorPid", inspector.creatorPid())
            .field("timestampMs", nowMs)
            .raw("channels", Json.array(channelJson))
            .raw("bridges", BridgeStatus.json(inspector.location()))
            .toString();
    }

    private Json channelJson(final ChannelStatus channel, final double seconds)
    {
        final ChannelCounts counts = channel.counts();
        return new Json()
            .field("name", channel.spec().name())
            .field("kind", channel.spec().kind().name())
            .field("capacity", channel.spec().capacity())
            .field("maxMessageLength", channel.spec().maxMessageLength())
            .field("fill", channel.fill())
            .field("damage", channel.damage())
            .field("producerPosition", channel.producerPosition())
            .field("consumerPosition", channel.consumerPosition())
            .field("messagesSent", channel.messagesSent())
            .field("messagesPerSecond", messagesPerSecond(channel, seconds))
            .field("megabytesPerSecond", megabytesPerSecond(channel, seconds))
            .field("publishedMessages", counts.publishedMessages())
            .field("publishedBytes", counts.publishedBytes())
            .field("consumedMessages", counts.consumedMessages())
            .field("consumedBytes", counts.consumedBytes())
            .field("backPressureEvents", counts.backPressureEvents())
            .field("lostMessages", counts.lostMessages())
            .field("unblockedRecords", counts.unblockedRecords())
            .field("missedWakeups", counts.missedWakeups())
            .field("blockingSubscribers", channel.blockingSubscribers())
            .field("waiters", channel.waiters());
    }

    private List<Object> row(final ChannelStatus channel, final double seconds)
    {
        final ChannelCounts counts = channel.counts();
        final ChannelSpec spec = channel.spec();
        final boolean perSubscriber = channel.consumerPosition() < 0; // BROADCAST, PUBLISH_SUBSCRIBE
        final double rate = messagesPerSecond(channel, seconds);
        final double megabytes = megabytesPerSecond(channel, seconds);
        final List<Object> row = new ArrayList<>(List.of(
            fit(spec.name(), wide ? 24 : 14), spec.kind().name(), RegionSupport.bytes(spec.capacity()),
            channel.damage() != null ? "?" : perSubscriber ? "-" :
                String.format(Locale.ROOT, "%.1f%%", channel.fill() * 100),
            channel.damage() != null ? "damaged" : perSubscriber ? "-" : RegionSupport.bytes(channel.backlog()),
            Double.isNaN(rate) ? "-" : rate(rate),
            Double.isNaN(megabytes) ? "-" : String.format(Locale.ROOT, "%.2f", megabytes),
            counts.publishedMessages(), spec.kind() == ChannelKind.BROADCAST ? "-" : counts.consumedMessages(),
            counts.lostMessages(),
            channel.alive("publisher"), channel.alive("subscriber")));
        if (wide)
        {
            row.addAll(List.of(channel.producerPosition(), perSubscriber ? "-" : channel.consumerPosition(),
                counts.backPressureEvents(), counts.unblockedRecords(), counts.missedWakeups()));
        }
        return row;
    }

    private static boolean isReceiver(final EndpointStatus endpoint)
    {
        return endpoint.alive() && "subscriber".equals(endpoint.role());
    }

    private static String progress(final ChannelStatus channel, final EndpointStatus endpoint)
    {
        if (endpoint.receiverPosition() < 0)
        {
            return "position not reported (an older receiver)";
        }
        return String.format(Locale.ROOT, "at %,d  behind %,d  lost %,d", endpoint.receiverPosition(),
            Math.max(0, channel.messagesSent() - endpoint.receiverPosition()), endpoint.receiverLost());
    }

    private static String details(final ChannelStatus channel, final EndpointStatus endpoint)
    {
        final StringBuilder text = new StringBuilder();
        if (channel.spec().kind() == ChannelKind.BROADCAST && "subscriber".equals(endpoint.role()))
        {
            text.append("  ").append(progress(channel, endpoint));
        }
        if (endpoint.subscription() != null)
        {
            text.append("  ").append(SubscriptionText.full(endpoint.subscription()));
        }
        if (endpoint.claimInProgress())
        {
            text.append("  (claim in progress)");
        }
        text.append(endpoint.sleeping() ? "  (asleep)" : endpoint.blocking() ? "  (blocking)" : "");
        return text.toString();
    }

    private String name(final EndpointStatus endpoint)
    {
        return fit(names.name(endpoint.pid(), endpoint.startTime()), 24);
    }

    private void remember(final List<ChannelStatus> channels, final long nowNs)
    {
        for (final ChannelStatus channel : channels)
        {
            previous.put(channel.spec().name(), channel.counts());
        }
        previousNs = nowNs;
    }

    private double messagesPerSecond(final ChannelStatus channel, final double seconds)
    {
        final ChannelCounts before = previous.get(channel.spec().name());
        return before == null || seconds <= 0 ? Double.NaN :
            (channel.counts().publishedMessages() - before.publishedMessages()) / seconds;
    }

    private double megabytesPerSecond(final ChannelStatus channel, final double seconds)
    {
        final ChannelCounts before = previous.get(channel.spec().name());
        return before == null || seconds <= 0 ? Double.NaN :
            (channel.counts().publishedBytes() - before.publishedBytes()) / seconds / 1e6;
    }

    private static String fit(final String text, final int width)
    {
        return text.length() <= width ? text : text.substring(0, width - 1) + "~";
    }

    private static String rate(final double perSecond)
    {
        if (perSecond >= 1e6)
        {
            return String.format(Locale.ROOT, "%.2fM", perSecond / 1e6);
        }
        return perSecond >= 1e3 ? String.format(Locale.ROOT, "%.1fk", perSecond / 1e3) :
            String.format(Locale.ROOT, "%.0f", perSecond);
    }

    private static String age(final long ms)
    {
        return ms < 1000 ? ms + "ms ago" : String.format(Locale.ROOT, "%.1fs ago", ms / 1000.0);
    }
}
