package io.shmipc.tests.jvm;

import io.shmipc.ChannelKind;
import io.shmipc.Region;
import io.shmipc.RegionConfig;
import io.shmipc.RegionLocation;

/**
 * Runs without Agrona's {@code --add-exports} flag: each of two attempts to create a region prints the error.
 */
public final class FlaglessMain
{
    private FlaglessMain()
    {
    }

    public static void main(final String[] args)
    {
        for (int attempt = 1; attempt <= 2; attempt++)
        {
            final RegionConfig config = RegionConfig.builder(RegionLocation.shm(args[0]))
                .channel("c", ChannelKind.ONE_TO_ONE, 4096).deleteOnClose(true).build();
            try (Region region = Region.create(config))
            {
                System.out.println("CREATED " + region);
            }
            catch (final IllegalStateException ex)
            {
                System.out.println("ATTEMPT " + attempt + " " + ex.getClass().getSimpleName() + ": " + ex.getMessage());
            }
        }
    }
}
