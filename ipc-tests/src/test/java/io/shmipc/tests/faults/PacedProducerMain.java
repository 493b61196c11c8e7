package io.shmipc.tests.faults;

import io.shmipc.toolkit.InputLines;
import io.shmipc.tests.support.ChildSupport;
import io.shmipc.Publisher;
import io.shmipc.Region;
import io.shmipc.RegionLocation;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.UnsafeBuffer;

import java.time.Duration;
import java.util.concurrent.locks.LockSupport;

/**
 * A producer that keeps committing numbered messages at a moderate pace, waiting with back-off while the channel
 * is full, until told {@code STOP}.
 * <p>
 * Arguments: region, channel, producer id. Message: producer id (int) at 0, sequence (long) at 8.
 * Prints {@code STARTED}, {@code COMMITTED <id> <seq>} every 1000 messages, and {@code DONE <id> <count>}.
 */
public final class PacedProducerMain
{
    static final int MESSAGE_LENGTH = 16;
    static final int PRODUCER_OFFSET = 0;
    static final int SEQUENCE_OFFSET = 8;

    private PacedProducerMain()
    {
    }

    public static void main(final String[] args)
    {
        final RegionLocation location = RegionLocation.parse(args[0]);
        final String channel = args[1];
        final int producerId = Integer.parseInt(args[2]);
        final InputLines commands = ChildSupport.commands();
        final UnsafeBuffer message = new UnsafeBuffer(new byte[MESSAGE_LENGTH]);
        final IdleStrategy backPressure = new BackoffIdleStrategy(10, 10, 1_000, 1_000_000);
        long committed = 0;
        try (Region region = Region.attach(location, Duration.ofSeconds(10));
            Publisher publisher = region.publisher(channel))
        {
            ChildSupport.println("STARTED " + producerId);
            while (commands.isEmpty())
            {
                message.putInt(PRODUCER_OFFSET, producerId);
                message.putLong(SEQUENCE_OFFSET, committed);
                backPressure.reset();
                long result;
                while ((result = publisher.offer(message, 0, MESSAGE_LENGTH)) == Publisher.BACK_PRESSURED &&
                    commands.isEmpty())
                {
                    backPressure.idle();
                }
                if (result != Publisher.OK)
                {
                    break;
                }
                committed++;
                if (committed % 1000 == 0)
                {
                    ChildSupport.println("COMMITTED " + producerId + " " + (committed - 1));
                }
                LockSupport.parkNanos(20_000);
            }
        }
        ChildSupport.println("DONE " + producerId + " " + committed);
    }
}
