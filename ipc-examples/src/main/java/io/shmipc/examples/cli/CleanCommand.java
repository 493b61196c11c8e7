package io.shmipc.examples.cli;

import io.shmipc.RegionLiveness;
import io.shmipc.RegionSummary;
import io.shmipc.Regions;
import io.shmipc.examples.support.Backlog;
import io.shmipc.examples.support.ExitCodes;
import io.shmipc.examples.support.RegionLocationConverter;
import io.shmipc.examples.support.RegionSupport;
import io.shmipc.exceptions.ShmIpcException;
import io.shmipc.toolkit.Json;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.concurrent.Callable;

/**
 * {@code shm-ipc clean}: delete stale regions (their creator and every process that had them open are dead), but
 * keep those still holding undelivered messages unless {@code --force}. Live regions are never touched: the check
 * and the delete happen under an exclusive lock.
 */
@Command(name = "clean")
public final class CleanCommand implements Callable<Integer>
{
    @Mixin
    private RegionDirectories directories;

    @Option(names = "--dry-run")
    private boolean dryRun;

    @Option(names = {"-f", "--force"})
    private boolean force;

    @Option(names = "--json")
    private boolean json;

    @Override
    public Integer call()
    {
        int deleted = 0;
        int kept = 0;
        for (final Path directory : directories.all())
        {
            for (final RegionSummary region : Regions.list(directory))
            {
                if (region.liveness() != RegionLiveness.STALE)
                {
                    continue;
                }
                final Backlog backlog = Backlog.of(region);
                final boolean delete = backlog.isEmpty() || force;
                final boolean done = delete && (dryRun ? Regions.isProvenStale(region.location()) :
                    Regions.deleteIfStale(region.location()));
                if (done)
                {
                    deleted++;
                }
                else
                {
                    kept++;
                }
                // Refused though it was stale: in use again, a header that cannot be proven a whole region, or a
                // file this user may not write.
                final boolean unproven = delete && !done && stillStale(region);
                report(region, backlog, delete, done, unproven);
            }
        }
        if (!json)
        {
            System.out.println(dryRun ? "stale regions: " + deleted + " to delete, " + kept + " to keep" :
                "stale regions deleted: " + deleted + (kept > 0 ? ", kept: " + kept : ""));
        }
        directories.noteUnreadable("clean");
        return ExitCodes.OK;
    }

    private static boolean stillStale(final RegionSummary region)
    {
        try
        {
            final RegionSummary now = Regions.summarize(region.location());
            return now != null && now.liveness() == RegionLiveness.STALE;
        }
        catch (final ShmIpcException ex)
        {
            return false; // gone meanwhile
        }
    }

    private void report(final RegionSummary region, final Backlog backlog, final boolean delete, final boolean done,
        final boolean unproven)
    {
        final String action = dryRun ?
            (done ? "would-delete" : unproven ? "would-leave-alone" : delete ? "in-use-again" : "would-keep") :
            (done ? "deleted" : unproven ? "left-alone" : delete ? "in-use-again" : "kept");
        if (json)
        {
            System.out.println(new Json()
                .field("region", region.location().toString())
                .field("path", region.location().path().toString())
                .field("size", region.size())
                .field("action", action)
                .field("undeliveredMessages", backlog.messages())
                .field("undeliveredBytes", backlog.bytes())
                .field("undelivered", backlog.where()));
            return;
        }
        final String undelivered = backlog.isEmpty() ? "" : ": holds " + backlog.where();
        // The library refuses a file this user may not write (it can neither prove it under its locks nor remove it):
        // the mode says which refusal this was.
        final String notWritable = RegionSupport.notWritable(region.location());
        final String hint = notWritable != null && (unproven || !delete && !backlog.isEmpty()) ?
            ": no process uses it, but " + notWritable :
            unproven ? ": no process uses it, but its header cannot be proven a whole region of " +
            "this version (shm-ipc rm --force " + RegionLocationConverter.shellArgument(region.location()) +
            " deletes it)" : delete || backlog.isEmpty() ? "" : !Backlog.hasKnownState(region) ? " (clean never " +
            "deletes it; shm-ipc rm --force " + RegionLocationConverter.shellArgument(region.location()) + " does)" :
            " (--force deletes it; shm-ipc rm " + RegionLocationConverter.shellArgument(region.location()) +
            " deletes this one)";
        System.out.println(action.replace('-', ' ') + " " + region.location() + " (" +
            RegionSupport.bytes(region.size()) + ")" + undelivered + hint +
            (done ? BridgeStatus.homesLeftBeside(region.location()) : ""));
    }
}
