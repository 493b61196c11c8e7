package io.shmipc.tests.faults;

import io.shmipc.tests.support.ChildSupport;
import io.shmipc.BlockingIdleStrategy;
import io.shmipc.Region;
import io.shmipc.RegionLocation;
import io.shmipc.Subscriber;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.IdleStrategy;

import java.time.Duration;

/**
 * A consumer that sleeps on its channel between messages: {@code poll} with a long timeout (mode {@code poll}), or
 * a non-blocking {@code poll} driven by a {@link BlockingIdleStrategy} with a long longest sleep (mode
 * {@code idle}). Either way nothing but a wake-up, the timeout, or the subscriber's own look at a stuck ring ends a
 * sleep.
 * <p>
 * Arguments: region, channel, mode, timeout in milliseconds. Prints {@code SUBSCRIBED}, then for each message
 * {@code GOT <producer> <seq> nanoTime=<t> unblocked=<n>} with the {@link System#nanoTime()} of its delivery, and
 * {@code TIMEOUT} for each poll that returned nothing. Runs until killed.
 */
public final class BlockingConsumerMain
{
    private BlockingConsumerMain()
    {
    }

    public static void main(final String[] args)
    {
        final RegionLocation location = RegionLocation.parse(args[0]);
        final boolean idleMode = args[2].equals("idle");
        final Duration timeout = Duration.ofMillis(Long.parseLong(args[3]));
        try (Region region = Region.attach(location, Duration.ofSeconds(10));
            Subscriber subscriber = region.subscriber(args[1]))
        {
            final IdleStrategy idle = new BlockingIdleStrategy(subscriber, timeout);
            ChildSupport.println("SUBSCRIBED");
            while (true)
            {
                final int read = idleMode ? subscriber.poll((buffer, offset, length) ->
                    report(subscriber, buffer, offset), 64) : subscriber.poll((buffer, offset, length) ->
                    report(subscriber, buffer, offset), 64, timeout);
                if (idleMode)
                {
                    idle.idle(read);
                }
                else if (read == 0)
                {
                    ChildSupport.println("TIMEOUT");
                }
            }
        }
    }

    private static void report(final Subscriber subscriber, final DirectBuffer buffer, final int offset)
    {
        final long nanoTime = System.nanoTime();
        ChildSupport.println("GOT " + buffer.getInt(offset + PacedProducerMain.PRODUCER_OFFSET) + " " +
            buffer.getLong(offset + PacedProducerMain.SEQUENCE_OFFSET) + " nanoTime=" + nanoTime + " unblocked=" +
            subscriber.unblockedRecords());
    }
}
