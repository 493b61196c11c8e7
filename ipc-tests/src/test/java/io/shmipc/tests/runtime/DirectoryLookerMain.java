package io.shmipc.tests.runtime;

import io.shmipc.ChannelKind;
import io.shmipc.ChannelSpec;
import io.shmipc.Region;
import io.shmipc.RegionLocation;
import io.shmipc.Subscriber;
import io.shmipc.tests.support.ChildArguments;
import io.shmipc.tests.support.ChildSupport;

import java.time.Duration;
import java.util.function.Supplier;

/**
 * Child process of {@link CorruptDirectoryTest}: attached to a live region, it keeps a subscriber on the channel
 * {@code steady} and, on each command, uses the directory the way an application does.
 * <ul>
 * <li>{@code LOOK <name>}: lists the channels, opens (and closes) a subscriber on {@code <name>}, adds (and removes)
 * a channel {@code fresh}, and attaches a second handle; prints {@code LOOKED list=.. open=.. add=.. attach=..},
 * each {@code ok} or the simple name of the exception thrown, and {@code FAILURE <operation> <message>} before it
 * for each exception.</li>
 * <li>{@code DRAIN <count>}: receives {@code count} more messages on {@code steady}, each the 8-byte sequence number
 * that follows the previous one; prints {@code DRAINED received=.. outOfOrder=..}.</li>
 * <li>{@code EXIT}: closes and exits 0.</li>
 * </ul>
 */
public final class DirectoryLookerMain
{
    private static final Duration ATTACH_TIMEOUT = Duration.ofSeconds(2);

    private final Region region;
    private final Subscriber steady;
    private long received;
    private long outOfOrder;

    private DirectoryLookerMain(final Region region)
    {
        this.region = region;
        this.steady = region.subscriber("steady");
    }

    /**
     * Run the child.
     *
     * @param args {@code region=<location>}.
     */
    public static void main(final String[] args)
    {
        final RegionLocation location = ChildArguments.parse(args).location("region");
        try (Region region = Region.attach(location, Duration.ofSeconds(30)))
        {
            final DirectoryLookerMain looker = new DirectoryLookerMain(region);
            ChildSupport.println("READY");
            while (true)
            {
                final String[] command = ChildSupport.readCommand().split(" ");
                switch (command[0])
                {
                    case "LOOK" -> looker.look(location, command[1]);
                    case "DRAIN" -> looker.drain(Long.parseLong(command[1]));
                    case "EXIT" ->
                    {
                        return;
                    }
                    default -> ChildSupport.exitIncomplete("UNKNOWN " + command[0]);
                }
            }
        }
    }

    private void look(final RegionLocation location, final String name)
    {
        final String list = outcome("list", () -> region.directory().channelList().channels().size());
        final String open = outcome("open", () ->
        {
            region.subscriber(name).close();
            return name;
        });
        final String add = outcome("add", () ->
        {
            region.directory().openOrCreateChannel(new ChannelSpec("fresh", ChannelKind.ONE_TO_ONE, 1024, 0));
            return region.directory().removeChannel("fresh");
        });
        final String attach = outcome("attach", () ->
        {
            Region.attach(location, ATTACH_TIMEOUT).close();
            return location;
        });
        ChildSupport.println("LOOKED list=" + list + " open=" + open + " add=" + add + " attach=" + attach);
    }

    private static String outcome(final String operation, final Supplier<Object> action)
    {
        try
        {
            action.get();
            return "ok";
        }
        catch (final RuntimeException ex)
        {
            ChildSupport.println("FAILURE " + operation + " " + ex);
            return ex.getClass().getSimpleName();
        }
    }

    private void drain(final long count)
    {
        final long target = received + count;
        final long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (received < target && System.nanoTime() - deadline < 0)
        {
            steady.poll((buffer, offset, length) ->
            {
                if (length != Long.BYTES || buffer.getLong(offset) != received)
                {
                    outOfOrder++;
                }
                received++;
            }, 64, Duration.ofMillis(10));
        }
        ChildSupport.println("DRAINED received=" + received + " outOfOrder=" + outOfOrder);
    }
}
