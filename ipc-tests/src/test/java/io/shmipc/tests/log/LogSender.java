package io.shmipc.tests.log;

import io.shmipc.Claim;
import io.shmipc.Publisher;
import io.shmipc.Region;
import io.shmipc.RegionLocation;
import io.shmipc.exceptions.CorruptRegionException;
import io.shmipc.tests.support.ChildArguments;
import io.shmipc.tests.support.ChildSupport;
import io.shmipc.tests.support.MessageGenerator;
import io.shmipc.toolkit.SequencedMessage;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.UnsafeBuffer;

import java.time.Duration;
import java.util.concurrent.locks.LockSupport;

/**
 * Child process: the publisher of a publish-subscribe channel. Sends {@link SequencedMessage}s numbered {@code from}
 * to {@code count - 1}, retrying while back-pressured, and reports every back-pressure episode of at least
 * {@code heldMs}: {@code HELD sent=.. since=..} once it has lasted that long, and {@code RELEASED start=.. end=..}
 * ({@link System#nanoTime()}, comparable across processes of the host) when it ends.
 * <p>
 * Arguments ({@code key=value}): {@code region}, {@code channel}, {@code count}, {@code seed}, optional {@code from}
 * (0), {@code maxPayload} (200), {@code heldMs} (200), {@code claimAt} (-1: at that sequence it claims the message,
 * writes half of it, prints {@code CLAIMED sequence=..} and parks until killed), {@code endMarkers} (false: after the
 * last message it sends end-of-stream markers numbered 0, 1, 2... in their payload-length field until the test
 * writes {@code STOP}), {@code pauseAt} (-1: before that sequence it prints {@code PAUSED} and waits for
 * {@code MORE}), {@code go} (true: wait for {@code GO}). Prints {@code READY}, then {@code SENT count=..
 * bytes=.. digest=..}; on a corrupt region {@code CORRUPT field=..} and exit status 4.
 */
public final class LogSender
{
    static final int EXIT_CORRUPT = 4;

    private LogSender()
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
        try (Region region = Region.attach(location, Duration.ofSeconds(10));
            Publisher publisher = region.publisher(arguments.text("channel")))
        {
            ChildSupport.println("READY pid=" + ProcessHandle.current().pid());
            if (arguments.flag("go", true))
            {
                ChildSupport.awaitCommand("GO");
            }
            new LogSender.Run(arguments, publisher).send();
        }
        catch (final CorruptRegionException ex)
        {
            ChildSupport.println("CORRUPT field=" + ex.field() + " message=" + ex.getMessage().replace(' ', '_'));
            System.exit(EXIT_CORRUPT);
        }
    }

    private static final class Run
    {
        private final ChildArguments arguments;
        private final Publisher publisher;
        private final long heldNs;
        private final UnsafeBuffer message;
        private final IdleStrategy idle = ChildSupport.idleStrategy();
        private volatile boolean stop;

        Run(final ChildArguments arguments, final Publisher publisher)
        {
            this.arguments = arguments;
            this.publisher = publisher;
            this.heldNs = Duration.ofMillis(arguments.longValue("heldMs", 200)).toNanos();
            this.message = new UnsafeBuffer(new byte[publisher.maxMessageLength()]);
        }

        void send()
        {
            final long count = arguments.longValue("count");
            final long claimAt = arguments.longValue("claimAt", -1);
            final long pauseAt = arguments.longValue("pauseAt", -1);
            final MessageGenerator generator = new MessageGenerator(arguments.longValue("seed"), 0, 0,
                arguments.integer("maxPayload", 200));
            for (long sequence = arguments.longValue("from", 0); sequence < count; sequence++)
            {
                final int length = generator.prepare(sequence);
                generator.writeTo(message, 0);
                if (sequence == claimAt)
                {
                    claimHalfAndPark(sequence, length);
                }
                if (sequence == pauseAt)
                {
                    ChildSupport.println("PAUSED sent=" + sequence);
                    ChildSupport.awaitCommand("MORE");
                }
                offer(length, sequence);
            }
            ChildSupport.println("SENT count=" + count + " bytes=" + generator.payloadBytes() + " digest=" +
                generator.digest());
            if (arguments.flag("endMarkers", false))
            {
                sendEndMarkers();
            }
        }

        private void offer(final int length, final long sequence)
        {
            long result = publisher.offer(message, 0, length);
            if (result == Publisher.OK)
            {
                return;
            }
            final long start = System.nanoTime();
            boolean held = false;
            idle.reset();
            while (result == Publisher.BACK_PRESSURED)
            {
                if (!held && System.nanoTime() - start >= heldNs)
                {
                    held = true;
                    ChildSupport.println("HELD sent=" + sequence + " since=" + start);
                }
                idle.idle();
                result = publisher.offer(message, 0, length);
            }
            if (result != Publisher.OK)
            {
                ChildSupport.exitIncomplete("FAILED offer result=" + result + " sequence=" + sequence);
            }
            if (held)
            {
                ChildSupport.println("RELEASED start=" + start + " end=" + System.nanoTime() + " sequence=" +
                    sequence);
            }
        }

        private void claimHalfAndPark(final long sequence, final int length)
        {
            final Claim claim = new Claim();
            while (publisher.tryClaim(length, claim) != Publisher.OK)
            {
                idle.idle();
            }
            claim.buffer().putBytes(0, message, 0, length / 2);
            ChildSupport.println("CLAIMED sequence=" + sequence);
            while (true)
            {
                LockSupport.park();
            }
        }

        private void sendEndMarkers()
        {
            final Thread commands = new Thread(() ->
            {
                ChildSupport.awaitCommand("STOP");
                stop = true;
            }, "commands");
            commands.setDaemon(true);
            commands.start();
            int ordinal = 0;
            while (!stop)
            {
                SequencedMessage.writeHeader(message, 0, SequencedMessage.END_OF_STREAM, 0, ordinal, 0);
                if (publisher.offer(message, 0, SequencedMessage.HEADER_LENGTH) == Publisher.OK)
                {
                    ordinal++;
                }
                LockSupport.parkNanos(200_000L);
            }
            ChildSupport.println("ENDS sent=" + ordinal);
        }
    }
}
