package io.shmipc.tests.runtime;

import io.shmipc.ChannelKind;
import io.shmipc.Publisher;
import io.shmipc.Region;
import io.shmipc.RegionConfig;
import io.shmipc.RegionLocation;
import io.shmipc.Subscriber;
import io.shmipc.WaitSet;
import io.shmipc.tests.support.ChildArguments;
import io.shmipc.tests.support.ChildSupport;
import org.agrona.concurrent.UnsafeBuffer;

import java.time.Duration;

/**
 * Child process for the wait set tests, on a region of {@link #CHANNELS} channels {@code c0} to {@code c15} of the
 * three kinds in turn ({@link #config}).
 * <ul>
 * <li>{@code role=wait}: subscribes to every channel and waits on all of them with one {@link WaitSet}, in a thread
 * named {@link #WAITER_THREAD}; prints
 * {@code WAITING mechanism=..}, then for every message {@code WOKE channel=.. value=.. latencyUs=..} (the message
 * carries its send time; both processes read the same monotonic clock), and stops at a message of value -1.</li>
 * <li>{@code role=send}: opens a publisher on every channel, prints {@code READY}, and for each {@code SEND i v}
 * line on its standard input publishes the value v (and the time) on channel i.</li>
 * </ul>
 */
public final class WaitSetPeer
{
    /** Channels the waiter waits on. */
    public static final int CHANNELS = 16;

    /** Name of the waiting thread, as {@code /proc/<pid>/task/<tid>/comm} shows it. */
    public static final String WAITER_THREAD = "wait-set-waiter";
    /**
     * A thread of role {@code wait} that only sleeps for 100 ms at a time, the longest a waiting subscriber sleeps:
     * what this machine charges any thread for waking as often as the waiter does when idle.
     */
    public static final String REFERENCE_THREAD = "idle-reference";

    private WaitSetPeer()
    {
    }

    /**
     * The region both roles use.
     *
     * @param location where it lives.
     * @return its configuration.
     */
    public static RegionConfig config(final RegionLocation location)
    {
        final RegionConfig.Builder builder = RegionConfig.builder(location);
        for (int i = 0; i < CHANNELS; i++)
        {
            builder.channel("c" + i, ChannelKind.values()[i % 3], 1 << 16);
        }
        return builder.build();
    }

    /**
     * Run a role.
     *
     * @param args {@code key=value} arguments: {@code region}, {@code role}.
     */
    public static void main(final String[] args) throws InterruptedException
    {
        final ChildArguments arguments = ChildArguments.parse(args);
        try (Region region = Region.attach(arguments.location("region"), Duration.ofSeconds(30)))
        {
            if ("wait".equals(arguments.text("role")))
            {
                ChildSupport.startIdleReference(REFERENCE_THREAD);
                final Thread waiter = new Thread(() -> await(region), WAITER_THREAD);
                waiter.start();
                waiter.join();
            }
            else
            {
                send(region);
            }
        }
    }

    private static void await(final Region region)
    {
        final Subscriber[] subscribers = new Subscriber[CHANNELS];
        final int[] channelOfKey = new int[WaitSet.MAX_MEMBERS];
        try (WaitSet waitSet = new WaitSet())
        {
            for (int i = 0; i < CHANNELS; i++)
            {
                subscribers[i] = region.subscriber("c" + i);
                channelOfKey[waitSet.add(subscribers[i])] = i;
            }
            ChildSupport.warmUp(() -> waitSet.await(ChildSupport.WARM_UP_WAIT));
            ChildSupport.println("WAITING mechanism=" + waitSet.mechanism());
            final long[] value = new long[2];
            while (true)
            {
                waitSet.await(Duration.ofSeconds(30));
                for (int key = waitSet.nextReady(-1); key >= 0; key = waitSet.nextReady(key))
                {
                    final int channel = channelOfKey[key];
                    while (subscribers[channel].poll((buffer, offset, length) ->
                    {
                        value[0] = buffer.getLong(offset);
                        value[1] = buffer.getLong(offset + Long.BYTES);
                    }, 1) > 0)
                    {
                        final long latencyNs = System.nanoTime() - value[1];
                        ChildSupport.println("WOKE channel=" + channel + " value=" + value[0] + " latencyUs=" +
                            latencyNs / 1000);
                        if (value[0] == -1)
                        {
                            return;
                        }
                    }
                }
            }
        }
    }

    private static void send(final Region region)
    {
        final Publisher[] publishers = new Publisher[CHANNELS];
        for (int i = 0; i < CHANNELS; i++)
        {
            publishers[i] = region.publisher("c" + i);
        }
        ChildSupport.println("READY");
        final UnsafeBuffer message = new UnsafeBuffer(new byte[2 * Long.BYTES]);
        while (true)
        {
            final String[] command = ChildSupport.readCommand().split(" ");
            if (!"SEND".equals(command[0]))
            {
                continue;
            }
            message.putLong(0, Long.parseLong(command[2]));
            message.putLong(Long.BYTES, System.nanoTime());
            final long result = publishers[Integer.parseInt(command[1])].offer(message, 0, message.capacity());
            ChildSupport.println("SENT " + command[1] + " result=" + result);
        }
    }
}
