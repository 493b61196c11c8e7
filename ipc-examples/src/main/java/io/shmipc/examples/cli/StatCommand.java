package io.shmipc.examples.cli;

import io.shmipc.ChannelStatus;
import io.shmipc.RegionInspector;
import io.shmipc.RegionLocation;
import io.shmipc.examples.support.CommandRunner;
import io.shmipc.examples.support.AnonymousLookup;
import io.shmipc.examples.support.CommandFailedException;
import io.shmipc.examples.support.Counts;
import io.shmipc.examples.support.DoneLine;
import io.shmipc.examples.support.DurationConverter;
import io.shmipc.examples.support.ExitCodes;
import io.shmipc.examples.support.RegionArgument;
import io.shmipc.examples.support.RoleConsole;
import io.shmipc.examples.support.ShutdownSignal;
import io.shmipc.exceptions.RegionNotFoundException;
import io.shmipc.exceptions.RegionStaleException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * {@code shm-ipc stat REGION}: a table of a region's channels, like AeronStat: kind, capacity, fill, backlog, rates
 * between refreshes, counters, live endpoints, each broadcast receiver's position, lag and losses, and the counters of
 * the region's bridges ({@code shm-ipc bridge}). The region is mapped read-only ({@code PROT_READ}): inspecting never
 * changes it. With {@code --watch} it follows the region through deletion and re-creation, and waits for one that does
 * not exist yet.
 * An anonymous region is read through a process holding it: {@code /proc/PID/fd/FD}, or {@code anon:LABEL} found
 * through {@code /proc}.
 */
@Command(name = "stat")
public final class StatCommand implements Callable<Integer>
{
    private static final String CLEAR_SCREEN = "\033[H\033[2J";
    private static final long SLEEP_SLICE_NS = TimeUnit.MILLISECONDS.toNanos(50);

    @Spec
    private CommandSpec spec;

    @Mixin
    private RegionArgument region;

    @Option(names = "--watch", paramLabel = "INTERVAL", arity = "0..1", fallbackValue = "1s",
        converter = DurationConverter.Positive.class)
    private Duration watch;

    @Option(names = "--count", converter = Counts.IntAtLeastZero.class, paramLabel = "N")
    private int count;

    @Option(names = "--channel", paramLabel = "NAME")
    private List<String> channelFilter = new ArrayList<>();

    @Option(names = "--wide")
    private boolean wide;

    @Option(names = "--json")
    private boolean json;

    private final PrintStream out = System.out;
    private StatTable table;
    private boolean terminal;

    @Override
    public Integer call()
    {
        final RegionLocation location = AnonymousLookup.resolve(region.location(spec));
        table = new StatTable().wide(wide);
        terminal = !json && isTerminal();
        if (watch == null)
        {
            try (RegionInspector inspector = open(location))
            {
                show(inspector);
                return ExitCodes.OK;
            }
            catch (final RegionNotFoundException ex)
            {
                throw new CommandFailedException("no such region: " + location + " (shm-ipc list shows the " +
                    "regions; with --watch, stat waits for it)");
            }
        }
        return watch(location);
    }

    private int watch(final RegionLocation location)
    {
        RegionInspector inspector = null;
        Object file = null;
        boolean waiting = false;
        int refreshes = 0;
        try
        {
            while (!ShutdownSignal.current().isRequested())
            {
                if (inspector != null && !fileKey(location).equals(file))
                {
                    inspector.close();
                    inspector = null;
                    notice("region " + location + (fileKey(location).equals(Boolean.FALSE) ?
                        " was deleted: waiting for it to be created again" : " was replaced by a new one"));
                }
                if (inspector == null)
                {
                    file = fileKey(location);
                    inspector = tryOpen(location);
                    if (inspector == null || !fileKey(location).equals(file))
                    {
                        if (!waiting)
                        {
                            notice("waiting for region " + location + " to be created (Ctrl-C to stop)");
                            waiting = true;
                        }
                        sleep(watch);
                        continue;
                    }
                    if (waiting || refreshes > 0)
                    {
                        notice("region " + location + " is there: created " +
                            Instant.ofEpochMilli(inspector.creationTimeMs()).truncatedTo(ChronoUnit.SECONDS) +
                            " by pid " + inspector.creatorPid());
                    }
                    waiting = false;
                    table.reset();
                }
                if (refreshes > 0 && !json)
                {
                    out.print(terminal ? CLEAR_SCREEN : System.lineSeparator());
                }
                show(inspector);
                if (++refreshes == count)
                {
                    return ExitCodes.OK;
                }
                sleep(watch);
            }
            new RoleConsole("stat", System.err).done(new DoneLine().add("refreshes", refreshes)
                .add("stop", "interrupted"));
            return ExitCodes.INTERRUPTED;
        }
        catch (final RuntimeException ex)
        {
            // The region found damaged, or the output gone: the done line first, then the error.
            new RoleConsole("stat", System.err).done(new DoneLine().add("refreshes", refreshes)
                .add("stop", "failed"));
            throw ex;
        }
        finally
        {
            if (inspector != null)
            {
                inspector.close();
            }
        }
    }

    private void show(final RegionInspector inspector)
    {
        final List<ChannelStatus> channels = selected(inspector);
        if (json)
        {
            out.println(table.json(inspector, channels));
        }
        else
        {
            table.print(out, inspector, channels);
        }
        if (out.checkError()) // flushes: a reader gone (closed pipe, `| head`) or a full disk ends a watch too
        {
            throw new CommandFailedException(ExitCodes.FAILURE, CommandRunner.OUTPUT_FAILED);
        }
    }

    private List<ChannelStatus> selected(final RegionInspector inspector)
    {
        final List<ChannelStatus> all = inspector.channels();
        if (channelFilter.isEmpty())
        {
            return all;
        }
        final List<ChannelStatus> selected = new ArrayList<>();
        for (final ChannelStatus channel : all)
        {
            for (final String filter : channelFilter)
            {
                if (filter.endsWith("*") ? channel.spec().name().startsWith(filter.substring(0, filter.length() - 1)) :
                    channel.spec().name().equals(filter))
                {
                    selected.add(channel);
                    break;
                }
            }
        }
        if (selected.isEmpty())
        {
            throw new CommandFailedException("no channel of region " + inspector.location() + " matches --channel " +
                channelFilter + "; its channels: " + all.stream().map(channel -> channel.spec().name()).toList());
        }
        return selected;
    }

    private static RegionInspector open(final RegionLocation location)
    {
        return RegionInspector.open(location);
    }

    private static RegionInspector tryOpen(final RegionLocation location)
    {
        try
        {
            return RegionInspector.open(location);
        }
        catch (final RegionNotFoundException | RegionStaleException ex)
        {
            // Not there yet. A file at the name is always complete (regions are built under a temporary name and
            // linked to theirs when READY), so one that is not a region is an error now, as without --watch.
            return null;
        }
    }

    /**
     * What identifies the file at the region's path now: its inode, or {@code false} when there is none.
     */
    private static Object fileKey(final RegionLocation location)
    {
        try
        {
            return Files.getAttribute(location.path(), "unix:ino", LinkOption.NOFOLLOW_LINKS);
        }
        catch (final IOException | RuntimeException ex)
        {
            return Boolean.FALSE;
        }
    }

    private void notice(final String text)
    {
        System.err.println(Instant.now().truncatedTo(ChronoUnit.MILLIS) + "  " + text);
        System.err.flush();
    }

    private static void sleep(final Duration interval)
    {
        final long deadline = System.nanoTime() + interval.toNanos();
        long remaining;
        while ((remaining = deadline - System.nanoTime()) > 0 && !ShutdownSignal.current().isRequested())
        {
            LockSupport.parkNanos(Math.min(remaining, SLEEP_SLICE_NS));
        }
    }

    /**
     * Whether standard output is a terminal: its descriptor links to a terminal device. A pipe or a file gets no
     * escape codes.
     */
    private static boolean isTerminal()
    {
        try
        {
            final String target = Files.readSymbolicLink(Path.of("/proc/self/fd/1")).toString();
            return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty") || target.equals("/dev/console");
        }
        catch (final IOException | RuntimeException ex)
        {
            return false;
        }
    }
}
