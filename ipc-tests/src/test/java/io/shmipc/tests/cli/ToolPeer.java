package io.shmipc.tests.cli;

import io.shmipc.ChannelKind;
import io.shmipc.Publisher;
import io.shmipc.Region;
import io.shmipc.RegionConfig;
import io.shmipc.RegionLocation;
import io.shmipc.Subscriber;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;

/**
 * A process the tool tests inspect: creates a region with a ring channel "c", publishes, and stays alive until its
 * standard input closes or says "exit".
 * <p>
 * Arguments: {@code LOCATION COUNT MODE}; MODE {@code fixed} publishes COUNT messages of 100 bytes and consumes
 * up to 10 of them, {@code stream} keeps publishing and consuming until told to exit.
 */
public final class ToolPeer
{
    private ToolPeer()
    {
    }

    public static void main(final String[] args) throws Exception
    {
        final RegionLocation location = RegionLocation.parse(args[0]);
        final int count = Integer.parseInt(args[1]);
        final boolean stream = args[2].equals("stream");
        final RegionConfig config = RegionConfig.builder(location)
            .channel("c", ChannelKind.ONE_TO_ONE, 1 << 20).build();
        try (Region region = Region.create(config))
        {
            final Publisher publisher = region.publisher("c");
            final Subscriber subscriber = region.subscriber("c");
            final UnsafeBuffer message = new UnsafeBuffer(new byte[100]);
            for (int i = 0; i < count; i++)
            {
                message.putInt(0, i);
                if (publisher.offer(message, 0, 100) != Publisher.OK)
                {
                    throw new IllegalStateException("back-pressured at " + i);
                }
            }
            final int toConsume = Math.min(10, count);
            int consumed = 0;
            while (consumed < toConsume)
            {
                consumed += subscriber.poll((buffer, offset, length) -> { }, toConsume - consumed);
            }
            System.out.println("READY published=" + count + " consumed=" + consumed);
            if (stream)
            {
                final Thread streamer = new Thread(() -> stream(publisher, subscriber, message));
                streamer.setDaemon(true);
                streamer.start();
            }
            final BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            String line;
            while ((line = in.readLine()) != null && !line.equals("exit"))
            {
                System.out.println("ignored " + line);
            }
        }
    }

    private static void stream(final Publisher publisher, final Subscriber subscriber, final UnsafeBuffer message)
    {
        while (!publisher.isClosed())
        {
            publisher.offer(message, 0, 100);
            subscriber.poll((buffer, offset, length) -> { }, 100);
            java.util.concurrent.locks.LockSupport.parkNanos(100_000);
        }
    }
}
