package io.shmipc.tests.jvm;

import io.shmipc.ChannelKind;
import io.shmipc.MessageHandler;
import io.shmipc.Publisher;
import io.shmipc.Region;
import io.shmipc.RegionConfig;
import io.shmipc.RegionLocation;
import io.shmipc.Subscriber;
import io.shmipc.exceptions.CorruptRegionException;
import io.shmipc.tests.support.ChildSupport;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Many truncations in this one JVM, each under a publisher thread looping on {@code offer} and a subscriber thread
 * looping on {@code poll}, written as an application writes them: the loop in a method of its own, called straight
 * from a method with the {@code catch} blocks, which runs once per thread and so stays interpreted. A method between
 * them, run in the interpreter, would take a late fault as it passes the exception on, before it reaches those blocks,
 * and hide what this looks for: a fault on the mapping that HotSpot still held for the thread when the library threw
 * its typed error takes that error's place at the {@code catch} and ends the thread past it. Over many truncations
 * the JIT compiles the library's failure paths, in stages: in a fresh JVM, the stretch where that showed came within
 * the first few hundred truncations.
 * <p>
 * Arguments: a directory for the regions' files, the number of truncations. The kinds take turns (one-to-one,
 * many-to-one, publish-subscribe, broadcast), and each kind is truncated to 0 bytes and to one page in turn. Prints
 * {@code FAILED <what>} for each thread that did not end on {@link CorruptRegionException} on field {@code file.size}
 * through its own {@code catch}, then {@code DONE <truncations>}. A fault raised in the loop's code after a call
 * returned is a documented limitation: the thread goes on, and its next call must throw the typed error.
 */
public final class TruncationUnderLoopsMain
{
    private static final ChannelKind[] KINDS = {
        ChannelKind.ONE_TO_ONE, ChannelKind.MANY_TO_ONE, ChannelKind.PUBLISH_SUBSCRIBE, ChannelKind.BROADCAST};
    private static final long WARM_OPERATIONS = 5_000;
    private static final long TIMEOUT_SECONDS = 30;
    private static final String TYPED = "CorruptRegionException on file.size";

    private static volatile long sink;

    private TruncationUnderLoopsMain()
    {
    }

    public static void main(final String[] args) throws IOException, InterruptedException
    {
        final Path directory = Path.of(args[0]);
        final int truncations = Integer.parseInt(args[1]);
        for (int truncation = 0; truncation < truncations; truncation++)
        {
            final ChannelKind kind = KINDS[truncation % KINDS.length];
            final long length = truncation / KINDS.length % 2 == 0 ? 0 : 4096;
            for (final Looper looper : truncateUnderLoops(directory.resolve("region-" + truncation), kind, length))
            {
                if (!looper.outcome.equals(TYPED))
                {
                    ChildSupport.println("FAILED truncation " + truncation + " (" + kind + ", to " + length +
                        " bytes), " + looper.getName() + ": " + looper.outcome);
                }
            }
        }
        ChildSupport.println("DONE " + truncations);
    }

    private static List<Looper> truncateUnderLoops(final Path file, final ChannelKind kind, final long length)
        throws IOException, InterruptedException
    {
        try (Region region = Region.create(RegionConfig.builder(RegionLocation.file(file))
            .channel("c", kind, 64 * 1024).build()))
        {
            final CountDownLatch warm = new CountDownLatch(2);
            final List<Looper> loopers = List.of(new Looper("offer", region.publisher("c"), null, warm),
                new Looper("poll", null, region.subscriber("c"), warm));
            loopers.forEach(Thread::start);
            if (!warm.await(TIMEOUT_SECONDS, TimeUnit.SECONDS))
            {
                throw new IllegalStateException("the loops did not start: " + file);
            }
            try (RandomAccessFile truncating = new RandomAccessFile(file.toFile(), "rw"))
            {
                truncating.setLength(length);
            }
            for (final Looper looper : loopers)
            {
                looper.join(TimeUnit.SECONDS.toMillis(TIMEOUT_SECONDS));
                if (looper.isAlive())
                {
                    looper.outcome = "still running " + TIMEOUT_SECONDS + " s after the truncation";
                }
            }
            return loopers;
        }
    }

    private static void offerInALoop(final Publisher publisher, final CountDownLatch warm)
    {
        final UnsafeBuffer message = new UnsafeBuffer(new byte[32]);
        for (long operations = 1; ; operations++)
        {
            publisher.offer(message, 0, message.capacity());
            if (operations == WARM_OPERATIONS)
            {
                warm.countDown();
            }
        }
    }

    private static void pollInALoop(final Subscriber subscriber, final CountDownLatch warm)
    {
        final MessageHandler reading = (buffer, offset, length) -> sink += buffer.getLong(offset);
        for (long operations = 1; ; operations++)
        {
            subscriber.poll(reading, 16);
            if (operations == WARM_OPERATIONS)
            {
                warm.countDown();
            }
        }
    }

    /**
     * A thread offering or polling in a loop until it throws. Its outcome is set once the thread ends: the typed
     * error, another exception, or what ended the thread past its {@code catch} blocks.
     */
    private static final class Looper extends Thread
    {
        private final Publisher publisher;
        private final Subscriber subscriber;
        private final CountDownLatch warm;
        private volatile String outcome = "no outcome";

        Looper(final String name, final Publisher publisher, final Subscriber subscriber, final CountDownLatch warm)
        {
            super(name);
            this.publisher = publisher;
            this.subscriber = subscriber;
            this.warm = warm;
            setDaemon(true);
            setUncaughtExceptionHandler((thread, ex) -> outcome = "ended past its catch blocks by " + ex + " at " +
                (ex.getStackTrace().length > 0 ? ex.getStackTrace()[0] : "?"));
        }

        @Override
        public void run()
        {
            String ended = null;
            while (ended == null)
            {
                try
                {
                    if (publisher != null)
                    {
                        offerInALoop(publisher, warm);
                    }
                    else
                    {
                        pollInALoop(subscriber, warm);
                    }
                }
                catch (final CorruptRegionException ex)
                {
                    ended = ex.field().equals("file.size") ? TYPED : ex.toString();
                }
                catch (final InternalError ex)
                {
                    // Raised in the loop's code after a call returned (docs/guarantees.md): go on.
                }
                catch (final RuntimeException ex)
                {
                    ended = ex.toString();
                }
            }
            outcome = ended;
        }
    }
}
