package io.shmipc.examples.support;

import io.shmipc.ChannelBacklog;
import io.shmipc.ChannelStatus;
import io.shmipc.ChannelKind;
import io.shmipc.Region;
import io.shmipc.RegionInspector;
import io.shmipc.RegionLocation;
import io.shmipc.RegionSummary;
import io.shmipc.exceptions.CorruptRegionException;
import io.shmipc.exceptions.ShmIpcException;

import java.util.ArrayList;
import java.util.List;

/**
 * The messages waiting in a region's ring channels and held by its logs, counted read-only
 * ({@link RegionInspector#peek}): what a process says it leaves behind, and what a producer says never reached a
 * subscriber. A channel whose count stopped short (an unfinished record, which a dead publisher or damage leaves
 * below the tail) or that cannot be read at all (corrupt) may hold more than is counted: the backlog is then never
 * empty, so that no command removes a region for holding nothing when it could not tell.
 *
 * @param messages  messages counted in every ring channel and log.
 * @param bytes     their payload bytes.
 * @param where     for people: {@code 3 undelivered messages (120 B) in 'messages'}, or for a log
 *                  {@code 5 messages (95 B) of history in 'journal'}, channels joined by commas; empty when none.
 * @param uncounted a channel may hold messages that are not counted.
 */
public record Backlog(long messages, long bytes, String where, boolean uncounted)
{
    /** Header States of this version (docs/layout.md): new, initialising, ready. */
    private static final int STATE_NEW = 0;
    private static final int STATE_READY = 2;

    /** Nothing waits. */
    public static final Backlog NONE = new Backlog(0, 0, "", false);

    /**
     * Count what waits in every ring channel of a region this process has open (also once its name is gone).
     *
     * @param region the region.
     * @return the backlog, {@link #NONE} when it cannot be read.
     */
    public static Backlog of(final Region region)
    {
        try (RegionInspector inspector = RegionInspector.of(region))
        {
            return of(inspector);
        }
        catch (final CorruptRegionException ex)
        {
            return unreadable(ex);
        }
        catch (final ShmIpcException ex)
        {
            return NONE;
        }
    }

    /**
     * Count what waits in every ring channel through an inspector.
     *
     * @param inspector the inspector.
     * @return the backlog.
     */
    public static Backlog of(final RegionInspector inspector)
    {
        long messages = 0;
        long bytes = 0;
        boolean uncounted = false;
        final List<String> where = new ArrayList<>();
        for (final ChannelStatus channel : inspector.channels())
        {
            if (channel.spec().kind() == ChannelKind.BROADCAST)
            {
                continue;
            }
            final String name = channel.spec().name();
            final ChannelBacklog backlog;
            try
            {
                backlog = inspector.peek(name, 0, null);
            }
            catch (final CorruptRegionException ex)
            {
                uncounted = true;
                where.add("an unknown number of messages in '" + name + "', which cannot be read (" +
                    ex.getMessage() + ")");
                continue;
            }
            // A ring's messages wait for its subscriber; a log's are history, which a later subscriber may replay.
            final String counted = channel.spec().kind() == ChannelKind.PUBLISH_SUBSCRIBE ?
                messages(backlog.messages()) + " (" + RegionSupport.bytes(backlog.bytes()) + ") of history" :
                undelivered(backlog.messages()) + " (" + RegionSupport.bytes(backlog.bytes()) + ")";
            if (backlog.writeInProgress())
            {
                uncounted = true;
                where.add((backlog.messages() > 0 ? counted + " and " : "") + "an unfinished record in '" + name +
                    "' (what follows it is not counted)");
            }
            else if (backlog.messages() > 0)
            {
                where.add(counted + " in '" + name + "'");
            }
            messages += backlog.messages();
            bytes += backlog.bytes();
        }
        return new Backlog(messages, bytes, String.join(", ", where), uncounted);
    }

    private static Backlog unreadable(final CorruptRegionException ex)
    {
        return new Backlog(0, 0, "an unknown number of messages (the region cannot be read: " + ex.getMessage() + ")",
            true);
    }

    /**
     * A count of messages for people: {@code 1 message}, {@code 1,024 messages}.
     *
     * @param count the count.
     * @return the text.
     */
    public static String messages(final long count)
    {
        return String.format(java.util.Locale.ROOT, "%,d %s", count, count == 1 ? "message" : "messages");
    }

    /**
     * A count of messages a ring's subscriber has not read: {@code 1 undelivered message}.
     *
     * @param count the count.
     * @return the text.
     */
    public static String undelivered(final long count)
    {
        return String.format(java.util.Locale.ROOT, "%,d undelivered %s", count, count == 1 ? "message" : "messages");
    }

    /**
     * Count what waits in every ring channel of a region by its name, read-only.
     *
     * @param location the region.
     * @return the backlog, {@link #NONE} when it cannot be read (not READY: nothing was ever published in it).
     */
    public static Backlog of(final RegionLocation location)
    {
        try (RegionInspector inspector = RegionInspector.open(location))
        {
            return of(inspector);
        }
        catch (final CorruptRegionException ex)
        {
            return unreadable(ex);
        }
        catch (final ShmIpcException ex)
        {
            return NONE;
        }
    }

    /**
     * Count what waits in a region found by a listing. A header State none of this version's (0 new, 1
     * initialising, 2 ready: {@link RegionSummary#state()}) cannot be counted, and is never taken for an empty
     * region that nothing was published in.
     *
     * @param region the region, as listed.
     * @return the backlog; uncounted for an unknown state.
     */
    public static Backlog of(final RegionSummary region)
    {
        if (!hasKnownState(region))
        {
            return new Backlog(0, 0, "an unknown number of messages (its header's state " + region.state() +
                " is none of this version's; shm-ipc stat says what is wrong)", true);
        }
        return of(region.location());
    }

    /**
     * Whether a listed region's header State is one of this version's; a region with another is never proven whole,
     * so only {@code rm --force} deletes it.
     *
     * @param region the region, as listed.
     * @return true for new, initialising and ready.
     */
    public static boolean hasKnownState(final RegionSummary region)
    {
        return region.state() >= STATE_NEW && region.state() <= STATE_READY;
    }

    /**
     * Whether nothing waits.
     *
     * @return true when no message was counted and every channel was counted to its end.
     */
    public boolean isEmpty()
    {
        return messages == 0 && !uncounted;
    }
}
