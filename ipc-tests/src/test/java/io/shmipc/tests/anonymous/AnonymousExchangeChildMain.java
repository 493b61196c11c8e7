package io.shmipc.tests.anonymous;

import io.shmipc.Publisher;
import io.shmipc.Region;
import io.shmipc.RegionLocation;
import io.shmipc.Subscriber;
import io.shmipc.tests.support.ChildSupport;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.UnsafeBuffer;

import java.time.Duration;

/**
 * A child of {@link AnonymousExchangeMain}: attaches the anonymous region handed to it, subscribes to {@code fan},
 * says hello on {@code up}, then sends its messages up (child id, sequence, and a payload derived from both) while
 * checking every broadcast message: sequences strictly rising, and at the end received plus lost (as the
 * subscriber counts the messages it was lapped by) equal to what was broadcast.
 * <p>
 * Arguments: {@code <label> <child id> <messages> <broadcast messages>}. Prints
 * {@code CHILD id=<id> sent=<n> received=<n> lost=<n>}; exits 2 on a broadcast message out of order.
 */
public final class AnonymousExchangeChildMain
{
    /** Message length: child id (int) and padding, sequence (long), then payload. */
    static final int LENGTH = 64;
    /** The sequence of a child's first message on {@code up}. */
    static final long HELLO = -1;
    /** The sequence of the parent's last message on {@code fan}. */
    static final long END = Long.MAX_VALUE;

    private long lastBroadcast = -1;
    private long received;
    private boolean ended;

    private AnonymousExchangeChildMain()
    {
    }

    /**
     * Whether a message's payload is the one its child and sequence call for.
     *
     * @param buffer   the buffer.
     * @param offset   the message's start.
     * @param length   its length.
     * @param child    the child id it carries.
     * @param sequence the sequence it carries.
     * @return true when whole.
     */
    static boolean payloadMatches(final DirectBuffer buffer, final int offset, final int length, final int child,
        final long sequence)
    {
        if (length != LENGTH)
        {
            return false;
        }
        for (int at = 2 * Long.BYTES; at < LENGTH; at += Long.BYTES)
        {
            if (buffer.getLong(offset + at) != sequence * 31 + child + at)
            {
                return false;
            }
        }
        return true;
    }

    public static void main(final String[] args)
    {
        final String label = args[0];
        final int id = Integer.parseInt(args[1]);
        final long messages = Long.parseLong(args[2]);
        final long broadcast = Long.parseLong(args[3]);
        final AnonymousExchangeChildMain child = new AnonymousExchangeChildMain();
        try (Region region = Region.attach(RegionLocation.anonymous(label), Duration.ofSeconds(30));
            Subscriber fan = region.subscriber("fan");
            Publisher up = region.publisher("up"))
        {
            final UnsafeBuffer message = new UnsafeBuffer(new byte[LENGTH]);
            message.putInt(0, id);
            message.putLong(Long.BYTES, HELLO);
            offer(up, message);
            final IdleStrategy idle = ChildSupport.idleStrategy();
            long sent = 0;
            while (sent < messages || !child.ended)
            {
                int work = fan.poll(child::onBroadcast, 64);
                if (sent < messages)
                {
                    fill(message, id, sent);
                    if (up.offer(message, 0, LENGTH) == Publisher.OK)
                    {
                        sent++;
                        work++;
                    }
                }
                idle.idle(work);
            }
            final long lost = fan.lostMessages();
            ChildSupport.println("CHILD id=" + id + " sent=" + sent + " received=" + child.received + " lost=" + lost);
            if (child.received + lost != broadcast)
            {
                ChildSupport.exitIncomplete("CHILD-MISCOUNT id=" + id + " received+lost=" + (child.received + lost) +
                    " broadcast=" + broadcast);
            }
        }
    }

    private static void fill(final UnsafeBuffer message, final int id, final long sequence)
    {
        message.putInt(0, id);
        message.putLong(Long.BYTES, sequence);
        for (int at = 2 * Long.BYTES; at < LENGTH; at += Long.BYTES)
        {
            message.putLong(at, sequence * 31 + id + at);
        }
    }

    private static void offer(final Publisher publisher, final UnsafeBuffer message)
    {
        final long result = publisher.offer(message, 0, LENGTH, ChildSupport.idleStrategy(), 30_000_000_000L);
        if (result != Publisher.OK)
        {
            ChildSupport.exitIncomplete("HELLO-REFUSED result=" + result);
        }
    }

    private void onBroadcast(final DirectBuffer buffer, final int offset, final int length)
    {
        final long sequence = buffer.getLong(offset);
        if (sequence == END)
        {
            ended = true;
            return;
        }
        if (sequence <= lastBroadcast)
        {
            ChildSupport.exitIncomplete("BROADCAST-OUT-OF-ORDER sequence=" + sequence + " after=" + lastBroadcast);
        }
        lastBroadcast = sequence;
        received++;
    }
}
