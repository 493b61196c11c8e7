package io.shmipc.tests.channels;

import io.shmipc.MessageHandler;
import io.shmipc.Publisher;
import io.shmipc.Region;
import io.shmipc.RegionLocation;
import io.shmipc.Subscriber;
import io.shmipc.tests.support.ChildArguments;
import io.shmipc.tests.support.ChildSupport;
import io.shmipc.toolkit.SequencedMessage;
import io.shmipc.tests.support.StreamVerifier;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.UnsafeBuffer;

import java.time.Duration;
import java.util.concurrent.locks.LockSupport;

/**
 * Child process: a receiver of a broadcast channel. It verifies every message it gets with a
 * {@link StreamVerifier} (CRC, length, strictly increasing sequence, the gaps going forward) and stops once it
 * has the last message the sender sends (sequence {@code count - 1}; the last message can never be overwritten,
 * so even a lapped receiver gets it).
 * <p>
 * A paced receiver ({@code progressChannel} given) reports its progress to {@link BroadcastSender} every
 * {@code reportEvery} messages. A slow receiver ({@code pauseEvery} and {@code pauseMicros} given) stops inside
 * its handler for {@code pauseMicros} every {@code pauseEvery} messages, to be lapped.
 * <p>
 * Arguments ({@code key=value}): {@code region}, {@code channel}, {@code id}, {@code count}, optional
 * {@code progressChannel}, {@code reportEvery} (128), {@code pauseEvery} (0), {@code pauseMicros} (0),
 * {@code maxPayload} (200), {@code stallMs} (20 s). Prints {@code READY id=..}, then
 * {@code RESULT id=.. lost=.. <verifier counts>} where {@code lost} is the subscriber's
 * {@code lostMessages()}.
 */
public final class BroadcastListener
{
    private BroadcastListener()
    {
    }

    /**
     * Run the receiver.
     *
     * @param args {@code key=value} arguments.
     */
    public static void main(final String[] args)
    {
        final ChildArguments arguments = ChildArguments.parse(args);
        final RegionLocation location = arguments.location("region");
        final int id = arguments.integer("id");
        final long count = arguments.longValue("count");
        final String progressChannel = arguments.text("progressChannel", "");
        final int reportEvery = arguments.integer("reportEvery", 128);
        final int pauseEvery = arguments.integer("pauseEvery", 0);
        final long pauseNs = arguments.longValue("pauseMicros", 0) * 1_000L;
        final long stallNs = Duration.ofMillis(arguments.longValue("stallMs", 20_000)).toNanos();
        final StreamVerifier verifier = new StreamVerifier(0, count, arguments.integer("maxPayload", 200));

        try (Region region = Region.attach(location, Duration.ofSeconds(10));
            Subscriber subscriber = region.subscriber(arguments.text("channel"));
            Publisher progress = progressChannel.isEmpty() ? null : region.publisher(progressChannel))
        {
            final UnsafeBuffer report = new UnsafeBuffer(new byte[Integer.BYTES + Long.BYTES * 2]);
            final IdleStrategy reportIdle = ChildSupport.idleStrategy();
            final MessageHandler handler = (buffer, offset, length) ->
            {
                verifier.onMessage(buffer, offset, length);
                final long received = verifier.received();
                if (progress != null && (received % reportEvery == 0 || verifier.lastSequence() == count - 1))
                {
                    report.putInt(0, id);
                    report.putLong(Long.BYTES, SequencedMessage.sequence(buffer, offset));
                    reportIdle.reset();
                    while (progress.offer(report, 0, report.capacity()) == Publisher.BACK_PRESSURED)
                    {
                        reportIdle.idle();
                    }
                }
                if (pauseEvery > 0 && received % pauseEvery == 0)
                {
                    LockSupport.parkNanos(pauseNs);
                }
            };
            ChildSupport.println("READY id=" + id + " pid=" + ProcessHandle.current().pid());
            final IdleStrategy idle = ChildSupport.idleStrategy();
            long lastProgress = System.nanoTime();
            while (verifier.lastSequence() < count - 1)
            {
                final int received = subscriber.poll(handler, 64);
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
            ChildSupport.println("RESULT id=" + id + " lost=" + subscriber.lostMessages() + " " +
                verifier.describe());
        }
    }
}
