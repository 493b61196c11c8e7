package io.shmipc.tests.faults;

import io.shmipc.tests.support.ChildSupport;
import io.shmipc.Region;
import io.shmipc.RegionLocation;
import io.shmipc.Subscriber;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.IdleStrategy;

import java.time.Duration;
import java.util.concurrent.locks.LockSupport;

/**
 * A consumer of sequence-numbered messages (sequence as a long at offset 0) that polls in batches of a fixed
 * limit. It can stall forever inside its handler on a chosen sequence, so the test kills it in the middle of a
 * batch; or it consumes until a last sequence and prints a summary.
 * <p>
 * Arguments: region, channel, batch limit, stall sequence (-1 for none), last sequence (-1 for none), verbose.
 * Prints {@code SUBSCRIBED}; when verbose {@code GOT <seq>} per message and {@code POLLED <n>} after each
 * non-empty poll; {@code STALLED <seq>}; {@code SUMMARY first=.. last=.. count=.. outOfOrder=.. duplicates=..}.
 */
public final class StallingConsumerMain
{
    private final long stallSequence;
    private final boolean verbose;
    private long first = -1;
    private long last = -1;
    private long count;
    private long outOfOrder;

    private StallingConsumerMain(final long stallSequence, final boolean verbose)
    {
        this.stallSequence = stallSequence;
        this.verbose = verbose;
    }

    public static void main(final String[] args)
    {
        final RegionLocation location = RegionLocation.parse(args[0]);
        final String channel = args[1];
        final int limit = Integer.parseInt(args[2]);
        final long lastSequence = Long.parseLong(args[4]);
        final StallingConsumerMain consumer = new StallingConsumerMain(Long.parseLong(args[3]),
            Boolean.parseBoolean(args[5]));
        final IdleStrategy idle = new BackoffIdleStrategy(10, 10, 1_000, 1_000_000);
        try (Region region = Region.attach(location, Duration.ofSeconds(10));
            Subscriber subscriber = region.subscriber(channel))
        {
            ChildSupport.println("SUBSCRIBED");
            while (consumer.last != lastSequence || lastSequence < 0)
            {
                final int read = subscriber.poll(consumer::onMessage, limit);
                if (read > 0 && consumer.verbose)
                {
                    ChildSupport.println("POLLED " + read);
                }
                idle.idle(read);
            }
            ChildSupport.println("SUMMARY first=" + consumer.first + " last=" + consumer.last + " count=" +
                consumer.count + " outOfOrder=" + consumer.outOfOrder + " unblocked=" + subscriber.unblockedRecords());
        }
    }

    private void onMessage(final DirectBuffer buffer, final int offset, final int length)
    {
        final long sequence = buffer.getLong(offset);
        if (verbose)
        {
            ChildSupport.println("GOT " + sequence);
        }
        if (first < 0)
        {
            first = sequence;
        }
        else if (sequence != last + 1)
        {
            outOfOrder++;
        }
        last = sequence;
        count++;
        if (sequence == stallSequence)
        {
            ChildSupport.println("STALLED " + sequence);
            while (true)
            {
                LockSupport.park();
            }
        }
    }
}
