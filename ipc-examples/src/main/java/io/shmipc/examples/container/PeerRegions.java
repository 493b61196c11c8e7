package io.shmipc.examples.container;

import io.shmipc.ChannelKind;
import io.shmipc.Region;
import io.shmipc.RegionConfig;
import io.shmipc.RegionLocation;
import io.shmipc.exceptions.RegionExistsException;

import java.time.Duration;

/**
 * How {@link ContainerPeer} opens its region: {@code --create} makes a fresh one (replacing a leftover of the same
 * name), otherwise it attaches, waiting for another process to create it.
 */
final class PeerRegions
{
    /** Default channel name. */
    static final String DEFAULT_CHANNEL = "messages";
    /** Default channel capacity. */
    static final long DEFAULT_CAPACITY = 1 << 20;
    /** Default wait for a region created by another process. */
    static final Duration DEFAULT_ATTACH_TIMEOUT = Duration.ofSeconds(30);

    private PeerRegions()
    {
    }

    /**
     * Create or attach the region named by the arguments.
     * <p>
     * Options: {@code --create}, {@code --delete-on-close} (with {@code --create}), {@code --channel NAME},
     * {@code --capacity BYTES} (power of two), {@code --permissions OCTAL}, {@code --attach-timeout SECONDS}.
     *
     * @param args     parsed arguments.
     * @param location the region.
     * @return the open region.
     */
    static Region open(final PeerArguments args, final RegionLocation location)
    {
        if (args.flag("create"))
        {
            final RegionConfig config = RegionConfig.builder(location)
                .channel(channel(args), ChannelKind.ONE_TO_ONE, Math.toIntExact(args.number("capacity",
                    DEFAULT_CAPACITY)))
                .permissions(Integer.parseInt(args.string("permissions", "600"), 8))
                .deleteOnClose(args.flag("delete-on-close"))
                .build();
            try
            {
                return Region.create(config);
            }
            catch (final RegionExistsException ex)
            {
                System.out.println("REPLACING region=" + location + " (left over from an earlier run)");
                Region.delete(location);
                return Region.create(config);
            }
        }
        return Region.attach(location, args.seconds("attach-timeout", DEFAULT_ATTACH_TIMEOUT));
    }

    /**
     * The channel named by {@code --channel}, or {@value #DEFAULT_CHANNEL}.
     *
     * @param args parsed arguments.
     * @return the channel name.
     */
    static String channel(final PeerArguments args)
    {
        return args.string("channel", DEFAULT_CHANNEL);
    }
}
