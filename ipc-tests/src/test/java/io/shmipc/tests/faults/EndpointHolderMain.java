package io.shmipc.tests.faults;

import io.shmipc.toolkit.InputLines;
import io.shmipc.tests.support.ChildSupport;
import io.shmipc.ChannelKind;
import io.shmipc.Publisher;
import io.shmipc.Region;
import io.shmipc.RegionConfig;
import io.shmipc.RegionLocation;
import io.shmipc.Subscriber;
import io.shmipc.exceptions.ShmIpcException;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Holds a region and some endpoints open until told to exit or killed, for the liveness, permission and cleanup
 * tests. Each publisher sends {@code hello from pid=<pid>} once; subscribers are polled and what arrives is
 * printed.
 * <p>
 * Arguments: {@code [--create] <region> <endpoint>...} where an endpoint is {@code pub:<channel>} or
 * {@code sub:<channel>}; {@code --create} creates the region with {@link #channels} channels. Prints
 * {@code READY pid=<pid in this process's PID namespace>}, {@code GOT <channel> <text>}, or
 * {@code FAILED <exception class> <message>} (exit status 3) when the region or an endpoint cannot be opened.
 * Commands: {@code SEND <channel> <text>}, {@code EXIT}.
 */
public final class EndpointHolderMain
{
    private final Map<String, Publisher> publishers = new LinkedHashMap<>();
    private final Map<String, Subscriber> subscribers = new LinkedHashMap<>();
    private String polledChannel;

    private EndpointHolderMain()
    {
    }

    /**
     * The configuration {@code --create} uses: two one-to-one channels, {@code up} and {@code down}.
     *
     * @param location where.
     * @return the configuration.
     */
    static RegionConfig channels(final RegionLocation location)
    {
        return RegionConfig.builder(location)
            .channel("up", ChannelKind.ONE_TO_ONE, 64 * 1024)
            .channel("down", ChannelKind.ONE_TO_ONE, 64 * 1024)
            .build();
    }

    public static void main(final String[] args)
    {
        final InputLines commands = ChildSupport.commands();
        final boolean create = args[0].equals("--create");
        final int first = create ? 1 : 0;
        final RegionLocation location = RegionLocation.parse(args[first]);
        final EndpointHolderMain holder = new EndpointHolderMain();
        final Region region;
        try
        {
            region = create ? Region.create(channels(location)) : Region.attach(location, Duration.ofSeconds(10));
            for (int i = first + 1; i < args.length; i++)
            {
                final String channel = args[i].substring(4);
                if (args[i].startsWith("pub:"))
                {
                    holder.publishers.put(channel, region.publisher(channel));
                }
                else
                {
                    holder.subscribers.put(channel, region.subscriber(channel));
                }
            }
        }
        catch (final ShmIpcException ex)
        {
            ChildSupport.println("FAILED " + ex.getClass().getSimpleName() + " " + ex.getMessage());
            System.exit(3);
            return;
        }
        try (region)
        {
            final long pid = ProcessHandle.current().pid();
            for (final String channel : holder.publishers.keySet())
            {
                holder.send(channel, "hello from pid=" + pid);
            }
            ChildSupport.println("READY pid=" + pid);
            holder.serve(commands);
        }
        ChildSupport.println("EXITED");
    }

    private void serve(final InputLines commands)
    {
        final IdleStrategy idle = new BackoffIdleStrategy(10, 10, 1_000, 1_000_000);
        while (true)
        {
            int work = 0;
            for (final Map.Entry<String, Subscriber> entry : subscribers.entrySet())
            {
                polledChannel = entry.getKey();
                work += entry.getValue().poll(this::onMessage, 16);
            }
            final String command = commands.poll();
            if (command != null)
            {
                work++;
                if (command.equals("EXIT") || command == ChildSupport.END_OF_INPUT)
                {
                    return;
                }
                if (command.startsWith("SEND "))
                {
                    final String[] words = command.split(" ", 3);
                    send(words[1], words[2]);
                }
            }
            idle.idle(work);
        }
    }

    private void send(final String channel, final String text)
    {
        final byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        final long result = publishers.get(channel).offer(new UnsafeBuffer(bytes), 0, bytes.length,
            new BackoffIdleStrategy(), 10_000_000_000L);
        if (result != Publisher.OK)
        {
            ChildSupport.println("SEND-FAILED " + channel + " result=" + result);
        }
    }

    private void onMessage(final DirectBuffer buffer, final int offset, final int length)
    {
        ChildSupport.println("GOT " + polledChannel + " " + buffer.getStringWithoutLengthUtf8(offset, length));
    }
}
