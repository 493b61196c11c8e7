package io.shmipc.examples.container;

import io.shmipc.examples.support.ExitCodes;

import io.shmipc.MessageHandler;
import io.shmipc.Region;
import io.shmipc.RegionLocation;
import io.shmipc.Subscriber;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.IdleStrategy;

import java.nio.ByteOrder;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * {@code consume REGION COUNT}: receive the messages of {@link SequenceProducer} and check that their sequence
 * numbers run 1, 2, 3... without a gap.
 * <p>
 * Prints {@code READY ...}; {@code MESSAGE seq=n text="..."} for the first {@code --print} messages;
 * {@code RECEIVED n} every {@code --progress} messages; and ends with one of
 * <ul>
 * <li>{@code DONE received=n first=1 last=n contiguous=true} after COUNT messages (status 0);</li>
 * <li>{@code PUBLISHER GONE received=n last=n contiguous=true} when the publisher it saw is no longer alive
 * (answered by the kernel's locks) and every message left in the channel is read (status 0 when COUNT is 0,
 * else 4);</li>
 * <li>{@code OUT OF ORDER expected=n got=m} (status 1) or {@code TIMEOUT received=n} after {@code --timeout}
 * seconds (status 2).</li>
 * </ul>
 */
final class SequenceConsumer implements MessageHandler
{
    private static final long LIVENESS_CHECK_INTERVAL_NS = TimeUnit.MILLISECONDS.toNanos(10);
    private static final int FRAGMENT_LIMIT = 256;

    private final long toPrint;
    private long expected = 1;
    private long received;
    private long outOfOrder;

    private SequenceConsumer(final long toPrint)
    {
        this.toPrint = toPrint;
    }

    /**
     * Run the consumer.
     *
     * @param args parsed arguments.
     * @return the exit status.
     */
    static int run(final PeerArguments args)
    {
        final RegionLocation location = args.location(0);
        final long count = Long.parseLong(args.positional(1, "message count (0: until the publisher is gone)"));
        final long progress = args.number("progress", 10_000);
        final Duration timeout = args.seconds("timeout", Duration.ofMinutes(2));
        final String channel = PeerRegions.channel(args);
        final SequenceConsumer consumer = new SequenceConsumer(args.number("print", 3));
        final IdleStrategy idle = new BackoffIdleStrategy(100, 10, TimeUnit.MICROSECONDS.toNanos(1),
            TimeUnit.MILLISECONDS.toNanos(1));

        try (Region region = PeerRegions.open(args, location);
            Subscriber subscriber = region.subscriber(channel))
        {
            System.out.println("READY role=consumer region=" + location + " channel=" + channel + " " +
                PeerIdentity.describe());
            final long deadline = System.nanoTime() + timeout.toNanos();
            long nextCheck = System.nanoTime();
            long nextProgress = progress;
            boolean publisherSeen = false;
            while (true)
            {
                final int polled = subscriber.poll(consumer, FRAGMENT_LIMIT);
                if (consumer.outOfOrder != 0)
                {
                    System.out.println("OUT OF ORDER expected=" + consumer.expected + " got=" + consumer.outOfOrder);
                    return 1;
                }
                while (consumer.received >= nextProgress)
                {
                    System.out.println("RECEIVED " + nextProgress);
                    nextProgress += progress;
                }
                if (count != 0 && consumer.received >= count)
                {
                    System.out.println("DONE " + consumer.summary());
                    return 0;
                }
                if (polled > 0)
                {
                    idle.reset();
                    continue;
                }
                final long now = System.nanoTime();
                if (now - nextCheck >= 0)
                {
                    nextCheck = now + LIVENESS_CHECK_INTERVAL_NS;
                    if (subscriber.connectedPublishers() > 0)
                    {
                        publisherSeen = true;
                    }
                    else if (publisherSeen)
                    {
                        // Dead publishers commit nothing more: read what is left, then report.
                        while (subscriber.poll(consumer, FRAGMENT_LIMIT) > 0)
                        {
                            idle.reset();
                        }
                        if (consumer.outOfOrder != 0)
                        {
                            System.out.println("OUT OF ORDER expected=" + consumer.expected + " got=" +
                                consumer.outOfOrder);
                            return 1;
                        }
                        System.out.println("PUBLISHER GONE " + consumer.summary());
                        return count == 0 ? ExitCodes.OK : ExitCodes.PEER_GONE;
                    }
                    if (now - deadline >= 0)
                    {
                        System.out.println("TIMEOUT " + consumer.summary());
                        return ExitCodes.TIMEOUT;
                    }
                }
                idle.idle();
            }
        }
    }

    @Override
    public void onMessage(final DirectBuffer buffer, final int offset, final int length)
    {
        final long sequence = buffer.getLong(offset + SequenceProducer.SEQUENCE_OFFSET, ByteOrder.LITTLE_ENDIAN);
        if (sequence != expected)
        {
            if (outOfOrder == 0)
            {
                outOfOrder = sequence;
            }
            return;
        }
        if (received < toPrint)
        {
            System.out.println("MESSAGE seq=" + sequence + " text=\"message " + sequence +
                buffer.getStringWithoutLengthUtf8(offset + SequenceProducer.TEXT_OFFSET,
                length - SequenceProducer.TEXT_OFFSET) + "\"");
        }
        expected++;
        received++;
    }

    private String summary()
    {
        return "received=" + received + " first=" + (received == 0 ? 0 : 1) + " last=" + (expected - 1) +
            " contiguous=true";
    }
}
