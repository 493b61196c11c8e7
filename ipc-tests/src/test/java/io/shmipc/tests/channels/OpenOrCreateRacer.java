package io.shmipc.tests.channels;

import io.shmipc.ChannelKind;
import io.shmipc.Publisher;
import io.shmipc.Region;
import io.shmipc.RegionConfig;
import io.shmipc.RegionLocation;
import io.shmipc.Subscriber;
import io.shmipc.tests.support.ChildArguments;
import io.shmipc.tests.support.ChildSupport;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.UnsafeBuffer;

import java.time.Duration;
import java.util.TreeMap;
import java.util.UUID;

/**
 * Child process: one of several racers that call {@link Region#openOrCreate} at the same moment (when the test
 * writes {@code GO}), then prove they share one region. Every racer sends {@code (id, pid)} on the
 * {@code MANY_TO_ONE} channel {@code hello}; the racer that created the region collects all of them and answers
 * each racer on its own {@code ONE_TO_ONE} channel {@code ack-<id>} with its own pid; every racer waits for
 * that answer.
 * <p>
 * Arguments ({@code key=value}): {@code region}, {@code id}, {@code racers}. Prints {@code READY id=..}, then
 * {@code OPENED id=.. created=.. pid=..}, the creator {@code COLLECTED ids=..}, and every racer
 * {@code ACKED id=.. creatorPid=..}.
 */
public final class OpenOrCreateRacer
{
    private static final long TIMEOUT_NS = Duration.ofSeconds(30).toNanos();

    private OpenOrCreateRacer()
    {
    }

    /**
     * The configuration every racer passes to {@code openOrCreate}.
     *
     * @param location the region.
     * @param racers   how many racers.
     * @return the configuration.
     */
    static RegionConfig config(final RegionLocation location, final int racers)
    {
        final RegionConfig.Builder builder = RegionConfig.builder(location)
            .channel("hello", ChannelKind.MANY_TO_ONE, 64 * 1024)
            .attachTimeout(Duration.ofSeconds(20));
        for (int id = 0; id < racers; id++)
        {
            builder.channel("ack-" + id, ChannelKind.ONE_TO_ONE, 4096);
        }
        return builder.build();
    }

    /**
     * Run the racer.
     *
     * @param args {@code key=value} arguments.
     */
    public static void main(final String[] args)
    {
        final ChildArguments arguments = ChildArguments.parse(args);
        final int id = arguments.integer("id");
        final int racers = arguments.integer("racers");
        final long pid = ProcessHandle.current().pid();
        final RegionConfig config = config(arguments.location("region"), racers);
        final UnsafeBuffer message = new UnsafeBuffer(new byte[Integer.BYTES + Long.BYTES]);
        final IdleStrategy idle = ChildSupport.idleStrategy();
        warmUp(message, idle);
        ChildSupport.println("READY id=" + id + " pid=" + pid);
        ChildSupport.awaitCommand("GO");

        final long openStart = System.nanoTime();
        try (Region region = Region.openOrCreate(config))
        {
            ChildSupport.println("OPENED id=" + id + " created=" + region.wasCreated() + " pid=" + pid +
                " openMicros=" + (System.nanoTime() - openStart) / 1000);
            try (Publisher hello = region.publisher("hello"))
            {
                message.putInt(0, id);
                message.putLong(Integer.BYTES, pid);
                send(hello, message, idle);
            }
            try (Subscriber acks = region.subscriber("ack-" + id))
            {
                if (region.wasCreated())
                {
                    answerEveryRacer(region, racers, pid, message, idle);
                }
                final long[] creatorPid = {-1};
                final long deadline = System.nanoTime() + TIMEOUT_NS;
                while (creatorPid[0] < 0)
                {
                    idle.idle(acks.poll((buffer, offset, length) -> creatorPid[0] = buffer.getLong(offset), 1));
                    if (System.nanoTime() - deadline > 0)
                    {
                        ChildSupport.exitIncomplete("NO_ACK id=" + id);
                    }
                }
                ChildSupport.println("ACKED id=" + id + " creatorPid=" + creatorPid[0]);
            }
        }
    }

    /**
     * Load and link everything {@code openOrCreate} and the exchange use (classes, JNA's native binding) on a
     * private region, so that after {@code GO} the racers really race on the system calls rather than on class
     * loading, which takes most of a second with eight JVMs on two cores.
     */
    private static void warmUp(final UnsafeBuffer message, final IdleStrategy idle)
    {
        final RegionLocation location = RegionLocation.shm("shmipc-warmup-" + UUID.randomUUID());
        final RegionConfig config = RegionConfig.builder(location)
            .channel("hello", ChannelKind.MANY_TO_ONE, 64 * 1024).deleteOnClose(true).build();
        try (Region created = Region.openOrCreate(config);
            Region attached = Region.attach(config);
            Publisher publisher = attached.publisher("hello");
            Subscriber subscriber = created.subscriber("hello"))
        {
            send(publisher, message, idle);
            subscriber.poll((buffer, offset, length) -> { }, 1);
        }
    }

    private static void answerEveryRacer(
        final Region region, final int racers, final long pid, final UnsafeBuffer message, final IdleStrategy idle)
    {
        final TreeMap<Integer, Long> seen = new TreeMap<>();
        try (Subscriber hello = region.subscriber("hello"))
        {
            final long deadline = System.nanoTime() + TIMEOUT_NS;
            while (seen.size() < racers)
            {
                idle.idle(hello.poll((buffer, offset, length) ->
                    seen.put(buffer.getInt(offset), buffer.getLong(offset + Integer.BYTES)), 16));
                if (System.nanoTime() - deadline > 0)
                {
                    ChildSupport.exitIncomplete("MISSING_HELLO seen=" + seen);
                }
            }
        }
        ChildSupport.println("COLLECTED ids=" + String.join(",", seen.keySet().stream().map(String::valueOf)
            .toList()));
        for (final int racer : seen.keySet())
        {
            try (Publisher ack = region.publisher("ack-" + racer))
            {
                message.putLong(0, pid);
                message.putInt(Long.BYTES, racer);
                send(ack, message, idle);
            }
        }
    }

    private static void send(final Publisher publisher, final UnsafeBuffer message, final IdleStrategy idle)
    {
        idle.reset();
        final long deadline = System.nanoTime() + TIMEOUT_NS;
        long result;
        while ((result = publisher.offer(message, 0, message.capacity())) != Publisher.OK)
        {
            if (result != Publisher.BACK_PRESSURED || System.nanoTime() - deadline > 0)
            {
                ChildSupport.exitIncomplete("FAILED offer result=" + result + " channel=" + publisher.channel());
            }
            idle.idle();
        }
    }
}
