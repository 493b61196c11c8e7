package io.shmipc.examples.jmh;

import io.shmipc.ChannelKind;
import io.shmipc.Claim;
import io.shmipc.MessageHandler;
import io.shmipc.Publisher;
import io.shmipc.Region;
import io.shmipc.Subscriber;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.broadcast.BroadcastBufferDescriptor;
import org.agrona.concurrent.broadcast.BroadcastReceiver;
import org.agrona.concurrent.broadcast.BroadcastTransmitter;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;

/**
 * Broadcast hot paths in one thread: transmit one 32-byte message and receive it, through the library and on bare
 * Agrona broadcast buffers with the same copy-then-validate receive.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-exports", "java.base/jdk.internal.misc=ALL-UNNAMED"})
public class BroadcastChannelBenchmark
{
    private static final int LENGTH = 32;
    private static final int TYPE_ID = 1;

    private Region region;
    private Publisher publisher;
    private Subscriber subscriber;
    private final Claim claim = new Claim();
    private final UnsafeBuffer message = new UnsafeBuffer(ByteBuffer.allocateDirect(LENGTH));
    private final UnsafeBuffer scratch = new UnsafeBuffer(ByteBuffer.allocateDirect(JmhRegions.CAPACITY >> 3));
    private BroadcastTransmitter bareTransmitter;
    private BroadcastReceiver bareReceiver;
    private long receivedBytes;
    private final MessageHandler handler = this::onMessage;

    /**
     * Create the region, the endpoints and the bare buffers.
     */
    @Setup
    public void setUp()
    {
        region = JmhRegions.create(ChannelKind.BROADCAST);
        publisher = region.publisher(JmhRegions.CHANNEL);
        subscriber = region.subscriber(JmhRegions.CHANNEL);
        final UnsafeBuffer bare = new UnsafeBuffer(
            ByteBuffer.allocateDirect(JmhRegions.CAPACITY + BroadcastBufferDescriptor.TRAILER_LENGTH));
        bareTransmitter = new BroadcastTransmitter(bare);
        bareReceiver = new BroadcastReceiver(bare);
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
     * {@link Publisher#offer} (transmit) then {@link Subscriber#poll(MessageHandler, int)} (receive, copied).
     *
     * @return messages received.
     */
    @Benchmark
    public int transmitReceive()
    {
        publisher.offer(message, 0, LENGTH);
        return subscriber.poll(handler, 1);
    }

    /**
     * Claim, write in place, commit (copied into the channel on commit), then receive.
     *
     * @return messages received.
     */
    @Benchmark
    public int claimCommitReceive()
    {
        if (publisher.tryClaim(LENGTH, claim) == Publisher.OK)
        {
            claim.buffer().putLong(claim.offset(), receivedBytes);
            claim.commit();
        }
        return subscriber.poll(handler, 1);
    }

    /**
     * The same on bare Agrona buffers: transmit, then receiveNext, copy out, validate.
     *
     * @return messages received.
     */
    @Benchmark
    public int bareTransmitReceive()
    {
        bareTransmitter.transmit(TYPE_ID, message, 0, LENGTH);
        if (bareReceiver.receiveNext())
        {
            final int length = bareReceiver.length();
            scratch.putBytes(0, bareReceiver.buffer(), bareReceiver.offset(), length);
            if (bareReceiver.validate())
            {
                receivedBytes += length;
                return 1;
            }
        }
        return 0;
    }

    private void onMessage(final DirectBuffer buffer, final int offset, final int length)
    {
        receivedBytes += length;
    }
}
