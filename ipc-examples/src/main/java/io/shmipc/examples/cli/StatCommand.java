package io.shmipc.examples.cli;

import io.shmipc.ChannelCounts;
import io.shmipc.ChannelSpec;
import io.shmipc.ChannelStatus;
import io.shmipc.EndpointStatus;
import io.shmipc.RegionInspector;
import io.shmipc.RegionLocation;
import io.shmipc.SubscriptionStatus;
import io.shmipc.examples.support.CommandRunner;
import io.shmipc.examples.support.Json;
import io.shmipc.examples.support.DurationConverter;
import io.shmipc.examples.support.RegionSupport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.locks.LockSupport;

/**
 * {@code shm-ipc stat NAME}: a table of a region's channels, like AeronStat: kind, capacity, fill, positions,
 * rates between refreshes, counters, and endpoints with liveness and heartbeat age. The region is mapped read-only
 * ({@code PROT_READ}): inspecting never changes it.
 */
@Command(name = "stat", mixinStandardHelpOptions = true,
    description = "Show a region's channels, counters and endpoints (read-only; --watch for a live table).")
public final class StatCommand implements Callable<Integer>
{
    @Parameters(index = "0", paramLabel = "REGION", description = "Shared-memory name, or a file path (contains '/').")
    String region;

    @Option(names = "--watch", paramLabel = "INTERVAL", arity = "0..1", fallbackValue = "1s",
        converter = DurationConverter.class,
        description = "Refresh every INTERVAL (e.g. 1s, 500ms; default 1s) until interrupted or --count.")
    Duration watch;

    @Option(names = "--count", description = "With --watch: stop after this many refreshes.")
    int count;

    @Option(names = "--json", description = "One JSON object per refresh instead of a table.")
    boolean json;

    private final Map<String, ChannelCounts> previous = new HashMap<>();
    private long previousNs;

    @Override
    public Integer call()
    {
        final RegionLocation location = RegionLocation.parse(region);
        final long intervalNs = watch == null ? 0 : watch.toNanos();
        try (RegionInspector inspector = RegionInspector.open(location))
        {
            int refreshes = 0;
            while (true)
            {
                final long now = System.nanoTime();
                final List<ChannelStatus> channels = inspector.channels();
                final double seconds = previousNs == 0 ? 0 : (now - previousNs) / 1e9;
                if (json)
                {
                    System.out.println(toJson(inspector, channels, seconds));
                }
                else
                {
                    if (intervalNs > 0 && refreshes > 0)
                    {
                        System.out.print("\033[H\033[2J");
                    }
                    printTable(System.out, inspector, channels, seconds);
                }
                System.out.flush();
                remember(channels, now);
                refreshes++;
                if (intervalNs == 0 || (count > 0 && refreshes >= count))
                {
                    return CommandRunner.OK;
                }
                LockSupport.parkNanos(intervalNs);
                if (Thread.interrupted())
                {
                    return CommandRunner.OK;
                }
            }
        }
    }

    private void remember(final List<ChannelStatus> channels, final long now)
    {
        for (final ChannelStatus channel : channels)
        {
            previous.put(channel.spec().name(), channel.counts());
        }
        previousNs = now;
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

    private void printTable(final PrintStream out, final RegionInspector inspector, final List<ChannelStatus> channels,
        final double seconds)
    {
        out.printf(Locale.ROOT, "region %s  length %s  layout %d.%d  created %s by pid %d  %s%n",
            inspector.location(), RegionSupport.bytes(inspector.length()), inspector.majorVersion(),
            inspector.minorVersion(),
            Instant.ofEpochMilli(inspector.creationTimeMs()), inspector.creatorPid(),
            inspector.liveness().name().toLowerCase(Locale.ROOT));
        out.printf(Locale.ROOT, "%-20s %-17s %9s %6s %14s %14s %9s %8s %12s %12s %9s %8s %9s%n",
            "CHANNEL", "KIND", "CAPACITY", "FILL", "PRODUCER POS", "CONSUMER POS", "MSGS/S", "MB/S", "PUBLISHED",
            "CONSUMED", "BACKPRESS", "LOST", "UNBLOCKED");
        final long nowMs = System.currentTimeMillis();
        for (final ChannelStatus channel : channels)
        {
            final ChannelCounts counts = channel.counts();
            final ChannelSpec spec = channel.spec();
            final double rate = messagesPerSecond(channel, seconds);
            final double megabytes = megabytesPerSecond(channel, seconds);
            out.printf(Locale.ROOT, "%-20s %-17s %9s %5.1f%% %14d %14s %9s %8s %12d %12d %9d %8d %9d%n",
                spec.name(), spec.kind(), RegionSupport.bytes(spec.capacity()), channel.fill() * 100,
                channel.producerPosition(), channel.consumerPosition() < 0 ? "-" : channel.consumerPosition(),
                Double.isNaN(rate) ? "-" : rate(rate),
                Double.isNaN(megabytes) ? "-" : String.format(Locale.ROOT, "%.2f", megabytes),
                counts.publishedMessages(), counts.consumedMessages(), counts.backPressureEvents(),
                counts.lostMessages(), counts.unblockedRecords());
            for (final EndpointStatus endpoint : channel.endpoints())
            {
                out.printf(Locale.ROOT, "    %-10s slot %-2d pid %-7d %-5s heartbeat %s ago%s%s%s%n", endpoint.role(),
                    endpoint.slot(), endpoint.pid(), endpoint.alive() ? "alive" : "dead",
                    age(nowMs - endpoint.heartbeatMs()), endpoint.claimInProgress() ? "  (claim in progress)" : "",
                    endpoint.sleeping() ? "  (asleep)" : endpoint.blocking() ? "  (blocking)" : "",
                    subscription(endpoint.subscription()));
            }
        }
    }

    /**
     * A publish-subscribe subscriber's flow control, position, lag and skips, on its endpoint line.
     */
    private static String subscription(final SubscriptionStatus subscription)
    {
        if (subscription == null)
        {
            return "";
        }
        return String.format(Locale.ROOT, "%n      %-10s position %d  lag %s (%s msgs)  skipped %d  delivered %d%s",
            subscription.state(), subscription.position(), RegionSupport.bytes(subscription.lagBytes()),
            subscription.lagMessages() < 0 ? "?" : Long.toString(subscription.lagMessages()),
            subscription.skippedMessages(), subscription.deliveredMessages(),
            subscription.lagWindow() > 0 ? "  window " + RegionSupport.bytes(subscription.lagWindow()) :
            subscription.demoteAfterMs() > 0 ? "  demote after " + subscription.demoteAfterMs() + "ms" : "");
    }

    private String toJson(final RegionInspector inspector, final List<ChannelStatus> channels, final double seconds)
    {
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
                    .field("heartbeatAgeMs", nowMs - endpoint.heartbeatMs())
                    .field("claimInProgress", endpoint.claimInProgress())
                    .field("blocking", endpoint.blocking())
                    .field("sleeping", endpoint.sleeping())
                    .raw("subscription", subscriptionJson(endpoint.subscription()))
                    .toString());
            }
            final ChannelCounts counts = channel.counts();
            channelJson.add(new Json()
                .field("name", channel.spec().name())
                .field("kind", channel.spec().kind().name())
                .field("capacity", channel.spec().capacity())
                .field("maxMessageLength", channel.spec().maxMessageLength())
                .field("fill", channel.fill())
                .field("producerPosition", channel.producerPosition())
                .field("consumerPosition", channel.consumerPosition())
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
                .field("waiters", channel.waiters())
                .raw("endpoints", Json.array(endpoints))
                .toString());
        }
        return new Json()
            .field("region", inspector.location().toString())
            .field("length", inspector.length())
            .field("state", inspector.liveness().name().toLowerCase(Locale.ROOT))
            .field("creatorPid", inspector.creatorPid())
            .field("timestampMs", nowMs)
            .raw("channels", Json.array(channelJson))
            .toString();
    }

    private static String subscriptionJson(final SubscriptionStatus subscription)
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
        if (ms < 1000)
        {
            return ms + "ms";
        }
        return String.format(Locale.ROOT, "%.1fs", ms / 1000.0);
    }
}
