package io.shmipc.tests.channels;

import io.shmipc.MessageHandler;
import io.shmipc.Publisher;
import io.shmipc.Region;
import io.shmipc.RegionLocation;
import io.shmipc.Subscriber;
import io.shmipc.tests.support.ChildArguments;
import io.shmipc.tests.support.ChildSupport;
import io.shmipc.tests.support.MessageGenerator;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.UnsafeBuffer;

import java.time.Duration;
import java.util.Arrays;

/**
 * Child process: the transmitter of a broadcast channel, paced by the receivers that must keep up.
 * <p>
 * A broadcast transmitter never waits for receivers, so on a machine where six processes share two cores a
 * receiver that is merely descheduled for a while could be lapped. The test needs receivers that certainly keep
 * up, so this sender paces itself on their progress: each paced receiver reports the last sequence it received
 * on a separate {@code MANY_TO_ONE} progress channel every few messages, and the sender never sends sequence
 * {@code s} while {@code s - window} is beyond what the slowest paced receiver reported, backing off with the
 * idle strategy meanwhile. With {@code window} records far smaller than the buffer (the test sizes it to a
 * quarter at most), a paced receiver can never be lapped, whatever the scheduler does. Unpaced receivers get
 * no such protection and are lapped if slow.
 * <p>
 * Arguments ({@code key=value}): {@code region}, {@code channel}, {@code progressChannel}, {@code count},
 * {@code seed}, {@code pacedReceivers}, {@code window}, optional {@code minPayload} (0), {@code maxPayload}
 * (200). Prints {@code READY}, waits for {@code GO}, sends, then prints
 * {@code SENT count=.. bytes=.. digest=.. pacingWaits=..}.
 */
public final class BroadcastSender
{
    private BroadcastSender()
    {
    }

    /**
     * Run the sender.
     *
     * @param args {@code key=value} arguments.
     */
    public static void main(final String[] args)
    {
        final ChildArguments arguments = ChildArguments.parse(args);
        final RegionLocation location = arguments.location("region");
        final long count = arguments.longValue("count");
        final long window = arguments.longValue("window");
        final long stuckNs = Duration.ofMillis(arguments.longValue("stuckMs", 30_000)).toNanos();
        final long[] progress = new long[arguments.integer("pacedReceivers")];
        Arrays.fill(progress, -1);
        final MessageHandler onProgress = (buffer, offset, length) ->
        {
            final int receiver = buffer.getInt(offset);
            progress[receiver] = Math.max(progress[receiver], buffer.getLong(offset + Long.BYTES));
        };
        final MessageGenerator generator = new MessageGenerator(arguments.longValue("seed"), 0,
            arguments.integer("minPayload", 0), arguments.integer("maxPayload", 200));

        try (Region region = Region.attach(location, Duration.ofSeconds(10));
            Publisher publisher = region.publisher(arguments.text("channel"));
            Subscriber progressSubscriber = region.subscriber(arguments.text("progressChannel")))
        {
            ChildSupport.println("READY pid=" + ProcessHandle.current().pid());
            ChildSupport.awaitCommand("GO");
            final UnsafeBuffer message = new UnsafeBuffer(new byte[publisher.maxMessageLength()]);
            final IdleStrategy idle = ChildSupport.idleStrategy();
            long pacingWaits = 0;
            for (long sequence = 0; sequence < count; sequence++)
            {
                progressSubscriber.poll(onProgress, 64);
                if (sequence - slowest(progress) > window)
                {
                    pacingWaits++;
                    final long waitStart = System.nanoTime();
                    idle.reset();
                    while (sequence - slowest(progress) > window)
                    {
                        idle.idle(progressSubscriber.poll(onProgress, 64));
                        if (System.nanoTime() - waitStart > stuckNs)
                        {
                            ChildSupport.exitIncomplete("STUCK sequence=" + sequence + " progress=" +
                                Arrays.toString(progress));
                        }
                    }
                }
                final int length = generator.prepare(sequence);
                generator.writeTo(message, 0);
                final long result = publisher.offer(message, 0, length);
                if (result != Publisher.OK)
                {
                    ChildSupport.exitIncomplete("FAILED offer result=" + result + " sequence=" + sequence);
                }
            }
            ChildSupport.println("SENT count=" + count + " bytes=" + generator.payloadBytes() + " digest=" +
                generator.digest() + " pacingWaits=" + pacingWaits);
        }
    }

    private static long slowest(final long[] progress)
    {
        long slowest = Long.MAX_VALUE;
        for (final long value : progress)
        {
            slowest = Math.min(slowest, value);
        }
        return slowest;
    }
}
