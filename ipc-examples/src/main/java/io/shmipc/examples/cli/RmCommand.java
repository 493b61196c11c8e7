package io.shmipc.examples.cli;

import io.shmipc.ChannelStatus;
import io.shmipc.EndpointStatus;
import io.shmipc.Region;
import io.shmipc.RegionInspector;
import io.shmipc.RegionLiveness;
import io.shmipc.RegionLocation;
import io.shmipc.RegionSummary;
import io.shmipc.Regions;
import io.shmipc.examples.support.Backlog;
import io.shmipc.examples.support.CommandFailedException;
import io.shmipc.examples.support.CommandRunner;
import io.shmipc.examples.support.ExitCodes;
import io.shmipc.examples.support.RegionLocationConverter;
import io.shmipc.examples.support.RegionSupport;
import io.shmipc.exceptions.RegionNotFoundException;
import io.shmipc.exceptions.ShmIpcException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.concurrent.Callable;

/**
 * {@code shm-ipc rm NAME}: delete one region (or several), refusing a live one unless {@code --force}.
 */
@Command(
    name = "rm",
    mixinStandardHelpOptions = true,
    header = "Delete a region: refuses one in use unless --force.",
    description = {
        "Delete a region's name (a file in /dev/shm, or a file region), saying its size and what waited in it.",
        "A region in use by a live process is refused, naming the processes, unless --force: it is then unlinked " +
        "anyway; the processes keep their mapping, producers stop and say what they published in vain. A file " +
        "that is no shm-ipc region is never deleted. The check and the delete happen under the region's exclusive " +
        "lock, so a process attaching at that moment waits and then finds no region."},
    footer = {"", "Examples:", "  shm-ipc rm chat", "  shm-ipc rm --force quotes",
        "  shm-ipc rm /tmp/shared/demo.region", "", ExitCodes.SUMMARY})
public final class RmCommand implements Callable<Integer>
{
    @Spec
    private CommandSpec spec;

    @Parameters(paramLabel = "REGION", arity = "0..*", converter = RegionLocationConverter.class,
        description = RegionLocationConverter.DESCRIPTION)
    private List<RegionLocation> regions = new ArrayList<>();

    @Option(names = "--region", paramLabel = "NAME|PATH", converter = RegionLocationConverter.class,
        description = "The same as REGION, as other commands take it (repeatable).")
    private List<RegionLocation> regionOptions = new ArrayList<>();

    @Option(names = {"-f", "--force"}, description = "Also unlink a region that live processes use.")
    private boolean force;

    /**
     * Run as its own process.
     *
     * @param args command line.
     */
    public static void main(final String[] args)
    {
        CommandRunner.main(new RmCommand(), args);
    }

    @Override
    public Integer call()
    {
        final List<RegionLocation> all = new ArrayList<>(regions);
        all.addAll(regionOptions);
        if (all.isEmpty())
        {
            throw new ParameterException(spec.commandLine(), "missing REGION: e.g. 'shm-ipc rm chat'");
        }
        final List<String> refused = new ArrayList<>();
        for (final RegionLocation location : all)
        {
            final String problem = remove(location);
            if (problem != null)
            {
                refused.add(problem);
            }
        }
        if (!refused.isEmpty())
        {
            throw new CommandFailedException(String.join("; ", refused));
        }
        return ExitCodes.OK;
    }

    /**
     * Remove one region.
     *
     * @return why it was not removed, or {@code null}.
     */
    private String remove(final RegionLocation location)
    {
        final RegionSummary summary;
        try
        {
            summary = Regions.summarize(location);
        }
        catch (final RegionNotFoundException ex)
        {
            return "no such region: " + location;
        }
        if (summary == null)
        {
            return location.path() + " is no shm-ipc region: left alone";
        }
        final Backlog backlog = Backlog.of(location);
        final String waiting = backlog.isEmpty() ? "" : "; " + backlog.where() + " went with it";
        if (summary.liveness() == RegionLiveness.STALE && Regions.deleteIfStale(location))
        {
            System.out.printf("removed %s (%s)%s%n", location, RegionSupport.bytes(summary.size()), waiting);
            return null;
        }
        final String users = users(location);
        if (!force)
        {
            return "region " + location + " is in use" + users + ": stop those processes first, or unlink it anyway " +
                "with: shm-ipc rm --force " + RegionLocationConverter.argument(location);
        }
        if (!Region.delete(location))
        {
            return "no such region: " + location;
        }
        System.out.printf("unlinked %s (%s) while in use%s: the processes keep their mapping until they exit%s%n",
            location, RegionSupport.bytes(summary.size()), users, waiting);
        return null;
    }

    private static String users(final RegionLocation location)
    {
        final TreeSet<Integer> pids = new TreeSet<>();
        try (RegionInspector inspector = RegionInspector.open(location))
        {
            for (final ChannelStatus channel : inspector.channels())
            {
                for (final EndpointStatus endpoint : channel.endpoints())
                {
                    if (endpoint.alive())
                    {
                        pids.add(endpoint.pid());
                    }
                }
            }
        }
        catch (final ShmIpcException ex)
        {
            return "";
        }
        return pids.isEmpty() ? "" : " by pid " + String.join(", ", pids.stream().map(String::valueOf).toList());
    }
}
