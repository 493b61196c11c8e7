package io.shmipc;

import io.shmipc.exceptions.RegionExistsException;
import io.shmipc.exceptions.RegionNotFoundException;
import io.shmipc.exceptions.RegionStaleException;
import io.shmipc.region.RegionFiles;
import io.shmipc.region.RegionOpening;

/**
 * {@link Region#openOrCreate}: create the region, or attach to it (replacing it when stale) and open or add each
 * channel the configuration lists.
 */
final class RegionOpenOrCreate
{
    private static final int MAX_OPEN_OR_CREATE_ATTEMPTS = 8;

    private RegionOpenOrCreate()
    {
    }

    static Region open(final RegionConfig config)
    {
        final Region region = openOrCreateRegion(config);
        if (!region.wasCreated())
        {
            try
            {
                for (final ChannelSpec channel : config.channels())
                {
                    region.openOrCreateChannel(channel);
                }
            }
            catch (final RuntimeException ex)
            {
                region.closeAfterFailure(ex);
                throw ex;
            }
        }
        return region;
    }

    private static Region openOrCreateRegion(final RegionConfig config)
    {
        final RegionLocation location = config.location();
        for (int attempt = 1; ; attempt++)
        {
            try
            {
                return Region.create(config);
            }
            catch (final RegionExistsException exists)
            {
                if (config.replaceStale() && RegionFiles.unlinkIfStale(location))
                {
                    continue;
                }
                try
                {
                    return new Region(RegionOpening.attach(location, config.attachTimeout()),
                        config.deleteOnClose());
                }
                catch (final RegionStaleException stale)
                {
                    // Its creator died before making it READY: unusable, so always replaced.
                    if (!RegionFiles.unlinkIfStale(location) && attempt >= MAX_OPEN_OR_CREATE_ATTEMPTS)
                    {
                        throw stale;
                    }
                }
                catch (final RegionNotFoundException gone)
                {
                    if (attempt >= MAX_OPEN_OR_CREATE_ATTEMPTS)
                    {
                        throw gone;
                    }
                }
            }
        }
    }
}
