package io.shmipc.tests.channels;

import io.shmipc.Publisher;
import io.shmipc.Region;
import io.shmipc.Subscriber;
import io.shmipc.exceptions.ChannelInUseException;
import io.shmipc.tests.support.ChildArguments;
import io.shmipc.tests.support.ChildSupport;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.UnsafeBuffer;

import java.time.Duration;

/**
 * Child process: takes the publisher or subscriber role of a channel and holds it until told to exit or killed,
 * answering the test's commands meanwhile.
 * <p>
 * Arguments ({@code key=value}): {@code region}, {@code channel}, {@code role} ({@code publisher} or
 * {@code subscriber}). Prints {@code HOLDING role=.. pid=..} when it got the role, or
 * {@code REFUSED role=.. class=..} and exits 0 when the library refused it with {@link ChannelInUseException}.
 * <p>
 * Commands on standard input, each answered with a line that starts with the command's tag:
 * {@code STATUS <tag>} prints {@code STATUS <tag> subscriberAlive=..} (publisher) or
 * {@code STATUS <tag> publisherCount=..} (subscriber); {@code SEND <tag> <n>} publishes {@code n} numbered
 * messages and prints {@code SENT <tag> count=n}; {@code RECEIVE <tag> <n>} waits for {@code n} messages and
 * prints {@code RECEIVED <tag> count=n first=.. last=..}; {@code EXIT} closes and exits 0.
 */
public final class EndpointHolder
{
    private static final long TIMEOUT_NS = Duration.ofSeconds(20).toNanos();

    private EndpointHolder()
    {
    }

    /**
     * Run the holder.
     *
     * @param args {@code key=value} arguments.
     */
    public static void main(final String[] args)
    {
        final ChildArguments arguments = ChildArguments.parse(args);
        final String role = arguments.text("role");
        final String channel = arguments.text("channel");
        try (Region region = Region.attach(arguments.location("region"), Duration.ofSeconds(10)))
        {
            final AutoCloseable endpoint;
            try
            {
                endpoint = "publisher".equals(role) ? region.publisher(channel) : region.subscriber(channel);
            }
            catch (final ChannelInUseException ex)
            {
                ChildSupport.println("REFUSED role=" + role + " class=" + ex.getClass().getSimpleName());
                ChildSupport.println("  message: " + ex.getMessage());
                return;
            }
            ChildSupport.println("HOLDING role=" + role + " pid=" + ProcessHandle.current().pid());
            serve(endpoint);
        }
    }

    private static void serve(final AutoCloseable endpoint)
    {
        final IdleStrategy idle = ChildSupport.idleStrategy();
        while (true)
        {
            final String[] command = ChildSupport.readCommand().split("\\s+");
            switch (command[0])
            {
                case "STATUS":
                    ChildSupport.println("STATUS " + command[1] + " " + (endpoint instanceof Publisher ?
                        "subscriberAlive=" + ((Publisher)endpoint).isConsumerAlive() :
                        "publisherCount=" + ((Subscriber)endpoint).connectedPublishers()));
                    break;
                case "SEND":
                    send((Publisher)endpoint, Integer.parseInt(command[2]), idle);
                    ChildSupport.println("SENT " + command[1] + " count=" + command[2]);
                    break;
                case "RECEIVE":
                    receive((Subscriber)endpoint, command[1], Integer.parseInt(command[2]), idle);
                    break;
                case "EXIT":
                    return;
                default:
                    ChildSupport.println("UNKNOWN " + command[0]);
            }
        }
    }

    private static void send(final Publisher publisher, final int count, final IdleStrategy idle)
    {
        final UnsafeBuffer message = new UnsafeBuffer(new byte[Long.BYTES]);
        for (int i = 0; i < count; i++)
        {
            message.putLong(0, i);
            final long deadline = System.nanoTime() + TIMEOUT_NS;
            idle.reset();
            while (publisher.offer(message, 0, Long.BYTES) != Publisher.OK)
            {
                if (System.nanoTime() - deadline > 0)
                {
                    ChildSupport.exitIncomplete("STUCK sending message " + i);
                }
                idle.idle();
            }
        }
    }

    private static void receive(final Subscriber subscriber, final String tag, final int count,
        final IdleStrategy idle)
    {
        final long[] received = {0, -1, -1};
        final long deadline = System.nanoTime() + TIMEOUT_NS;
        idle.reset();
        while (received[0] < count)
        {
            idle.idle(subscriber.poll((buffer, offset, length) ->
            {
                final long value = buffer.getLong(offset);
                if (received[0]++ == 0)
                {
                    received[1] = value;
                }
                received[2] = value;
            }, count - (int)received[0]));
            if (System.nanoTime() - deadline > 0)
            {
                ChildSupport.exitIncomplete("STALLED received=" + received[0]);
            }
        }
        ChildSupport.println("RECEIVED " + tag + " count=" + received[0] + " first=" + received[1] +
            " last=" + received[2]);
    }
}
