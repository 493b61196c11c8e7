package io.shmipc.examples.container;

import io.shmipc.Publisher;
import io.shmipc.Region;
import io.shmipc.RegionLocation;
import io.shmipc.Subscriber;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * {@code watch REGION publisher|subscriber}: hold one end of a channel and print the liveness of the other end
 * each time it changes: {@code PEER subscriberAlive=true|false} for a publisher, {@code PEER publishers=n} for a
 * subscriber. Runs until killed, or for {@code --seconds}.
 * <p>
 * Liveness comes from the kernel's OFD locks on the region, so it is right across PID namespaces, where the pid
 * recorded in an endpoint slot means nothing (every container's first process is pid 1).
 */
final class LivenessWatcher
{
    private static final long CHECK_INTERVAL_NS = TimeUnit.MILLISECONDS.toNanos(20);

    private LivenessWatcher()
    {
    }

    /**
     * Run the watcher.
     *
     * @param args parsed arguments.
     * @return the exit status.
     */
    static int run(final PeerArguments args)
    {
        final RegionLocation location = args.location(0);
        final String role = args.positional(1, "role: publisher or subscriber");
        final Duration duration = args.seconds("seconds", Duration.ofDays(365));
        final String channel = PeerRegions.channel(args);
        if (!role.equals("publisher") && !role.equals("subscriber"))
        {
            throw new IllegalArgumentException("role must be publisher or subscriber: role=" + role);
        }
        final long deadline = System.nanoTime() + duration.toNanos();
        try (Region region = PeerRegions.open(args, location))
        {
            final Publisher publisher = role.equals("publisher") ? region.publisher(channel) : null;
            final Subscriber subscriber = publisher == null ? region.subscriber(channel) : null;
            System.out.println("READY role=" + role + " region=" + location + " channel=" + channel + " " +
                PeerIdentity.describe());
            String last = "";
            while (System.nanoTime() - deadline < 0)
            {
                final String state = publisher != null ?
                    "subscriberAlive=" + publisher.isConsumerAlive() :
                    "publishers=" + subscriber.connectedPublishers();
                if (!state.equals(last))
                {
                    System.out.println("PEER " + state);
                    last = state;
                }
                LockSupport.parkNanos(CHECK_INTERVAL_NS);
            }
            return 0;
        }
    }
}
