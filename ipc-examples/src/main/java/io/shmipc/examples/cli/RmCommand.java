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
@Command(name = "rm")
public final class RmCommand implements Callable<Integer>
{
    @Spec
    private CommandSpec spec;

    /** Read in {@link #call()}: picocli takes a value a list's converter refuses for an unmatched argument. */
    @Parameters(paramLabel = "REGION", arity = "0..*", descriptionKey = "region-argument")
    private List<String> regions = new ArrayList<>();

    @Option(names = "--region", paramLabel = "NAME|PATH", converter = RegionLocationConverter.class)
    private List<RegionLocation> regionOptions = new ArrayList<>();

    @Option(names = {"-f", "--force"})
    private boolean force;

    @Override
    public Integer call()
    {
        final List<RegionLocation> all = new ArrayList<>();
        for (final String region : regions)
        {
            try
            {
                all.add(RegionLocationConverter.parse(region));
            }
            catch (final IllegalArgumentException ex)
            {
                throw new ParameterException(spec.commandLine(), "Invalid value for positional parameter REGION: " +
                    ex.getMessage());
            }
        }
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
        if (!location.isNamed())
        {
            return location + " has no name to remove: an anonymous region is freed with the last process holding it";
        }
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
            System.out.printf("removed %s (%s)%s%s%n", location, RegionSupport.bytes(summary.size()), waiting,
                BridgeStatus.homesLeftBeside(location));
            return null;
        }
        // Stale, yet not deleted: no process holds it, but its header is not one this version may prove whole, or
        // this user may not write it.
        final boolean unproven = summary.liveness() == RegionLiveness.STALE;
        final String notWritable = RegionSupport.notWritable(location);
        if (unproven && notWritable != null)
        {
            return "region " + location + " is used by no process, but " + notWritable;
        }
        final String users = unproven ? "" : users(location);
        if (!force)
        {
            return "region " + location + (unproven ? " is used by no process, but its header is not a whole " +
                "region of this version (state " + summary.state() + "; shm-ipc stat says what is wrong): left " +
                "alone; unlink" : " is in use" + users + ": stop those processes first, or unlink") + " it anyway " +
                "with: shm-ipc rm --force " + RegionLocationConverter.shellArgument(location);
        }
        if (!Region.delete(location))
        {
            return "no such region: " + location;
        }
        System.out.printf(unproven ? "unlinked %s (%s), which no process used%s%s%s%n" :
            "unlinked %s (%s) while in use%s: the processes keep their mapping until they exit%s%s%n",
            location, RegionSupport.bytes(summary.size()), users, waiting, BridgeStatus.homesLeftBeside(location));
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
