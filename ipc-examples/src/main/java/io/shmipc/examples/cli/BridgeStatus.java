package io.shmipc.examples.cli;

import io.shmipc.RegionLocation;
import io.shmipc.bridge.BridgeException;
import io.shmipc.bridge.BridgeInspector;
import io.shmipc.toolkit.Json;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The bridges of a region as {@code stat} shows them: every bridge whose home lies beside the region, with its
 * process, heartbeat age and counters, then every stopped bridge whose replay logs still hold messages it could not
 * send, with their unacknowledged bytes. A bridge whose files cannot be read is shown with the reason.
 */
final class BridgeStatus
{
    /** A heartbeat older than this, 30 times the bridge's interval, is stale. */
    static final long STALE_AFTER_MS = 3_000;

    private BridgeStatus()
    {
    }

    /**
     * How old the bridge's heartbeat is: 0 for one written after this process read the clock (its clock and the
     * bridge's are the same wall clock, read a moment apart).
     */
    private static long heartbeatAgeMs(final BridgeInspector inspector, final long nowMs)
    {
        return Math.max(0, nowMs - inspector.heartbeatMs());
    }

    /**
     * A running bridge writes its heartbeat every 100 ms; one older than {@link #STALE_AFTER_MS} is from a bridge
     * that was killed or is stuck (a bridge that stops deletes its counters file).
     */
    private static boolean isStale(final long ageMs)
    {
        return ageMs > STALE_AFTER_MS;
    }

    static void printTable(final PrintStream out, final RegionLocation location)
    {
        final long nowMs = System.currentTimeMillis();
        for (final Path home : BridgeInspector.homesOf(location))
        {
            try (BridgeInspector inspector = BridgeInspector.open(home))
            {
                final long ageMs = heartbeatAgeMs(inspector, nowMs);
                out.printf(Locale.ROOT, "bridge %s  pid %d  heartbeat %.1fs ago%s%n", name(location, home),
                    inspector.pid(), ageMs / 1000.0, isStale(ageMs) ? " (not running: killed or stuck)" : "");
                for (final Map.Entry<String, Long> counter : inspector.counters().entrySet())
                {
                    out.printf(Locale.ROOT, "    %-52s %,16d%n", counter.getKey(), counter.getValue());
                }
            }
            catch (final BridgeException ex)
            {
                out.printf(Locale.ROOT, "bridge %s  unreadable: %s%n", name(location, home), ex.getMessage());
            }
        }
        for (final Path home : BridgeInspector.stoppedHomesOf(location))
        {
            try
            {
                final Map<String, Long> logs = BridgeInspector.unacknowledgedBytes(home);
                out.printf(Locale.ROOT, "bridge %s  stopped: its replay logs in %s hold what it could not send, sent " +
                    "first when a bridge of this name starts again%n", name(location, home), home);
                for (final Map.Entry<String, Long> log : logs.entrySet())
                {
                    out.printf(Locale.ROOT, "    %-52s %,16d%n", log.getKey() + ": unacknowledged bytes",
                        log.getValue());
                }
            }
            catch (final BridgeException ex)
            {
                out.printf(Locale.ROOT, "bridge %s  stopped, a replay log unreadable: %s%n", name(location, home),
                    ex.getMessage());
            }
        }
    }

    static String json(final RegionLocation location)
    {
        final long nowMs = System.currentTimeMillis();
        final List<String> bridges = new ArrayList<>();
        for (final Path home : BridgeInspector.homesOf(location))
        {
            final Json bridge = new Json().field("name", name(location, home)).field("home", home.toString());
            try (BridgeInspector inspector = BridgeInspector.open(home))
            {
                final Json counters = new Json();
                inspector.counters().forEach(counters::field);
                final long ageMs = heartbeatAgeMs(inspector, nowMs);
                bridge.field("pid", inspector.pid()).field("heartbeatAgeMs", ageMs).field("stale", isStale(ageMs))
                    .raw("counters", counters.toString());
            }
            catch (final BridgeException ex)
            {
                bridge.field("error", ex.getMessage());
            }
            bridges.add(bridge.toString());
        }
        for (final Path home : BridgeInspector.stoppedHomesOf(location))
        {
            final Json bridge = new Json().field("name", name(location, home)).field("home", home.toString())
                .field("stopped", true);
            try
            {
                final Json logs = new Json();
                BridgeInspector.unacknowledgedBytes(home).forEach(logs::field);
                bridge.raw("unacknowledgedBytes", logs.toString());
            }
            catch (final BridgeException ex)
            {
                bridge.field("error", ex.getMessage());
            }
            bridges.add(bridge.toString());
        }
        return Json.array(bridges);
    }

    /**
     * What a region's removal leaves beside it: the homes of its bridges, with what their replay logs still hold (a
     * bridge of the same name started on a region of the same name sends it first).
     *
     * @param location the region.
     * @return {@code ""} when no bridge home lies beside the region, else a clause to append to the removal's line.
     */
    static String homesLeftBeside(final RegionLocation location)
    {
        final List<String> homes = new ArrayList<>();
        final List<Path> all = new ArrayList<>(BridgeInspector.homesOf(location));
        all.addAll(BridgeInspector.stoppedHomesOf(location));
        for (final Path home : all)
        {
            String held;
            try
            {
                held = String.format(Locale.ROOT, "%,d unacknowledged bytes in its replay logs",
                    BridgeInspector.unacknowledgedBytes(home).values().stream().mapToLong(Long::longValue).sum());
            }
            catch (final BridgeException ex)
            {
                held = "a replay log unreadable: " + ex.getMessage();
            }
            homes.add("bridge home " + home + " (" + held + ")");
        }
        return homes.isEmpty() ? "" : "; left beside it: " + String.join(", ", homes);
    }

    private static String name(final RegionLocation location, final Path home)
    {
        return home.getFileName().toString().substring(location.path().getFileName().toString().length() +
            ".bridge-".length());
    }
}
