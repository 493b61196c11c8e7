package io.shmipc.examples.container;

import io.shmipc.examples.support.ExitCodes;

import io.shmipc.ChannelKind;
import io.shmipc.Region;
import io.shmipc.RegionConfig;
import io.shmipc.RegionLocation;
import io.shmipc.exceptions.ShmIpcException;

/**
 * {@code create REGION BYTES}: create a region with one channel of BYTES (rounded down to a power of two), report,
 * and delete it. Shows whether a region of that size fits where this process runs, for example in a container's
 * {@code /dev/shm}: {@code CREATED region=... length=n}, or {@code FAILED <exception>: <message>} (status 2).
 */
final class RegionSizeProbe
{
    private static final long MIN_CAPACITY = 1 << 10;
    private static final long MAX_CAPACITY = 1 << 30;

    private RegionSizeProbe()
    {
    }

    /**
     * Run the probe.
     *
     * @param args parsed arguments.
     * @return the exit status.
     */
    static int run(final PeerArguments args)
    {
        final RegionLocation location = args.location(0);
        final long bytes = PeerArguments.parseSize(args.positional(1, "size in bytes (e.g. 128m)"));
        final long capacity = Math.max(MIN_CAPACITY, Math.min(MAX_CAPACITY, Long.highestOneBit(bytes)));
        final RegionConfig config = RegionConfig.builder(location)
            .channel(PeerRegions.channel(args), ChannelKind.ONE_TO_ONE, (int)capacity)
            .deleteOnClose(!args.flag("keep"))
            .build();
        try (Region region = Region.create(config))
        {
            System.out.println("CREATED region=" + location + " length=" + region.length());
            return 0;
        }
        catch (final ShmIpcException ex)
        {
            System.out.println("FAILED " + ex.getClass().getSimpleName() + ": " + ex.getMessage());
            return ExitCodes.FAILURE;
        }
    }
}
