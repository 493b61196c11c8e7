package io.shmipc.tests.runtime;

import io.shmipc.Publisher;
import io.shmipc.Region;
import io.shmipc.Subscriber;
import io.shmipc.tests.support.ChildArguments;
import io.shmipc.tests.support.ChildSupport;
import org.agrona.concurrent.UnsafeBuffer;

import java.time.Duration;

/**
 * Child process: one side of a ping-pong over two existing {@code ONE_TO_ONE} channels, {@code ping} and
 * {@code pong}. The {@code pong} side echoes every message; the {@code ping} side sends 0, 1, 2, ... one at a time
 * and checks that each echo is the number it sent, until the test writes {@code STOP}.
 * <p>
 * Arguments: {@code region}, {@code role} ({@code ping} or {@code pong}). The ping side prints
 * {@code RUNNING} after its first 1000 round trips and {@code PINGED roundTrips=.. wrong=.. maxRoundTripUs=..} at
 * the end; it exits with {@link ChildSupport#EXIT_INCOMPLETE} when an echo takes more than 10 s.
 */
public final class PingPongMain
{
    private static final long STUCK_NS = Duration.ofSeconds(10).toNanos();

    private PingPongMain()
    {
    }

    /**
     * Run one side.
     *
     * @param args {@code key=value} arguments.
     */
    public static void main(final String[] args)
    {
        final ChildArguments arguments = ChildArguments.parse(args);
        final boolean ping = "ping".equals(arguments.text("role"));
        try (Region region = Region.attach(arguments.location("region"), Duration.ofSeconds(30));
            Publisher publisher = region.publisher(ping ? "ping" : "pong");
            Subscriber subscriber = region.subscriber(ping ? "pong" : "ping"))
        {
            ChildSupport.println("READY");
            if (ping)
            {
                ping(publisher, subscriber, StandardInputCommands.start());
            }
            else
            {
                pong(publisher, subscriber);
            }
        }
    }

    private static void ping(final Publisher publisher, final Subscriber subscriber,
        final StandardInputCommands commands)
    {
        final UnsafeBuffer message = new UnsafeBuffer(new byte[Long.BYTES]);
        final long[] echo = new long[1];
        long wrong = 0;
        long maxRoundTripNs = 0;
        long sequence = 0;
        while (commands.poll() == null)
        {
            message.putLong(0, sequence);
            final long start = System.nanoTime();
            while (publisher.offer(message, 0, Long.BYTES) != Publisher.OK)
            {
                Thread.onSpinWait();
            }
            echo[0] = -1;
            while (subscriber.poll((buffer, offset, length) -> echo[0] = buffer.getLong(offset), 1) == 0)
            {
                if (System.nanoTime() - start > STUCK_NS)
                {
                    ChildSupport.exitIncomplete("STUCK sequence=" + sequence);
                }
                Thread.yield();
            }
            maxRoundTripNs = Math.max(maxRoundTripNs, System.nanoTime() - start);
            if (echo[0] != sequence)
            {
                wrong++;
            }
            if (++sequence == 1000)
            {
                ChildSupport.println("RUNNING");
            }
        }
        ChildSupport.println("PINGED roundTrips=" + sequence + " wrong=" + wrong + " maxRoundTripUs=" +
            maxRoundTripNs / 1000);
    }

    private static void pong(final Publisher publisher, final Subscriber subscriber)
    {
        final UnsafeBuffer echo = new UnsafeBuffer(new byte[Long.BYTES]);
        while (true)
        {
            final int received = subscriber.poll((buffer, offset, length) ->
            {
                echo.putBytes(0, buffer, offset, Long.BYTES);
                while (publisher.offer(echo, 0, Long.BYTES) != Publisher.OK)
                {
                    Thread.onSpinWait();
                }
            }, 1, Duration.ofSeconds(1));
            if (received == 0 && subscriber.connectedPublishers() == 0)
            {
                return;
            }
        }
    }
}
