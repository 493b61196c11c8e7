package tour;

import io.shmipc.BatchingPublisher;
import io.shmipc.ChannelKind;
import io.shmipc.ChannelStatus;
import io.shmipc.Claim;
import io.shmipc.Publisher;
import io.shmipc.Region;
import io.shmipc.RegionConfig;
import io.shmipc.RegionInspector;
import io.shmipc.RegionLocation;
import io.shmipc.Subscriber;
import org.agrona.concurrent.UnsafeBuffer;

import java.time.Duration;

/**
 * Uses the shm-ipc API as an application would, from its own module or from the class path: creates a region,
 * publishes by copy, by claim and in a batch, polls with a blocking wait, and reads the counters back. Prints one
 * line per step; on a missing JVM flag it prints the library's message.
 */
public final class ApiTour
{
    private ApiTour()
    {
    }

    public static void main(final String[] args)
    {
        final RegionConfig config = RegionConfig.builder(RegionLocation.shm(args[0]))
            .channel("ring", ChannelKind.MANY_TO_ONE, 64 * 1024)
            .channel("fan", ChannelKind.BROADCAST, 64 * 1024)
            .deleteOnClose(true)
            .build();
        System.out.println("MODULE " + (Region.class.getModule().isNamed() ? Region.class.getModule().getName() :
            "unnamed") + " app=" + (ApiTour.class.getModule().isNamed() ? ApiTour.class.getModule().getName() :
            "unnamed"));
        try (Region region = Region.create(config))
        {
            final Publisher publisher = region.publisher("ring");
            final Subscriber subscriber = region.subscriber("ring");
            final UnsafeBuffer message = new UnsafeBuffer(new byte[8]);
            message.putLong(0, 41);
            System.out.println("OFFER " + publisher.offer(message, 0, 8));
            final Claim claim = new Claim();
            publisher.tryClaim(8, claim);
            claim.buffer().putLong(claim.offset(), 42);
            claim.commit();
            final BatchingPublisher batching = publisher.batching(256);
            message.putLong(0, 43);
            batching.offer(message, 0, 8);
            batching.flush();
            final long[] sum = new long[1];
            int received = 0;
            while (received < 3)
            {
                received += subscriber.poll((buffer, offset, length) -> sum[0] += buffer.getLong(offset), 10,
                    Duration.ofSeconds(5));
            }
            System.out.println("RECEIVED " + received + " sum=" + sum[0] + " wakeUp=" + subscriber.wakeUpMechanism());
            final Publisher transmitter = region.publisher("fan");
            final Subscriber receiver = region.subscriber("fan");
            transmitter.offer(message, 0, 8);
            System.out.println("BROADCAST " + receiver.poll((buffer, offset, length) -> { }, 10) + " connected=" +
                transmitter.connectedSubscribers());
            try (RegionInspector inspector = RegionInspector.open(region.location()))
            {
                final ChannelStatus ring = inspector.channels().get(0);
                System.out.println("INSPECTED " + ring.spec().name() + " consumed=" + ring.counts().consumedMessages());
            }
        }
        catch (final IllegalStateException ex)
        {
            System.out.println("REFUSED " + ex.getMessage());
        }
    }
}
