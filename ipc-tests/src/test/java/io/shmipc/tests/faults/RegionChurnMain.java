package io.shmipc.tests.faults;

import io.shmipc.ChannelKind;
import io.shmipc.Publisher;
import io.shmipc.Region;
import io.shmipc.RegionConfig;
import io.shmipc.RegionLocation;
import io.shmipc.Subscriber;
import io.shmipc.region.MappedRegion;
import io.shmipc.region.RegionCreation;
import io.shmipc.tests.support.ChildSupport;
import io.shmipc.toolkit.InputLines;

import org.agrona.concurrent.UnsafeBuffer;

import java.time.Duration;

/**
 * Creates a region and deletes it again, over and over, until told to stop or killed: what the atomic-creation
 * tests watch from outside and kill at random moments.
 * <p>
 * Arguments: {@code <region> <capacity> unnamed|temporary}: where, the capacity of its one {@code MANY_TO_ONE}
 * channel (a large one makes creation take long enough to be caught in the middle), and how the region is built
 * before it gets its name (an unnamed file, or a file under a temporary name as on file systems without unnamed
 * files). Each region is used before it is deleted: {@value #MESSAGES} messages through its channel. Prints
 * {@code LENGTH <region length>} once, then {@code CREATED <n>} after each creation. Stops on {@code EXIT} or the end
 * of its input.
 */
public final class RegionChurnMain
{
    private static final int MESSAGES = 10_000;

    private RegionChurnMain()
    {
    }

    public static void main(final String[] args)
    {
        final InputLines commands = ChildSupport.commands();
        final RegionConfig config = RegionConfig.builder(RegionLocation.parse(args[0]))
            .channel("c", ChannelKind.MANY_TO_ONE, Integer.parseInt(args[1])).build();
        final boolean unnamed = args[2].equals("unnamed");
        for (long created = 1; commands.isEmpty(); created++)
        {
            final MappedRegion region = RegionCreation.create(config, unnamed);
            if (created == 1)
            {
                ChildSupport.println("LENGTH " + region.layout().regionLength());
            }
            ChildSupport.println("CREATED " + created);
            try (Region attached = Region.attach(config.location(), Duration.ZERO))
            {
                exchange(attached);
            }
            region.close(true);
        }
        ChildSupport.println("EXITED");
    }

    private static void exchange(final Region region)
    {
        final UnsafeBuffer message = new UnsafeBuffer(new byte[Long.BYTES]);
        final long[] received = new long[1];
        try (Publisher publisher = region.publisher("c"); Subscriber subscriber = region.subscriber("c"))
        {
            for (long i = 0; i < MESSAGES; i++)
            {
                message.putLong(0, i);
                if (publisher.offer(message, 0, Long.BYTES) != Publisher.OK)
                {
                    throw new IllegalStateException("offer refused: " + i);
                }
                subscriber.poll((buffer, offset, length) -> received[0] += buffer.getLong(offset) >= 0 ? 1 : 0, 16);
            }
            while (received[0] < MESSAGES)
            {
                subscriber.poll((buffer, offset, length) -> received[0]++, 256);
            }
        }
    }
}
