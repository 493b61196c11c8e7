package io.shmipc;

import io.shmipc.region.RegionOpening;

/**
 * {@link Region#openOrCreate}: create the region, or attach to it (replacing it when stale) and open or add each
 * channel the configuration lists.
 */
final class RegionOpenOrCreate
{
    private RegionOpenOrCreate()
    {
    }

    static Region open(final RegionConfig config)
    {
        final Region region = new Region(RegionOpening.openOrCreate(config), config.deleteOnClose());
        if (!region.wasCreated())
        {
            try
            {
                for (final ChannelSpec channel : config.channels())
                {
                    region.directory().openOrCreateChannel(channel);
                }
            }
            catch (final RuntimeException ex)
            {
                region.openEndpoints().closeAfterFailure(ex);
                throw ex;
            }
        }
        return region;
    }
}
