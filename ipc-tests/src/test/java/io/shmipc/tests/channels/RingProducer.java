package io.shmipc.tests.channels;

import io.shmipc.ChannelKind;
import io.shmipc.Claim;
import io.shmipc.Publisher;
import io.shmipc.Region;
import io.shmipc.RegionConfig;
import io.shmipc.RegionLocation;
import io.shmipc.tests.support.ChildArguments;
import io.shmipc.tests.support.ChildSupport;
import io.shmipc.tests.support.MessageGenerator;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.UnsafeBuffer;

import java.time.Duration;

/**
 * Child process: publishes one source's stream of {@link io.shmipc.tests.support.SequencedMessage}s on a ring
 * channel, then an end-of-stream marker, waiting on back-pressure with a back-off idle strategy.
 * <p>
 * Arguments ({@code key=value}): {@code region} (shm name or file path), {@code channel}, {@code count},
 * {@code seed}, optional {@code source} (0), {@code minPayload} (1), {@code maxPayload} (1024),
 * {@code claim} (false: copy with {@code offer}; true: {@code tryClaim}/{@code commit}), {@code awaitGo}
 * (false: start at once; true: wait for {@code GO} on standard input after READY), {@code create} (false: attach;
 * true: create the region with one channel of {@code kind} and {@code capacity}), {@code attachTimeoutMs}.
 * <p>
 * Prints {@code READY source=.. pid=..} once it holds its publisher, and at the end
 * {@code SENT source=.. count=.. bytes=.. digest=.. backPressured=..}. Exits with
 * {@link ChildSupport#EXIT_INCOMPLETE} after {@code stuckMs} (30 s) of uninterrupted back-pressure.
 */
public final class RingProducer
{
    private RingProducer()
    {
    }

    /**
     * Run the producer.
     *
     * @param args {@code key=value} arguments.
     */
    public static void main(final String[] args)
    {
        final ChildArguments arguments = ChildArguments.parse(args);
        final RegionLocation location = arguments.location("region");
        final String channel = arguments.text("channel");
        final long count = arguments.longValue("count");
        final long seed = arguments.longValue("seed");
        final int source = arguments.integer("source", 0);
        final boolean claim = arguments.flag("claim", false);
        final long stuckNs = Duration.ofMillis(arguments.longValue("stuckMs", 30_000)).toNanos();
        final MessageGenerator generator = new MessageGenerator(seed, source, arguments.integer("minPayload", 1),
            arguments.integer("maxPayload", 1024));

        try (Region region = open(arguments, location, channel);
            Publisher publisher = region.publisher(channel))
        {
            ChildSupport.println("READY source=" + source + " pid=" + ProcessHandle.current().pid() +
                " created=" + region.wasCreated() + " seed=" + seed);
            if (arguments.flag("awaitGo", false))
            {
                ChildSupport.awaitCommand("GO");
            }
            final UnsafeBuffer message = new UnsafeBuffer(new byte[publisher.maxMessageLength()]);
            final Claim held = new Claim();
            final IdleStrategy idle = ChildSupport.idleStrategy();
            long backPressured = 0;
            for (long sequence = 0; sequence <= count; sequence++)
            {
                final boolean end = sequence == count;
                final int length = end ? generator.writeEndOfStream(message, 0) : generator.prepare(sequence);
                if (!end && !claim)
                {
                    generator.writeTo(message, 0);
                }
                long stuckSince = 0;
                idle.reset();
                while (true)
                {
                    final long result = claim && !end ? tryClaim(publisher, held, generator, length) :
                        publisher.offer(message, 0, length);
                    if (result == Publisher.OK)
                    {
                        break;
                    }
                    if (result != Publisher.BACK_PRESSURED)
                    {
                        ChildSupport.exitIncomplete("FAILED offer result=" + result + " sequence=" + sequence);
                    }
                    backPressured++;
                    final long now = System.nanoTime();
                    if (stuckSince == 0)
                    {
                        stuckSince = now;
                    }
                    else if (now - stuckSince > stuckNs)
                    {
                        ChildSupport.exitIncomplete("STUCK source=" + source + " sequence=" + sequence +
                            " subscriberAlive=" + publisher.isConsumerAlive());
                    }
                    idle.idle();
                }
            }
            ChildSupport.println("SENT source=" + source + " count=" + count + " bytes=" +
                generator.payloadBytes() + " digest=" + generator.digest() + " backPressured=" + backPressured);
        }
    }

    private static Region open(final ChildArguments arguments, final RegionLocation location, final String channel)
    {
        if (arguments.flag("create", false))
        {
            return Region.create(RegionConfig.builder(location)
                .channel(channel, ChannelKind.valueOf(arguments.text("kind", "ONE_TO_ONE")),
                    arguments.integer("capacity"))
                .build());
        }
        return Region.attach(location, Duration.ofMillis(arguments.longValue("attachTimeoutMs", 10_000)));
    }

    private static long tryClaim(
        final Publisher publisher, final Claim claim, final MessageGenerator generator, final int length)
    {
        final long result = publisher.tryClaim(length, claim);
        if (result == Publisher.OK)
        {
            generator.writeTo(claim.buffer(), claim.offset());
            claim.commit();
        }
        return result;
    }
}
