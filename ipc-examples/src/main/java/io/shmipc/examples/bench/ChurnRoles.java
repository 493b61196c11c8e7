package io.shmipc.examples.bench;

import io.shmipc.ChannelKind;
import io.shmipc.ChannelSpec;
import io.shmipc.Region;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A process that adds a channel to the region and removes it again, as fast as it can, for the warm-up and the
 * measured time of a run: the disturbance of the {@code churn} scenario.
 */
final class ChurnRoles
{
    /** The channel added and removed. */
    static final ChannelSpec CHANNEL = new ChannelSpec("churn", ChannelKind.ONE_TO_ONE, 1 << 16, 0);

    private ChurnRoles()
    {
    }

    static void churner(final RoleContext context) throws Exception
    {
        try (Region region = LibraryRoles.attach(context))
        {
            context.ready();
            final long end = System.nanoTime() + context.warmupNs() + context.durationNs();
            long changes = 0;
            while (System.nanoTime() - end < 0)
            {
                region.createChannel(CHANNEL);
                region.removeChannel(CHANNEL.name());
                changes += 2;
            }
            final Map<String, String> result = new LinkedHashMap<>();
            result.put(Keys.SENT, Long.toString(changes));
            context.result(result);
        }
    }
}
