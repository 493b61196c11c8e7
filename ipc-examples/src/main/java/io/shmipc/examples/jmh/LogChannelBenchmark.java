package io.shmipc.examples.jmh;

import io.shmipc.ChannelKind;
import io.shmipc.Claim;
import io.shmipc.MessageHandler;
import io.shmipc.Publisher;
import io.shmipc.Region;
import io.shmipc.Subscriber;
import io.shmipc.SubscriberOptions;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;

/**
 * The {@code PUBLISH_SUBSCRIBE} hot paths in one thread: offer and poll, claim and commit, a burst of offers polled
 * at once, with the subscriber tethered (reads in place) or untethered (copies and checks each record). Run with
 * {@code -prof gc}: every one allocates 0 B/op.
 * <pre>
 * java -cp ipc-examples/target/shm-ipc.jar org.openjdk.jmh.Main LogChannelBenchmark -prof gc
 * </pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-exports", "java.base/jdk.internal.misc=ALL-UNNAMED"})
public class LogChannelBenchmark
{
    /** Messages offered, then polled in one call, by {@link #burstOfferPoll()}. */
    static final int BURST = 256;
    private static final int LENGTH = 32;

    /** Whether the subscriber holds the publisher back (reads in place) or not (copies and checks). */
    @Param({"true", "false"})
    public boolean tethered;

    private Region region;
    private Publisher publisher;
    private Subscriber subscriber;
    private final Claim claim = new Claim();
    private final UnsafeBuffer message = new UnsafeBuffer(ByteBuffer.allocateDirect(LENGTH));
    private long receivedBytes;
    private final MessageHandler handler = this::onMessage;

    /**
     * Create the region and the endpoints.
     */
    @Setup
    public void setUp()
    {
        region = JmhRegions.create(ChannelKind.PUBLISH_SUBSCRIBE);
        publisher = region.publisher(JmhRegions.CHANNEL);
        subscriber = region.subscriber(JmhRegions.CHANNEL,
            tethered ? SubscriberOptions.defaults() : SubscriberOptions.defaults().untethered());
        message.setMemory(0, LENGTH, (byte)7);
    }

    /**
     * Close the region (and unlink it).
     */
    @TearDown
    public void tearDown()
    {
        region.close();
    }

    /**
     * {@link Publisher#offer} then {@link Subscriber#poll(MessageHandler, int)}.
     *
     * @return messages consumed.
     */
    @Benchmark
    public int offerPoll()
    {
        publisher.offer(message, 0, LENGTH);
        return subscriber.poll(handler, 1);
    }

    /**
     * {@link #BURST} offers, then one poll delivering them all (scores are per message).
     *
     * @return messages consumed.
     */
    @Benchmark
    @OperationsPerInvocation(BURST)
    public int burstOfferPoll()
    {
        for (int i = 0; i < BURST; i++)
        {
            publisher.offer(message, 0, LENGTH);
        }
        return subscriber.poll(handler, BURST);
    }

    /**
     * {@link Publisher#tryClaim}, write 8 bytes in place, {@link Claim#commit()}, then poll.
     *
     * @return messages consumed.
     */
    @Benchmark
    public int claimCommitPoll()
    {
        if (publisher.tryClaim(LENGTH, claim) == Publisher.OK)
        {
            claim.buffer().putLong(claim.offset(), receivedBytes);
            claim.commit();
        }
        return subscriber.poll(handler, 1);
    }

    private void onMessage(final DirectBuffer buffer, final int offset, final int length)
    {
        receivedBytes += length;
    }
}
