package io.shmipc.examples.jmh;

import io.shmipc.ChannelKind;
import io.shmipc.MessageHandler;
import io.shmipc.Publisher;
import io.shmipc.Region;
import io.shmipc.Subscriber;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Group;
import org.openjdk.jmh.annotations.GroupThreads;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
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
 * Unbatched 32-byte streaming between two threads, one message per {@link Publisher#offer}, the subscriber polling
 * {@link #POLL_LIMIT} at a time: the publish-subscribe log with one tethered subscriber beside the
 * {@code ONE_TO_ONE} ring. Unlike {@link RingChannelBenchmark}, publisher and subscriber run on two cores, so the
 * cache lines each side writes and the other reads, and the publisher's refused offers while the subscriber catches
 * up, are in the score. Read the {@code received} row (messages per second delivered) and {@code refused} (offers
 * refused per second); the primary score counts both sides' calls and means little.
 */
@State(Scope.Group)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-exports", "java.base/jdk.internal.misc=ALL-UNNAMED"})
public class LogChannelBenchmark
{
    /** Fragment limit of each poll, as the {@code shm-ipc bench} consumers use. */
    static final int POLL_LIMIT = 256;
    private static final int LENGTH = 32;

    /** The channel kind: the log, and the ring it is compared with. */
    @Param({"PUBLISH_SUBSCRIBE", "ONE_TO_ONE"})
    public ChannelKind kind;

    private Region region;
    private Publisher publisher;
    private Subscriber subscriber;
    private final UnsafeBuffer message = new UnsafeBuffer(ByteBuffer.allocateDirect(LENGTH));

    /**
     * What each thread counts, reported per second.
     */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.OPERATIONS)
    public static class Counts
    {
        /** Offers the channel took. */
        public long sent;
        /** Offers refused (back-pressured). */
        public long refused;
        /** Messages delivered to the subscriber's handler. */
        public long received;

        /**
         * Zero the counts before each iteration.
         */
        @Setup(Level.Iteration)
        public void reset()
        {
            sent = 0;
            refused = 0;
            received = 0;
        }
    }

    private final MessageHandler handler = this::onMessage;
    private long receivedBytes;

    /**
     * Create the region and both endpoints.
     */
    @Setup
    public void setUp()
    {
        region = JmhRegions.create(kind);
        publisher = region.publisher(JmhRegions.CHANNEL);
        subscriber = region.subscriber(JmhRegions.CHANNEL);
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
     * One offer of 32 bytes.
     *
     * @param counts this thread's counts.
     */
    @Benchmark
    @Group("stream")
    @GroupThreads(1)
    public void offer(final Counts counts)
    {
        if (publisher.offer(message, 0, LENGTH) == Publisher.OK)
        {
            counts.sent++;
        }
        else
        {
            counts.refused++;
            Thread.onSpinWait();
        }
    }

    /**
     * One poll of up to {@link #POLL_LIMIT} messages.
     *
     * @param counts this thread's counts.
     */
    @Benchmark
    @Group("stream")
    @GroupThreads(1)
    public void poll(final Counts counts)
    {
        final int received = subscriber.poll(handler, POLL_LIMIT);
        if (received == 0)
        {
            Thread.onSpinWait();
        }
        counts.received += received;
    }

    private void onMessage(final DirectBuffer buffer, final int offset, final int length)
    {
        receivedBytes += length;
    }
}
