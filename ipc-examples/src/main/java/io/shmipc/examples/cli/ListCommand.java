package io.shmipc.examples.cli;

import io.shmipc.AnonymousRegionSummary;
import io.shmipc.RegionLiveness;
import io.shmipc.RegionSummary;
import io.shmipc.Regions;
import io.shmipc.examples.support.Backlog;
import io.shmipc.examples.support.ExitCodes;
import io.shmipc.toolkit.Json;
import io.shmipc.examples.support.RegionSupport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * {@code shm-ipc list}: the regions under {@code /dev/shm} and any directories given, with size, channels, owner
 * and whether they are live or stale (asked of the kernel's locks), then the anonymous regions of the running
 * processes this one may look into, with the pid and descriptor of each holder (from {@code /proc}).
 */
@Command(name = "list")
public final class ListCommand implements Callable<Integer>
{
    private static final String ROW = "%-44s %10s %8s %-10s %-10s %-8s %8s%n";
    private static final String ANONYMOUS_ROW = "%-44s %10s %8s %-10s %-10s %-8s %s%n";

    @Mixin
    private RegionDirectories directories;

    @Option(names = "--json")
    private boolean json;

    @Option(names = "--no-anonymous")
    private boolean noAnonymous;

    @Override
    public Integer call()
    {
        final List<RegionSummary> regions = new ArrayList<>();
        for (final Path directory : directories.all())
        {
            regions.addAll(Regions.list(directory));
        }
        if (!json)
        {
            System.out.printf(Locale.ROOT, ROW, "REGION", "SIZE", "CHANNELS", "OWNER", "MODE", "STATE", "WAITING");
        }
        for (final RegionSummary region : regions)
        {
            final String owner = RegionDirectories.owner(region.location().path());
            final String mode = PosixFilePermissions.toString(PosixModes.of(region.permissions()));
            final String state = region.liveness().name().toLowerCase(Locale.ROOT);
            final Backlog waiting = region.liveness() == RegionLiveness.STALE ? Backlog.of(region) : null;
            if (json)
            {
                System.out.println(new Json()
                    .field("region", region.location().toString())
                    .field("path", region.location().path().toString())
                    .field("size", region.size())
                    .field("channels", region.channelCount())
                    .field("owner", owner)
                    .field("uid", region.ownerUid())
                    .field("mode", mode)
                    .field("state", state)
                    .field("waitingMessages", waiting == null ? -1 : waiting.messages())
                    .field("waitingUncounted", waiting != null && waiting.uncounted()));
            }
            else
            {
                System.out.printf(Locale.ROOT, ROW, region.location(), RegionSupport.bytes(region.size()),
                    region.channelCount() < 0 ? "-" : region.channelCount(), owner, mode, state,
                    waiting == null ? "-" : waiting(waiting));
            }
        }
        if (!noAnonymous)
        {
            listAnonymous();
        }
        directories.noteUnreadable("list");
        return ExitCodes.OK;
    }

    /** Messages counted, {@code N+} when a channel could not be counted to its end, {@code ?} when none was. */
    private static String waiting(final Backlog waiting)
    {
        if (!waiting.uncounted())
        {
            return Long.toString(waiting.messages());
        }
        return waiting.messages() > 0 ? waiting.messages() + "+" : "?";
    }

    private void listAnonymous()
    {
        final List<AnonymousRegionSummary> anonymous = Regions.listAnonymous();
        if (!json && !anonymous.isEmpty())
        {
            System.out.printf(Locale.ROOT, "%n" + ANONYMOUS_ROW, "ANONYMOUS REGION (stat it by /proc/PID/fd/FD)",
                "SIZE", "CHANNELS", "OWNER", "MODE", "STATE", "HOLDERS (PID:FD)");
        }
        for (final AnonymousRegionSummary region : anonymous)
        {
            final RegionSummary summary = region.summary();
            final String owner = RegionDirectories.owner(summary.location().path());
            final String mode = PosixFilePermissions.toString(PosixModes.of(summary.permissions()));
            final String state = summary.liveness().name().toLowerCase(Locale.ROOT);
            final List<String> holders = new ArrayList<>();
            region.holders().forEach(holder -> holders.add(holder.pid() + ":" + holder.fd()));
            if (json)
            {
                System.out.println(new Json()
                    .field("region", "anon:" + region.label())
                    .field("path", summary.location().toString())
                    .field("size", summary.size())
                    .field("channels", summary.channelCount())
                    .field("owner", owner)
                    .field("uid", summary.ownerUid())
                    .field("mode", mode)
                    .field("state", state)
                    .field("holders", holders));
            }
            else
            {
                System.out.printf(Locale.ROOT, ANONYMOUS_ROW, "anon:" + region.label() + " " + summary.location(),
                    RegionSupport.bytes(summary.size()), summary.channelCount() < 0 ? "-" : summary.channelCount(),
                    owner, mode, state, String.join(" ", holders));
            }
        }
    }
}
