package io.shmipc.tests.wait;

import io.shmipc.ChannelKind;
import io.shmipc.Publisher;
import io.shmipc.Region;
import io.shmipc.RegionConfig;
import io.shmipc.RegionLocation;
import io.shmipc.Subscriber;
import io.shmipc.tests.support.ChildSupport;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.YieldingIdleStrategy;

import java.time.Duration;
import java.util.SplittableRandom;
import java.util.concurrent.locks.LockSupport;

/**
 * Child processes of the wake-up tests.
 * <ul>
 * <li>{@code consume NAME KIND TIMEOUT_MS}: create the region, then receive sequence-numbered messages with
 * blocking polls until the end marker (sequence -1); print {@code DONE received=N missedWakeups=M outOfOrder=O}.
 * </li>
 * <li>{@code produce NAME SECONDS SEED}: attach, send bursts of 1..50 messages separated by random pauses of 0..5 ms
 * for SECONDS, then the end marker; print {@code SENT n}.</li>
 * <li>{@code idle NAME}: create the region, print WAITING and block in poll for up to 60 s.</li>
 * <li>{@code watch NAME TIMEOUT_MS}: create the region, print WAITING, block in polls of TIMEOUT_MS; print
 * {@code PUBLISHERS n} after a poll that timed out, and stop once a publisher was seen and is gone.</li>
 * <li>{@code hold NAME}: attach as publisher, print ATTACHED, park forever.</li>
 * <li>{@code sleep NAME}: attach as subscriber, print WAITING, then receive as {@code consume} does, with blocking
 * polls of up to 30 s.</li>
 * </ul>
 */
public final class WakeUpPeer
{
    /** The thread of role {@code idle} that blocks. */
    static final String IDLE_CONSUMER_THREAD = "idle-consumer";
    /** The thread of role {@code idle} that only sleeps, as often as the consumer wakes. */
    static final String REFERENCE_THREAD = "idle-reference";

    private WakeUpPeer()
    {
    }

    public static void main(final String[] args) throws Exception
    {
        final RegionLocation location = RegionLocation.shm(args[1]);
        switch (args[0])
        {
            case "consume" ->
                consume(location, ChannelKind.valueOf(args[2]), Duration.ofMillis(Long.parseLong(args[3])));
            case "produce" -> produce(location, Integer.parseInt(args[2]), Long.parseLong(args[3]));
            case "idle" -> idle(location);
            case "watch" -> watch(location, Duration.ofMillis(Long.parseLong(args[2])));
            case "hold" -> hold(location);
            case "sleep" -> sleep(location);
            default -> throw new IllegalArgumentException(args[0]);
        }
    }

    static RegionConfig config(final RegionLocation location, final ChannelKind kind)
    {
        return RegionConfig.builder(location).channel("c", kind, 1 << 20).build();
    }

    private static void consume(final RegionLocation location, final ChannelKind kind, final Duration timeout)
    {
        try (Region region = Region.create(config(location, kind)))
        {
            final Subscriber subscriber = region.subscriber("c");
            System.out.println("READY");
            receiveUntilEnd(subscriber, timeout);
        }
    }

    private static void sleep(final RegionLocation location)
    {
        try (Region region = Region.attach(location, Duration.ofSeconds(30)))
        {
            final Subscriber subscriber = region.subscriber("c");
            System.out.println("WAITING");
            receiveUntilEnd(subscriber, Duration.ofSeconds(30));
        }
    }

    /**
     * Receive sequence-numbered messages with blocking polls until the end marker (sequence -1), then print
     * {@code DONE received=N missedWakeups=M outOfOrder=O mechanism=X}.
     */
    private static void receiveUntilEnd(final Subscriber subscriber, final Duration timeout)
    {
        final long[] next = {0};
        final long[] outOfOrder = {0};
        final boolean[] ended = {false};
        long received = 0;
        while (!ended[0])
        {
            subscriber.poll((buffer, offset, length) ->
            {
                final long sequence = buffer.getLong(offset);
                if (sequence == -1)
                {
                    ended[0] = true;
                    return;
                }
                if (sequence != next[0])
                {
                    outOfOrder[0]++;
                }
                next[0] = sequence + 1;
            }, 256, timeout);
            received = next[0];
        }
        System.out.println("DONE received=" + received + " missedWakeups=" + subscriber.missedWakeups() +
            " outOfOrder=" + outOfOrder[0] + " mechanism=" + subscriber.wakeUpMechanism());
    }

    private static void produce(final RegionLocation location, final int seconds, final long seed)
    {
        try (Region region = Region.attach(location, Duration.ofSeconds(30)))
        {
            final Publisher publisher = region.publisher("c");
            final UnsafeBuffer message = new UnsafeBuffer(new byte[64]);
            final SplittableRandom random = new SplittableRandom(seed);
            final YieldingIdleStrategy idle = new YieldingIdleStrategy();
            final long end = System.nanoTime() + Duration.ofSeconds(seconds).toNanos();
            long sent = 0;
            while (System.nanoTime() < end)
            {
                final int burst = 1 + random.nextInt(50);
                for (int i = 0; i < burst; i++)
                {
                    message.putLong(0, sent);
                    while (publisher.offer(message, 0, 8 + random.nextInt(56)) != Publisher.OK)
                    {
                        idle.idle();
                    }
                    sent++;
                }
                LockSupport.parkNanos(random.nextLong(5_000_001L));
            }
            message.putLong(0, -1);
            while (publisher.offer(message, 0, 8) != Publisher.OK)
            {
                idle.idle();
            }
            System.out.println("SENT " + sent);
        }
    }

    private static void idle(final RegionLocation location) throws InterruptedException
    {
        try (Region region = Region.create(config(location, ChannelKind.ONE_TO_ONE)))
        {
            final Subscriber subscriber = region.subscriber("c");
            ChildSupport.startIdleReference(REFERENCE_THREAD);
            final Thread consumer = new Thread(() ->
            {
                ChildSupport.warmUp(() -> subscriber.poll((buffer, offset, length) -> { }, 10,
                    ChildSupport.WARM_UP_WAIT));
                System.out.println("WAITING");
                final int received = subscriber.poll((buffer, offset, length) -> { }, 10, Duration.ofSeconds(60));
                System.out.println("RETURNED " + received);
            }, IDLE_CONSUMER_THREAD);
            consumer.start();
            consumer.join();
        }
    }

    private static void watch(final RegionLocation location, final Duration timeout)
    {
        try (Region region = Region.create(config(location, ChannelKind.MANY_TO_ONE)))
        {
            final Subscriber subscriber = region.subscriber("c");
            System.out.println("WAITING");
            boolean seen = false;
            while (true)
            {
                final long start = System.nanoTime();
                final int received = subscriber.poll((buffer, offset, length) -> { }, 10, timeout);
                final int publishers = subscriber.connectedPublishers();
                if (received == 0)
                {
                    System.out.println("PUBLISHERS " + publishers + " afterMs=" +
                        (System.nanoTime() - start) / 1_000_000);
                }
                seen |= publishers > 0;
                if (seen && publishers == 0)
                {
                    System.out.println("PUBLISHER DEAD");
                    return;
                }
            }
        }
    }

    private static void hold(final RegionLocation location)
    {
        try (Region region = Region.attach(location, Duration.ofSeconds(30)))
        {
            region.publisher("c");
            System.out.println("ATTACHED");
            while (true)
            {
                LockSupport.park();
            }
        }
    }
}
