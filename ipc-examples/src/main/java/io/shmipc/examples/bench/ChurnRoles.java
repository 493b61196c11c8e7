package io.shmipc.examples.bench;

import io.shmipc.ChannelKind;
import io.shmipc.ChannelSpec;
import io.shmipc.Region;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;

/**
 * A process that adds a channel to the region and removes it again every {@link #PAUSE_NS} (about a thousand
 * changes a second), for the warm-up and the measured time of a run: the disturbance of the {@code churn} scenario.
 * It sleeps between changes so that it measures what a change does to the traffic, not a third busy process on a
 * machine whose cores the ping-pong already keeps busy.
 */
final class ChurnRoles
{
    /** The channel added and removed. */
    static final ChannelSpec CHANNEL = new ChannelSpec("churn", ChannelKind.ONE_TO_ONE, 1 << 16, 0);
    /** Pause after each addition and each removal. */
    static final long PAUSE_NS = 500_000L;

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
                region.directory().createChannel(CHANNEL);
                LockSupport.parkNanos(PAUSE_NS);
                region.directory().removeChannel(CHANNEL.name());
                LockSupport.parkNanos(PAUSE_NS);
                changes += 2;
            }
            final Map<String, String> result = new LinkedHashMap<>();
            result.put(Keys.SENT, Long.toString(changes));
            context.result(result);
        }
    }
}
