package io.shmipc.tests.faults;

import io.shmipc.tests.support.ChildSupport;
import io.shmipc.Claim;
import io.shmipc.MessageHandler;
import io.shmipc.Publisher;
import io.shmipc.Region;
import io.shmipc.RegionLocation;
import io.shmipc.Subscriber;
import io.shmipc.SubscriberOptions;
import io.shmipc.exceptions.CorruptRegionException;
import org.agrona.concurrent.UnsafeBuffer;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Every kind of endpoint, each on its own thread, using a file-backed region in a loop until the file is truncated
 * under the mapping: one-to-one publisher and subscriber, two many-to-one publishers (offer, and tryClaim/commit)
 * and a blocking subscriber, a broadcast transmitter and two receivers (one blocking), a publish-subscribe publisher
 * (offer, and tryClaim/commit in turn) with an untethered subscriber, a tethered one and a blocking tethered one. Each
 * thread stops
 * at the first exception and reports what it was; the library's promise is {@link CorruptRegionException} for every
 * one of them, and no crash.
 * <p>
 * Arguments: region path, the region's channel names for ONE_TO_ONE, MANY_TO_ONE, BROADCAST and PUBLISH_SUBSCRIBE,
 * operations every thread makes before {@code RUNNING} is printed. Prints {@code RUNNING}, then per thread
 * {@code THREAD <name> <outcome> ops=<n> faultsOutside=<n>} where the outcome is {@code TYPED field=<field>},
 * {@code UNTYPED <exception>} (thrown from inside the library) or {@code NONE} (nothing thrown within 40 s), then
 * {@code DONE}, {@code CLOSED}. HotSpot may raise a fault met inside the library's call only after the call returned,
 * in the caller's code, or on entry to the next call ({@code faultsOutside}: a documented limitation of the JVM); the
 * thread then goes on.
 */
public final class TruncationStormMain
{
    private static final long DEADLINE_NS = Duration.ofSeconds(20).toNanos();

    private static final long WARM_NS = Duration.ofSeconds(3).toNanos();
    private static final long MIN_WARM_OPS = 50;

    private final Map outcomes = new Map();
    private final AtomicLong warm = new AtomicLong();
    private final AtomicLong sink = new AtomicLong();
    private final long warmOps;
    private volatile boolean started;

    /** Outcome per thread name. */
    private static final class Map extends ConcurrentHashMap<String, String>
    {
        private static final long serialVersionUID = 1L;
    }

    /** One endpoint's operation. */
    private interface Operation
    {
        void run(long count);
    }

    private TruncationStormMain(final long warmOps)
    {
        this.warmOps = warmOps;
    }

    public static void main(final String[] args) throws InterruptedException
    {
        new TruncationStormMain(Long.parseLong(args[5])).run(RegionLocation.parse(args[0]), args[1], args[2],
            args[3], args[4]);
    }

    private void run(final RegionLocation location, final String oneToOne, final String manyToOne,
        final String broadcast, final String log) throws InterruptedException
    {
        final Region region = Region.attach(location, Duration.ofSeconds(10));
        final List<Thread> threads = new ArrayList<>();
        final List<AutoCloseable> endpoints = new ArrayList<>();
        final UnsafeBuffer message = new UnsafeBuffer(new byte[64]);

        final Subscriber o2oSubscriber = region.subscriber(oneToOne);
        final Publisher o2oPublisher = region.publisher(oneToOne);
        final Subscriber m2oSubscriber = region.subscriber(manyToOne);
        final Publisher m2oOffer = region.publisher(manyToOne);
        final Publisher m2oClaim = region.publisher(manyToOne);
        final Publisher transmitter = region.publisher(broadcast);
        final Subscriber receiver = region.subscriber(broadcast);
        final Subscriber blockingReceiver = region.subscriber(broadcast);
        final Publisher logPublisher = region.publisher(log);
        final Subscriber logUntethered = region.subscriber(log, SubscriberOptions.defaults().untethered());
        final Subscriber logTethered = region.subscriber(log);
        final Subscriber logBlocking = region.subscriber(log);
        final Claim claim = new Claim();
        final Claim logClaim = new Claim();
        threads.add(thread("o2o-offer", count -> o2oPublisher.offer(message, 0, 64)));
        // Handlers of subscribers that read in place read the payload: a fault may then be met in the handler.
        final MessageHandler reading = (buffer, offset, length) -> sink.addAndGet(buffer.getLong(offset));
        threads.add(thread("o2o-poll", count -> o2oSubscriber.poll(reading, 16)));
        threads.add(thread("m2o-offer", count -> m2oOffer.offer(message, 0, 48)));
        threads.add(thread("m2o-claim", count ->
        {
            if (m2oClaim.tryClaim(100, claim) == Publisher.OK)
            {
                claim.buffer().putLong(0, count);
                claim.commit();
            }
        }));
        threads.add(thread("m2o-blocking-poll", count ->
            m2oSubscriber.poll(reading, 16, Duration.ofMillis(50))));
        threads.add(thread("b-offer", count -> transmitter.offer(message, 0, 40)));
        threads.add(thread("b-poll", count -> receiver.poll((buffer, offset, length) -> { }, 16)));
        threads.add(thread("b-blocking-poll", count ->
            blockingReceiver.poll((buffer, offset, length) -> { }, 16, Duration.ofMillis(50))));
        threads.add(thread("log-offer-claim", count ->
        {
            if ((count & 1) == 0)
            {
                logPublisher.offer(message, 0, 56);
            }
            else if (logPublisher.tryClaim(100, logClaim) == Publisher.OK)
            {
                logClaim.buffer().putLong(0, count);
                logClaim.commit();
            }
        }));
        threads.add(thread("log-untethered-poll", count -> logUntethered.poll((buffer, offset, length) -> { }, 16)));
        threads.add(thread("log-tethered-poll", count -> logTethered.poll(reading, 16)));
        // Sleeps most of the time: its wait registration and tether updates may still run in the interpreter.
        threads.add(thread("log-blocking-poll", count -> logBlocking.poll(reading, 16, Duration.ofMillis(50))));
        endpoints.addAll(List.of(o2oSubscriber, o2oPublisher, m2oSubscriber, m2oOffer, m2oClaim, transmitter,
            receiver, blockingReceiver, logPublisher, logUntethered, logTethered, logBlocking));

        started = true;
        final long warmDeadline = System.nanoTime() + DEADLINE_NS;
        while (warm.get() < threads.size() && System.nanoTime() - warmDeadline < 0)
        {
            Thread.onSpinWait();
        }
        ChildSupport.println(warm.get() == threads.size() ? "RUNNING" : "NOT-WARM " + warm.get());
        for (final Thread thread : threads)
        {
            thread.join(DEADLINE_NS / 1_000_000 + 5_000);
            ChildSupport.println("THREAD " + thread.getName() + " " + outcomes.getOrDefault(thread.getName(), "NONE"));
        }
        ChildSupport.println("DONE");
        try
        {
            region.close();
            ChildSupport.println("CLOSED");
        }
        catch (final CorruptRegionException ex)
        {
            ChildSupport.println("CLOSED-REPORTING CorruptRegionException field=" + ex.field());
        }
        System.exit(0);
    }

    /**
     * Whether an error was thrown from inside the library: its top two frames are the library's. One raised in the
     * caller's code after the library's call returned is not, nor one raised in the frame of the library method the
     * caller called with nothing above it: HotSpot raised it on entry to that method, before its code began (a fault
     * of an earlier call, while the method still runs in the interpreter: docs/guarantees.md).
     */
    private static boolean thrownByLibrary(final Throwable ex)
    {
        final StackTraceElement[] stack = ex.getStackTrace();
        return stack.length > 1 && isLibrary(stack[0]) && isLibrary(stack[1]);
    }

    private static boolean isLibrary(final StackTraceElement frame)
    {
        return frame.getClassName().startsWith("io.shmipc.") && !frame.getClassName().startsWith("io.shmipc.tests.");
    }

    private Thread thread(final String name, final Operation operation)
    {
        final Thread thread = new Thread(() ->
        {
            while (!started)
            {
                Thread.onSpinWait();
            }
            final Run run = new Run(System.nanoTime());
            // A fault of the library's last call may surface asynchronously anywhere in this code after the call
            // returned, even after the typed error (docs/guarantees.md): counted, never the end of the thread.
            while (!run.finished)
            {
                try
                {
                    run.loop(operation);
                }
                catch (final InternalError late)
                {
                    run.outside++;
                }
            }
            while (true)
            {
                try
                {
                    outcomes.put(name, run.outcome + " ops=" + run.count + " faultsOutside=" + run.outside);
                    break;
                }
                catch (final InternalError late)
                {
                    run.outside++;
                }
            }
        }, name);
        thread.setDaemon(true);
        thread.start();
        return thread;
    }

    /**
     * One thread's operations until the typed error, another failure or the deadline.
     */
    private final class Run
    {
        private final long start;
        private final long deadline;
        private long count;
        private long outside;
        private boolean warmed;
        private String outcome = "NONE";
        private boolean finished;

        Run(final long start)
        {
            this.start = start;
            this.deadline = start + 2 * DEADLINE_NS;
        }

        void loop(final Operation operation)
        {
            while (!finished)
            {
                try
                {
                    final long now = System.nanoTime();
                    if (now - deadline >= 0)
                    {
                        finished = true;
                        return;
                    }
                    operation.run(count);
                    count++;
                    if (!warmed && (count >= warmOps || count >= MIN_WARM_OPS && now - start > WARM_NS))
                    {
                        warmed = true;
                        warm.incrementAndGet();
                    }
                }
                catch (final CorruptRegionException ex)
                {
                    outcome = "TYPED field=" + ex.field();
                    finished = true;
                }
                catch (final InternalError ex)
                {
                    if (thrownByLibrary(ex))
                    {
                        outcome = "UNTYPED " + ex;
                        ex.printStackTrace(System.out);
                        finished = true;
                    }
                    else
                    {
                        outside++; // HotSpot raised a fault of the library's call after it returned: go on
                    }
                }
                catch (final Throwable ex)
                {
                    outcome = "UNTYPED " + ex;
                    ex.printStackTrace(System.out);
                    finished = true;
                }
            }
        }
    }
}
