package io.shmipc.examples.bench;

import io.shmipc.toolkit.SequencedMessage;
import io.shmipc.Publisher;
import io.shmipc.Region;
import io.shmipc.Subscriber;
import io.shmipc.WaitSet;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

/**
 * Wake-up latency of a thread asleep in a {@link WaitSet} of {@link #CHANNELS} subscribers, side by side with a
 * thread asleep in a single-channel blocking poll, in one consumer process. The producer sends one message on the
 * single channel, pauses so that both threads are asleep again, sends one on the next of the wait set's channels in
 * turn, pauses, and so on; each message carries its send time and the consumer records publish-to-handler latency.
 */
final class WaitSetRoles
{
    /** Channels in the wait set. */
    static final int CHANNELS = 16;
    /** The single channel of the blocking-poll thread. */
    static final String SINGLE_CHANNEL = "single";
    private static final Duration WAIT_TIMEOUT = Duration.ofSeconds(1);

    private WaitSetRoles()
    {
    }

    static String channel(final int index)
    {
        return "set-" + index;
    }

    static void producer(final RoleContext context) throws Exception
    {
        try (Region region = LibraryRoles.attach(context))
        {
            final Publisher single = region.publisher(SINGLE_CHANNEL);
            final Publisher[] set = new Publisher[CHANNELS];
            for (int i = 0; i < CHANNELS; i++)
            {
                set[i] = region.publisher(channel(i));
            }
            context.ready();
            final UnsafeBuffer message = new UnsafeBuffer(ByteBuffer.allocateDirect(SequencedMessage.HEADER_LENGTH));
            final long pauseNs = Long.parseLong(context.string(Keys.PAUSE_NS));
            final RunPhases phases = new RunPhases(context);
            long sequence = 0;
            for (int phase = phases.next(); phase != SequencedMessage.PHASE_END; phase = phases.next())
            {
                SequencedMessage.write(message, 0, sequence, 0, phase, System.nanoTime());
                LibraryRoles.offer(single, message, 0, SequencedMessage.HEADER_LENGTH);
                LockSupport.parkNanos(pauseNs);
                SequencedMessage.write(message, 0, sequence, 0, phase, System.nanoTime());
                LibraryRoles.offer(set[(int)(sequence % CHANNELS)], message, 0, SequencedMessage.HEADER_LENGTH);
                LockSupport.parkNanos(pauseNs);
                sequence++;
            }
            SequencedMessage.write(message, 0, sequence, 0, SequencedMessage.PHASE_END, 0);
            LibraryRoles.offer(single, message, 0, SequencedMessage.HEADER_LENGTH);
            LibraryRoles.offer(set[0], message, 0, SequencedMessage.HEADER_LENGTH);

            final Map<String, String> result = new LinkedHashMap<>();
            result.put(Keys.SENT, Long.toString(sequence));
            result.put(Keys.SOCKET_SENT, Long.toString(sequence));
            context.result(result);
        }
    }

    static void consumer(final RoleContext context) throws Exception
    {
        try (Region region = LibraryRoles.attach(context); WaitSet waitSet = new WaitSet())
        {
            final Subscriber single = region.subscriber(SINGLE_CHANNEL);
            final Subscriber[] set = new Subscriber[CHANNELS];
            for (int i = 0; i < CHANNELS; i++)
            {
                set[i] = region.subscriber(channel(i));
                if (waitSet.add(set[i]) != i)
                {
                    throw new IllegalStateException("wait set keys are not 0 to " + (CHANNELS - 1));
                }
            }
            context.ready();
            final WakeLatency singleLatency = new WakeLatency();
            final WakeLatency setLatency = new WakeLatency();
            final long[] wakesPerChannel = new long[CHANNELS];
            final AtomicReference<Throwable> failure = new AtomicReference<>();
            final Thread singleThread = new Thread(() ->
            {
                while (!singleLatency.ended())
                {
                    single.poll(singleLatency, 1, WAIT_TIMEOUT);
                }
            }, "bench-single");
            final Thread setThread = new Thread(() ->
            {
                while (!setLatency.ended())
                {
                    waitSet.await(WAIT_TIMEOUT);
                    for (int key = waitSet.nextReady(-1); key >= 0; key = waitSet.nextReady(key))
                    {
                        wakesPerChannel[key] += set[key].poll(setLatency, 1);
                    }
                }
            }, "bench-waitset");
            singleThread.setUncaughtExceptionHandler((thread, ex) -> failure.set(ex));
            setThread.setUncaughtExceptionHandler((thread, ex) -> failure.set(ex));
            singleThread.start();
            setThread.start();
            singleThread.join();
            setThread.join();
            if (failure.get() != null)
            {
                throw new IllegalStateException("a consumer thread failed", failure.get());
            }
            long quietChannels = 0;
            for (final long wakes : wakesPerChannel)
            {
                quietChannels += wakes == 0 ? 1 : 0;
            }
            final Map<String, String> result = new LinkedHashMap<>();
            result.put(Keys.RECEIVED, Long.toString(setLatency.received()));
            result.put(Keys.HISTOGRAM, HistogramCodec.encode(setLatency.histogram()));
            result.put(Keys.SOCKET_RECEIVED, Long.toString(singleLatency.received()));
            result.put(Keys.SOCKET_HISTOGRAM, HistogramCodec.encode(singleLatency.histogram()));
            result.put(Keys.QUIET_CHANNELS, Long.toString(quietChannels));
            result.put(Keys.MISSED_WAKEUPS, Long.toString(single.missedWakeups()));
            context.result(result);
        }
    }
}
