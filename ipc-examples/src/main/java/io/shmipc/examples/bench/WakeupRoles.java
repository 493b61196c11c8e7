package io.shmipc.examples.bench;

import io.shmipc.toolkit.SequencedMessage;
import io.shmipc.MessageHandler;
import io.shmipc.Publisher;
import io.shmipc.Region;
import io.shmipc.Subscriber;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

/**
 * Wake-up latency of a consumer that is asleep: one consumer process has a thread blocked in
 * {@link Subscriber#poll(MessageHandler, int, Duration)} (a futex) and another blocked in a Unix-domain-socket
 * {@code read}. The producer sends one message on the channel, pauses so that both threads are asleep again,
 * sends one on the socket, pauses, and so on. Each message carries its {@link System#nanoTime()} send time
 * (CLOCK_MONOTONIC, the same clock in every process on Linux); the consumer records publish-to-handler latency.
 */
final class WakeupRoles
{
    /** The channel of the run. */
    static final String WAKE_CHANNEL = "wake";
    private static final Duration POLL_TIMEOUT = Duration.ofSeconds(1);

    private WakeupRoles()
    {
    }

    static void producer(final RoleContext context) throws Exception
    {
        try (Region region = LibraryRoles.attach(context))
        {
            final Publisher publisher = region.publisher(WAKE_CHANNEL);
            context.ready();
            try (SocketChannel channel = SocketRoles.connect(context))
            {
                final UnsafeBuffer message =
                    new UnsafeBuffer(ByteBuffer.allocateDirect(SequencedMessage.HEADER_LENGTH));
                final ByteBuffer bytes = message.byteBuffer();
                final long pauseNs = Long.parseLong(context.string(Keys.PAUSE_NS));
                final RunPhases phases = new RunPhases(context);
                long sequence = 0;
                for (int phase = phases.next(); phase != SequencedMessage.PHASE_END; phase = phases.next())
                {
                    SequencedMessage.write(message, 0, sequence, 0, phase, System.nanoTime());
                    LibraryRoles.offer(publisher, message, 0, SequencedMessage.HEADER_LENGTH);
                    LockSupport.parkNanos(pauseNs);
                    SequencedMessage.write(message, 0, sequence, 0, phase, System.nanoTime());
                    bytes.clear().limit(SequencedMessage.HEADER_LENGTH);
                    SocketRoles.writeFully(channel, bytes);
                    LockSupport.parkNanos(pauseNs);
                    sequence++;
                }
                SequencedMessage.write(message, 0, sequence, 0, SequencedMessage.PHASE_END, 0);
                LibraryRoles.offer(publisher, message, 0, SequencedMessage.HEADER_LENGTH);
                bytes.clear().limit(SequencedMessage.HEADER_LENGTH);
                SocketRoles.writeFully(channel, bytes);

                final Map<String, String> result = new LinkedHashMap<>();
                result.put(Keys.SENT, Long.toString(sequence));
                result.put(Keys.SOCKET_SENT, Long.toString(sequence));
                context.result(result);
            }
        }
    }

    static void consumer(final RoleContext context) throws Exception
    {
        try (Region region = LibraryRoles.attach(context); ServerSocketChannel server = SocketRoles.listen(context))
        {
            final Subscriber subscriber = region.subscriber(WAKE_CHANNEL);
            context.ready();
            try (SocketChannel channel = SocketRoles.accept(server))
            {
                final WakeLatency futex = new WakeLatency();
                final WakeLatency socket = new WakeLatency();
                final AtomicReference<Throwable> failure = new AtomicReference<>();
                final Thread futexThread = new Thread(() ->
                {
                    while (!futex.ended())
                    {
                        subscriber.poll(futex, 1, POLL_TIMEOUT);
                    }
                }, "bench-futex");
                final Thread socketThread = new Thread(() ->
                {
                    final ByteBuffer bytes = ByteBuffer.allocateDirect(SequencedMessage.HEADER_LENGTH);
                    final UnsafeBuffer view = new UnsafeBuffer(bytes);
                    try
                    {
                        while (!socket.ended())
                        {
                            bytes.clear();
                            SocketRoles.readFully(channel, bytes);
                            socket.onMessage(view, 0, SequencedMessage.HEADER_LENGTH);
                        }
                    }
                    catch (final java.io.IOException ex)
                    {
                        failure.set(ex);
                    }
                }, "bench-socket");
                futexThread.setUncaughtExceptionHandler((thread, ex) -> failure.set(ex));
                futexThread.start();
                socketThread.start();
                futexThread.join();
                socketThread.join();
                if (failure.get() != null)
                {
                    throw new IllegalStateException("a consumer thread failed", failure.get());
                }

                final Map<String, String> result = new LinkedHashMap<>();
                result.put(Keys.RECEIVED, Long.toString(futex.received()));
                result.put(Keys.HISTOGRAM, HistogramCodec.encode(futex.histogram()));
                result.put(Keys.SOCKET_RECEIVED, Long.toString(socket.received()));
                result.put(Keys.SOCKET_HISTOGRAM, HistogramCodec.encode(socket.histogram()));
                result.put(Keys.MISSED_WAKEUPS, Long.toString(subscriber.missedWakeups()));
                context.result(result);
            }
        }
    }
}
