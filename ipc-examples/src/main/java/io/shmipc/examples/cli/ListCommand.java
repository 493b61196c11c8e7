package io.shmipc.examples.cli;

import io.shmipc.RegionSummary;
import io.shmipc.Regions;
import io.shmipc.examples.support.CommandRunner;
import io.shmipc.toolkit.Json;
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
 * and whether they are live or stale (asked of the kernel's locks).
 */
@Command(name = "list", mixinStandardHelpOptions = true,
    description = "List shm-ipc regions in /dev/shm (and --dir directories): size, channels, owner, live/stale.")
public final class ListCommand implements Callable<Integer>
{
    @Mixin
    RegionDirectories directories;

    @Option(names = "--json", description = "One JSON object per region instead of a table.")
    boolean json;

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
        return CommandRunner.OK;
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
