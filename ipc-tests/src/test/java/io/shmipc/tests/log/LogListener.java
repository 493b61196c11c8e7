package io.shmipc.tests.log;

import io.shmipc.MessageHandler;
import io.shmipc.Region;
import io.shmipc.Subscriber;
import io.shmipc.SubscriberOptions;
import io.shmipc.exceptions.CorruptRegionException;
import io.shmipc.tests.support.ChildArguments;
import io.shmipc.tests.support.ChildSupport;
import io.shmipc.toolkit.SequencedMessage;
import io.shmipc.tests.support.StreamVerifier;
import org.agrona.concurrent.IdleStrategy;

import java.time.Duration;
import java.util.concurrent.locks.LockSupport;

/**
 * Child process: a subscriber of a publish-subscribe channel, checking every message with a
 * {@link StreamVerifier}. It stops at sequence {@code count - 1} or at the first end-of-stream marker (whose ordinal,
 * in the payload-length field, says how many markers it skipped before it).
 * <p>
 * Arguments ({@code key=value}): {@code region}, {@code channel}, {@code id}, {@code count}, optional {@code mode}
 * ({@code tethered} or {@code untethered}), {@code window} (bytes, untethered), {@code start} ({@code next} or
 * {@code oldest}), {@code demoteAfterMs} (0), {@code pauseEvery} and {@code pauseMicros} (a slow subscriber),
 * {@code stopAfter} (-1: after that many messages it stops polling and parks until killed or continued),
 * {@code maxPayload} (200), {@code stallMs} (30 s). Prints {@code READY id=.. position=..}, {@code STOPPED id=..}
 * when it stops polling, then {@code RESULT id=.. lost=.. endOrdinal=.. tethered=.. <verifier counts>}; on a
 * corrupt region {@code CORRUPT id=.. field=..} and exit status 4.
 */
public final class LogListener
{
    private LogListener()
    {
    }

    /**
     * Run the subscriber.
     *
     * @param args {@code key=value} arguments.
     */
    public static void main(final String[] args)
    {
        final ChildArguments arguments = ChildArguments.parse(args);
        final int id = arguments.integer("id");
        try (Region region = Region.attach(arguments.location("region"), Duration.ofSeconds(10));
            Subscriber subscriber = region.subscriber(arguments.text("channel"), options(arguments)))
        {
            ChildSupport.println("READY id=" + id + " pid=" + ProcessHandle.current().pid() + " position=" +
                subscriber.position());
            run(arguments, id, subscriber);
        }
        catch (final CorruptRegionException ex)
        {
            ChildSupport.println("CORRUPT id=" + id + " field=" + ex.field());
            System.exit(LogSender.EXIT_CORRUPT);
        }
    }

    private static SubscriberOptions options(final ChildArguments arguments)
    {
        SubscriberOptions options = SubscriberOptions.defaults();
        if ("untethered".equals(arguments.text("mode", "tethered")))
        {
            final int window = arguments.integer("window", 0);
            options = window > 0 ? options.untethered(window) : options.untethered();
        }
        if (arguments.longValue("demoteAfterMs", 0) > 0)
        {
            options = options.demoteAfter(Duration.ofMillis(arguments.longValue("demoteAfterMs")));
        }
        return "oldest".equals(arguments.text("start", "next")) ? options.fromOldest() : options;
    }

    private static void run(final ChildArguments arguments, final int id, final Subscriber subscriber)
    {
        final long count = arguments.longValue("count");
        final int pauseEvery = arguments.integer("pauseEvery", 0);
        final long pauseNs = arguments.longValue("pauseMicros", 0) * 1_000L;
        final long stopAfter = arguments.longValue("stopAfter", -1);
        final long stallNs = Duration.ofMillis(arguments.longValue("stallMs", 30_000)).toNanos();
        final StreamVerifier verifier = new StreamVerifier(0, count, arguments.integer("maxPayload", 200));
        final int[] endOrdinal = {-1};
        final MessageHandler handler = (buffer, offset, length) ->
        {
            if (endOrdinal[0] >= 0)
            {
                return;
            }
            if (SequencedMessage.sequence(buffer, offset) == SequencedMessage.END_OF_STREAM)
            {
                endOrdinal[0] = buffer.getInt(offset + SequencedMessage.PAYLOAD_LENGTH_OFFSET);
                return;
            }
            verifier.onMessage(buffer, offset, length);
            if (pauseEvery > 0 && verifier.received() % pauseEvery == 0)
            {
                LockSupport.parkNanos(pauseNs);
            }
        };
        final IdleStrategy idle = ChildSupport.idleStrategy();
        long lastProgress = System.nanoTime();
        while (verifier.lastSequence() < count - 1 && endOrdinal[0] < 0)
        {
            if (verifier.received() == stopAfter)
            {
                ChildSupport.println("STOPPED id=" + id + " received=" + verifier.received());
                ChildSupport.awaitCommand("CONTINUE");
                lastProgress = System.nanoTime();
            }
            final int received = subscriber.poll(handler, stopAfter > 0 ? 1 : 64);
            if (received > 0)
            {
                lastProgress = System.nanoTime();
            }
            else if (System.nanoTime() - lastProgress > stallNs)
            {
                ChildSupport.exitIncomplete("STALLED id=" + id + " lost=" + subscriber.lostMessages() + " " +
                    verifier.describe());
            }
            idle.idle(received);
        }
        ChildSupport.println("RESULT id=" + id + " lost=" + subscriber.lostMessages() + " endOrdinal=" +
            endOrdinal[0] + " tethered=" + subscriber.isTethered() + " " + verifier.describe());
    }
}
