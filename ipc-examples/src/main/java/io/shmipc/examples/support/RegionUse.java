package io.shmipc.examples.support;

import io.shmipc.Region;
import io.shmipc.RegionConfig;
import io.shmipc.RegionLiveness;
import io.shmipc.RegionLocation;
import io.shmipc.RegionSummary;
import io.shmipc.Regions;
import io.shmipc.exceptions.ShmIpcException;

/**
 * A region as a command uses it, from opening to exit, so that no command leaves a region behind without a word:
 * <ul>
 * <li>the process that holds the region's one exclusive role ({@link #own}: the only subscriber of a ring channel,
 * the only transmitter of a broadcast) unlinks it as it leaves, saying how many unread messages went with it;</li>
 * <li>any other process, once it has closed the region, removes it if nobody uses it any more and nothing waits in
 * it (a subscriber that gave up before its feed came, a ping whose pong never came);</li>
 * <li>otherwise a region nobody uses is left, for a later subscriber, with one line: what waits in it, its size, and
 * the command that removes it.</li>
 * </ul>
 * An anonymous region has no name: it is only closed, and freed with the last process holding it.
 */
public final class RegionUse implements AutoCloseable
{
    private final Region region;
    private final RoleConsole console;
    private boolean owner;
    private boolean keep;

    private RegionUse(final Region region, final RoleConsole console)
    {
        this.region = region;
        this.console = console;
    }

    /**
     * Create the region or attach to it, so processes may start in any order, and say which happened. An anonymous
     * region is only attached: it must have been handed to this process.
     *
     * @param config  the layout this process expects.
     * @param console where to say it.
     * @return the region in use.
     */
    public static RegionUse openOrCreate(final RegionConfig config, final RoleConsole console)
    {
        // An anonymous region is one a holder handed this process; without the hand-off the library would create a
        // private one no other process can reach: attach, which says the hand-off is missing.
        final Region region = config.location().isAnonymous() ? Region.attach(config) : Region.openOrCreate(config);
        console.say("%s region %s", region.wasCreated() ? "created" : "attached to", region.location());
        return new RegionUse(region, console);
    }

    /**
     * The region.
     *
     * @return the open region.
     */
    public Region region()
    {
        return region;
    }

    /**
     * This process now holds the region's one exclusive role: it unlinks the region as it leaves, unless
     * {@code --keep-region}. Called once the role is held, so that a process refused the role never removes a
     * region others use.
     *
     * @param keepRegion true to leave the region in place.
     */
    public void own(final boolean keepRegion)
    {
        this.owner = true;
        this.keep = keepRegion;
    }

    /**
     * Leave the region in place as this process goes, even when nobody else uses it and nothing waits in it
     * ({@code --keep-region} of a process that holds no exclusive role).
     *
     * @param keepRegion true to leave the region in place.
     */
    public void keep(final boolean keepRegion)
    {
        this.keep = keepRegion;
    }

    /**
     * Leave the region: unlink it (its owner), remove it (nobody uses it, nothing waits in it) or say what is left;
     * first print {@code done: stop=failed} for a command that failed before it printed its result line.
     */
    @Override
    public void close()
    {
        if (!console.hasSaidDone())
        {
            // The command failed before its work began (its endpoint refused: a second copy of a one-of-a-kind
            // role, a channel that does not fit): its done line still comes before the region's fate.
            console.done(new DoneLine().add("stop", "failed"));
        }
        if (region.isClosed())
        {
            return;
        }
        final RegionLocation location = region.location();
        if (!location.isNamed())
        {
            region.close(); // anonymous: nothing to unlink or leave, it is freed with its last holder
            return;
        }
        final boolean unlinked = isUnlinked();
        final Backlog backlog = unlinked ? Backlog.NONE : Backlog.of(region);
        if (owner && !keep && !unlinked)
        {
            region.delete();
            region.close();
            // What it held is not lost yet: processes still attached read on (a log's other subscribers, a ring's
            // next subscriber among them); nobody can attach to read it any more.
            console.say("unlinked region %s%s", location, backlog.isEmpty() ? "" :
                "; it still held " + backlog.where() + ", for processes still attached only");
            return;
        }
        region.close();
        if (!unlinked)
        {
            leave(location, backlog);
        }
    }

    private boolean isUnlinked()
    {
        try
        {
            return region.isUnlinked();
        }
        catch (final ShmIpcException ex)
        {
            return false;
        }
    }

    private void leave(final RegionLocation location, final Backlog backlog)
    {
        final RegionSummary summary;
        try
        {
            summary = Regions.summarize(location);
        }
        catch (final ShmIpcException ex)
        {
            return; // gone already
        }
        if (summary == null || summary.liveness() != RegionLiveness.STALE)
        {
            return; // others use it: not left behind by this process alone
        }
        if (backlog.isEmpty() && !keep)
        {
            if (Regions.deleteIfStale(location))
            {
                console.say("removed region %s: nobody uses it and nothing waits in it", location);
            }
            return;
        }
        console.say("left region %s (%s) in %s: %s; remove it with: shm-ipc rm %s", location,
            RegionSupport.bytes(summary.size()), location.path().getParent(),
            backlog.isEmpty() ? "kept (--keep-region)" : backlog.where() + " for a subscriber",
            RegionLocationConverter.shellArgument(location));
    }
}
