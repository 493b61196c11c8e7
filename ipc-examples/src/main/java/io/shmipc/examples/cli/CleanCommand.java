package io.shmipc.examples.cli;

import io.shmipc.RegionSummary;
import io.shmipc.Regions;
import io.shmipc.examples.support.CommandRunner;
import io.shmipc.examples.support.RegionSupport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code shm-ipc clean}: delete stale regions (their creator and every process that had them open are dead).
 * Live regions are never touched: the check and the delete happen under an exclusive lock.
 */
@Command(name = "clean", mixinStandardHelpOptions = true,
    description = "Delete stale shm-ipc regions in /dev/shm (and --dir directories); live ones are left alone.")
public final class CleanCommand implements Callable<Integer>
{
    @Mixin
    RegionDirectories directories;

    @Option(names = "--dry-run", description = "Only print what would be deleted.")
    boolean dryRun;

    @Override
    public Integer call()
    {
        final List<RegionSummary> cleaned = new ArrayList<>();
        for (final Path directory : directories.all())
        {
            cleaned.addAll(Regions.cleanStale(directory, dryRun));
        }
        for (final RegionSummary region : cleaned)
        {
            System.out.println((dryRun ? "would delete " : "deleted ") + region.location() + " (" +
                RegionSupport.bytes(region.size()) + ")");
        }
        System.out.println((dryRun ? "stale regions found: " : "stale regions deleted: ") + cleaned.size());
        return CommandRunner.OK;
    }
}
