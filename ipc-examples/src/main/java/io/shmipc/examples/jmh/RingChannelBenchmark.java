package io.shmipc.examples.jmh;

import io.shmipc.BatchingPublisher;
import io.shmipc.ChannelKind;
import io.shmipc.Claim;
import io.shmipc.MessageHandler;
import io.shmipc.Publisher;
import io.shmipc.Region;
import io.shmipc.Subscriber;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.ringbuffer.ManyToOneRingBuffer;
import org.agrona.concurrent.ringbuffer.OneToOneRingBuffer;
import org.agrona.concurrent.ringbuffer.RingBuffer;
import org.agrona.concurrent.ringbuffer.RingBufferDescriptor;
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
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Ring and publish-subscribe channel hot paths in one thread: publish one 32-byte message and consume it, through the
 * library and on a bare Agrona ring of the same kind (a one-to-one ring for the publish-subscribe log), so the
 * difference is the framework's cost per message. Every method leaves the channel empty, so the steady state never
 * back-pressures. Run with {@code -prof gc}: every library method allocates 0 B/op.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-exports", "java.base/jdk.internal.misc=ALL-UNNAMED"})
public class RingChannelBenchmark
{
    /** Messages per batch record in {@link #batchedOfferPoll()}. */
    static final int BATCH = 64;
    /** Messages offered, then polled in one call, by {@link #burstOfferPoll()}: a consumer catching up. */
    static final int BURST = 256;
    private static final int LENGTH = 32;
    private static final int TYPE_ID = 1;
    private static final Duration BLOCKING_TIMEOUT = Duration.ofSeconds(1);

    /** The channel kind: the rings, and the publish-subscribe log (its bare reference is a one-to-one ring). */
    @Param({"ONE_TO_ONE", "MANY_TO_ONE", "PUBLISH_SUBSCRIBE"})
    public ChannelKind kind;

    private Region region;
    private Publisher publisher;
    private Subscriber subscriber;
    private BatchingPublisher batching;
    private final Claim claim = new Claim();
    private final UnsafeBuffer message = new UnsafeBuffer(ByteBuffer.allocateDirect(LENGTH));
    private RingBuffer bareRing;
    private long receivedBytes;
    private final MessageHandler handler = this::onMessage;
    private final org.agrona.concurrent.MessageHandler bareHandler =
        (typeId, buffer, index, length) -> receivedBytes += length;

    /**
     * Create the region, the endpoints and the bare ring.
     */
    @Setup
    public void setUp()
    {
        region = JmhRegions.create(kind);
        publisher = region.publisher(JmhRegions.CHANNEL);
        subscriber = region.subscriber(JmhRegions.CHANNEL);
        batching = publisher.batching(BATCH * (LENGTH + BatchingPublisher.ENTRY_HEADER_LENGTH));
        final UnsafeBuffer bare = new UnsafeBuffer(
            ByteBuffer.allocateDirect(JmhRegions.CAPACITY + RingBufferDescriptor.TRAILER_LENGTH));
        bareRing = kind == ChannelKind.MANY_TO_ONE ? new ManyToOneRingBuffer(bare) : new OneToOneRingBuffer(bare);
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
     * {@link #BURST} offers, then one poll delivering them all, as a consumer that has fallen behind does (scores
     * are per message).
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
     * The same on a bare Agrona ring: {@link #BURST} writes, one read.
     *
     * @return messages consumed.
     */
    @Benchmark
    @OperationsPerInvocation(BURST)
    public int bareBurstWriteRead()
    {
        for (int i = 0; i < BURST; i++)
        {
            bareRing.write(TYPE_ID, message, 0, LENGTH);
        }
        return bareRing.read(bareHandler, BURST);
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

    /**
     * {@link #BATCH} messages through {@link BatchingPublisher#offer}, one flush, one poll delivering them all
     * (scores are per message).
     *
     * @return messages consumed.
     */
    @Benchmark
    @OperationsPerInvocation(BATCH)
    public int batchedOfferPoll()
    {
        for (int i = 0; i < BATCH; i++)
        {
            batching.offer(message, 0, LENGTH);
        }
        batching.flush();
        return subscriber.poll(handler, 1);
    }

    /**
     * Offer then a blocking poll ({@link Subscriber#poll(MessageHandler, int, Duration)}) that finds the message
     * at once: the cost of the blocking API when there is work.
     *
     * @return messages consumed.
     */
    @Benchmark
    public int offerBlockingPoll()
    {
        publisher.offer(message, 0, LENGTH);
        return subscriber.poll(handler, 1, BLOCKING_TIMEOUT);
    }

    /**
     * A poll that finds nothing: what a busy-spinning subscriber does most of the time.
     *
     * @return messages consumed (0).
     */
    @Benchmark
    public int emptyPoll()
    {
        return subscriber.poll(handler, 1);
    }

    /**
     * A read of an empty bare Agrona ring.
     *
     * @return messages consumed (0).
     */
    @Benchmark
    public int bareEmptyRead()
    {
        return bareRing.read(bareHandler, 1);
    }

    /**
     * The same on a bare Agrona ring: {@code write} then {@code read}.
     *
     * @return messages consumed.
     */
    @Benchmark
    public int bareWriteRead()
    {
        bareRing.write(TYPE_ID, message, 0, LENGTH);
        return bareRing.read(bareHandler, 1);
    }

    private void onMessage(final DirectBuffer buffer, final int offset, final int length)
    {
        receivedBytes += length;
    }
}
