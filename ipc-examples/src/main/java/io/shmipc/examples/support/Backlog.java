package io.shmipc.examples.support;

import io.shmipc.ChannelBacklog;
import io.shmipc.ChannelStatus;
import io.shmipc.ChannelKind;
import io.shmipc.Region;
import io.shmipc.RegionInspector;
import io.shmipc.RegionLocation;
import io.shmipc.exceptions.ShmIpcException;

import java.util.ArrayList;
import java.util.List;

/**
 * The messages waiting in a region's ring channels, counted read-only ({@link RegionInspector#peek}): what a
 * process says it leaves behind, and what a producer says never reached a subscriber.
 *
 * @param messages messages waiting in every ring channel.
 * @param bytes    their payload bytes.
 * @param where    for people: {@code 3 messages (120 B) in 'messages'}, channels joined by commas; empty when none.
 */
public record Backlog(long messages, long bytes, String where)
{
    /** Nothing waits. */
    public static final Backlog NONE = new Backlog(0, 0, "");

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
        final List<String> where = new ArrayList<>();
        for (final ChannelStatus channel : inspector.channels())
        {
            if (channel.spec().kind() == ChannelKind.BROADCAST)
            {
                continue;
            }
            final ChannelBacklog backlog = inspector.peek(channel.spec().name(), 0, null);
            if (backlog.messages() > 0)
            {
                messages += backlog.messages();
                bytes += backlog.bytes();
                where.add(messages(backlog.messages()) + " (" + RegionSupport.bytes(backlog.bytes()) + ") in '" +
                    channel.spec().name() + "'");
            }
        }
        return new Backlog(messages, bytes, String.join(", ", where));
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
        catch (final ShmIpcException ex)
        {
            return NONE;
        }
    }

    /**
     * Whether anything waits.
     *
     * @return true when at least one message waits.
     */
    public boolean isEmpty()
    {
        return messages == 0;
    }
}
