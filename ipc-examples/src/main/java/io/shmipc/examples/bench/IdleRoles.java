package io.shmipc.examples.bench;

import io.shmipc.BlockingIdleStrategy;
import io.shmipc.MessageHandler;
import io.shmipc.Region;
import io.shmipc.Subscriber;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A consumer with nothing to consume, blocked on its channel in a thread named {@link #THREAD_NAME}, while the
 * coordinator reads its CPU time from {@code /proc}: {@code mode=poll} loops on
 * {@link Subscriber#poll(MessageHandler, int, Duration)} with a one-second timeout, {@code mode=idle-strategy} is
 * a duty-cycle loop with the default {@link BlockingIdleStrategy}. The first message ends it.
 */
final class IdleRoles
{
    /** Mode: blocking poll with a timeout. */
    static final String MODE_POLL = "poll";
    /** Mode: {@link BlockingIdleStrategy}. */
    static final String MODE_IDLE_STRATEGY = "idle-strategy";
    /** Name of the consuming thread, as {@code /proc/<pid>/task/<tid>/comm} shows it. */
    static final String THREAD_NAME = "bench-consumer";
    private static final Duration POLL_TIMEOUT = Duration.ofSeconds(1);

    private IdleRoles()
    {
    }

    static void consumer(final RoleContext context) throws Exception
    {
        try (Region region = LibraryRoles.attach(context))
        {
            final Subscriber subscriber = region.subscriber(context.string(Keys.CHANNEL));
            final boolean poll = MODE_POLL.equals(context.string(Keys.MODE));
            context.ready();
            final long[] received = new long[1];
            final MessageHandler handler = (buffer, offset, length) -> received[0]++;
            final AtomicReference<Throwable> failure = new AtomicReference<>();
            final Thread consumer = new Thread(() ->
            {
                if (poll)
                {
                    while (received[0] == 0)
                    {
                        subscriber.poll(handler, 16, POLL_TIMEOUT);
                    }
                }
                else
                {
                    final BlockingIdleStrategy idle = new BlockingIdleStrategy(subscriber);
                    while (received[0] == 0)
                    {
                        idle.idle(subscriber.poll(handler, 16));
                    }
                }
            }, THREAD_NAME);
            consumer.setUncaughtExceptionHandler((thread, ex) -> failure.set(ex));
            consumer.start();
            consumer.join();
            if (failure.get() != null)
            {
                throw new IllegalStateException("the consumer thread failed", failure.get());
            }
            final Map<String, String> result = new LinkedHashMap<>();
            result.put(Keys.RECEIVED, Long.toString(received[0]));
            result.put(Keys.MISSED_WAKEUPS, Long.toString(subscriber.missedWakeups()));
            context.result(result);
        }
    }
}
