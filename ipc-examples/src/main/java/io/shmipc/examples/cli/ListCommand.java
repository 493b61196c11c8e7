package io.shmipc.examples.cli;

import io.shmipc.AnonymousRegionSummary;
import io.shmipc.RegionSummary;
import io.shmipc.Regions;
import io.shmipc.examples.support.CommandRunner;
import io.shmipc.examples.support.Json;
import io.shmipc.examples.support.RegionSupport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
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
@Command(name = "list", mixinStandardHelpOptions = true,
    description = "List shm-ipc regions in /dev/shm (and --dir directories): size, channels, owner, live/stale; "
        + "then anonymous regions of running processes with their holders (pid:fd; needs root for undumpable ones).")
public final class ListCommand implements Callable<Integer>
{
    @Mixin
    RegionDirectories directories;

    @Option(names = "--json", description = "One JSON object per region instead of a table.")
    boolean json;

    @Option(names = "--no-anonymous", description = "Leave out the anonymous regions of running processes.")
    boolean noAnonymous;

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
            System.out.printf(Locale.ROOT, "%-44s %10s %8s %-10s %-10s %-12s%n",
                "REGION", "SIZE", "CHANNELS", "OWNER", "MODE", "STATE");
        }
        for (final RegionSummary region : regions)
        {
            final String owner = owner(region.location().path());
            final String mode = PosixFilePermissions.toString(PosixModes.of(region.permissions()));
            final String state = region.liveness().name().toLowerCase(Locale.ROOT);
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
                    .field("state", state));
            }
            else
            {
                System.out.printf(Locale.ROOT, "%-44s %10s %8s %-10s %-10s %-12s%n", region.location(),
                    RegionSupport.bytes(region.size()), region.channelCount() < 0 ? "-" : region.channelCount(),
                    owner, mode, state);
            }
        }
        if (!noAnonymous)
        {
            listAnonymous();
        }
        return CommandRunner.OK;
    }

    private void listAnonymous()
    {
        final List<AnonymousRegionSummary> anonymous = Regions.listAnonymous();
        if (!json && !anonymous.isEmpty())
        {
            System.out.printf(Locale.ROOT, "%n%-44s %10s %8s %-10s %-10s %-12s %s%n",
                "ANONYMOUS REGION (stat it by /proc/PID/fd/FD)", "SIZE", "CHANNELS", "OWNER", "MODE", "STATE",
                "HOLDERS (PID:FD)");
        }
        for (final AnonymousRegionSummary region : anonymous)
        {
            final RegionSummary summary = region.summary();
            final String owner = owner(summary.location().path());
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
                System.out.printf(Locale.ROOT, "%-44s %10s %8s %-10s %-10s %-12s %s%n",
                    "anon:" + region.label() + " " + summary.location(), RegionSupport.bytes(summary.size()),
                    summary.channelCount() < 0 ? "-" : summary.channelCount(), owner, mode, state,
                    String.join(" ", holders));
            }
        }
    }

    private static String owner(final Path path)
    {
        try
        {
            return Files.getOwner(path, LinkOption.NOFOLLOW_LINKS).getName();
        }
        catch (final IOException | UnsupportedOperationException ex)
        {
            return "?";
        }
    }
}
