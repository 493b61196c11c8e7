package io.shmipc.examples.bench;

import io.shmipc.toolkit.SequencedMessage;
import io.shmipc.ChannelKind;
import org.agrona.BitUtil;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.MessageHandler;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.broadcast.BroadcastBufferDescriptor;
import org.agrona.concurrent.broadcast.BroadcastReceiver;
import org.agrona.concurrent.broadcast.BroadcastTransmitter;
import org.agrona.concurrent.ringbuffer.ManyToOneRingBuffer;
import org.agrona.concurrent.ringbuffer.OneToOneRingBuffer;
import org.agrona.concurrent.ringbuffer.RingBuffer;
import org.agrona.concurrent.ringbuffer.RingBufferDescriptor;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Map;

/**
 * The baseline: the same ping-pong and throughput as {@link LibraryRoles}, over bare Agrona ring and broadcast
 * buffers laid on a {@code /dev/shm} file with no framework (no region, endpoint slots, counters, claim marks or
 * wake-up word), so that the framework's cost shows as a ratio.
 * <pre>
 *  File: buffer 0 at offset 0, buffer 1 at STRIDE, each CAPACITY data bytes + the Agrona trailer, page aligned
 *        ping-pong: 0 pings, 1 pongs; broadcast: 0 the broadcast buffer, 1 a many-to-one ring of
 *        acknowledgements (FlowControl)
 * </pre>
 */
final class BareRingRoles
{
    /** Data capacity of every buffer: the same as the library channels of the scenarios. */
    static final int CAPACITY = 1 << 20;
    /** Distance between buffers in the file. */
    static final int STRIDE = BitUtil.align(CAPACITY + RingBufferDescriptor.TRAILER_LENGTH, 4096);
    private static final int MESSAGE_TYPE_ID = 1;

    private BareRingRoles()
    {
    }

    /**
     * The file length for {@code buffers} buffers.
     *
     * @param buffers how many.
     * @return bytes.
     */
    static long fileLength(final int buffers)
    {
        return (long)STRIDE * buffers;
    }

    static void ping(final RoleContext context) throws Exception
    {
        try (SharedFile file = SharedFile.map(Path.of(context.string(Keys.FILE))))
        {
            final ChannelKind kind = ChannelKind.valueOf(context.string(Keys.KIND));
            final RingBuffer ping = ring(file.buffer(), 0, kind);
            final RingBuffer pong = ring(file.buffer(), 1, kind);
            context.ready();
            final long[] echoed = new long[1];
            final MessageHandler handler =
                (typeId, buffer, index, length) -> echoed[0] = SequencedMessage.sequence(buffer, index);
            final RoundTrip roundTrip = RoundTrip.spinning((message, length) -> write(ping, message, 0, length),
                () -> pong.read(handler, 1), () -> echoed[0]);
            context.result(PingLoop.run(roundTrip, context.integer(Keys.LENGTH), context.warmupNs(),
                context.durationNs()));
        }
    }

    static void pong(final RoleContext context) throws Exception
    {
        try (SharedFile file = SharedFile.map(Path.of(context.string(Keys.FILE))))
        {
            final ChannelKind kind = ChannelKind.valueOf(context.string(Keys.KIND));
            final RingBuffer ping = ring(file.buffer(), 0, kind);
            final RingBuffer pong = ring(file.buffer(), 1, kind);
            context.ready();
            final long[] echoed = new long[1];
            final boolean[] ended = new boolean[1];
            final MessageHandler echo = (typeId, buffer, index, length) ->
            {
                if (SequencedMessage.phase(buffer, index) == SequencedMessage.PHASE_END)
                {
                    ended[0] = true;
                    return;
                }
                write(pong, buffer, index, length);
                echoed[0]++;
            };
            while (!ended[0])
            {
                if (ping.read(echo, 1) == 0)
                {
                    Thread.onSpinWait();
                }
            }
            context.result(PingLoop.echoResult(echoed[0]));
        }
    }

    static void producer(final RoleContext context) throws Exception
    {
        try (SharedFile file = SharedFile.map(Path.of(context.string(Keys.FILE))))
        {
            final ChannelKind kind = ChannelKind.valueOf(context.string(Keys.KIND));
            final int burst = context.integer(Keys.BURST, 0);
            final MessageSink sink;
            FlowControl.Waiter waiter = null;
            if (kind == ChannelKind.BROADCAST)
            {
                final BroadcastTransmitter transmitter = new BroadcastTransmitter(area(file.buffer(), 0, kind));
                sink = (message, length) ->
                {
                    transmitter.transmit(MESSAGE_TYPE_ID, message, 0, length);
                    return true;
                };
                final RingBuffer acknowledgements = ring(file.buffer(), 1, ChannelKind.MANY_TO_ONE);
                final FlowControl.Tracker tracker = new FlowControl.Tracker(context.integer(Keys.CONSUMERS));
                final MessageHandler handler = (typeId, buffer, index, length) -> tracker.onAck(buffer, index);
                waiter = count ->
                {
                    while (tracker.minimum() < count)
                    {
                        if (acknowledgements.read(handler, LibraryRoles.POLL_LIMIT) == 0)
                        {
                            Thread.onSpinWait();
                        }
                    }
                };
            }
            else
            {
                final RingBuffer ring = ring(file.buffer(), 0, kind);
                sink = (message, length) -> ring.write(MESSAGE_TYPE_ID, message, 0, length);
            }
            context.ready();
            context.result(ThroughputProducer.run(sink, context.integer(Keys.PRODUCER), context.integer(Keys.LENGTH),
                context.warmupNs(), context.durationNs(), burst, waiter));
        }
    }

    static void consumer(final RoleContext context) throws Exception
    {
        try (SharedFile file = SharedFile.map(Path.of(context.string(Keys.FILE))))
        {
            final ChannelKind kind = ChannelKind.valueOf(context.string(Keys.KIND));
            final int burst = context.integer(Keys.BURST, 0);
            FlowControl.Acknowledger acknowledger = null;
            if (burst > 0)
            {
                final RingBuffer acknowledgements = ring(file.buffer(), 1, ChannelKind.MANY_TO_ONE);
                final UnsafeBuffer ack = new UnsafeBuffer(new byte[FlowControl.ACK_LENGTH]);
                final int index = context.integer(Keys.CONSUMER);
                acknowledger = count ->
                {
                    FlowControl.writeAck(ack, count, index);
                    write(acknowledgements, ack, 0, FlowControl.ACK_LENGTH);
                };
            }
            final MessageReceiver receiver = new MessageReceiver(context.integer(Keys.PRODUCERS), burst, acknowledger);
            final MessageSource source;
            if (kind == ChannelKind.BROADCAST)
            {
                source = new BroadcastSource(new BroadcastReceiver(area(file.buffer(), 0, kind)), receiver);
            }
            else
            {
                final RingBuffer ring = ring(file.buffer(), 0, kind);
                final MessageHandler handler = (typeId, buffer, index, length) -> receiver.onMessage(buffer, index);
                source = () -> ring.read(handler, LibraryRoles.POLL_LIMIT);
            }
            context.ready();
            receiver.consume(source);
            final Map<String, String> result = receiver.result();
            context.result(result);
        }
    }

    private static UnsafeBuffer area(final UnsafeBuffer file, final int index, final ChannelKind kind)
    {
        final int trailer = kind == ChannelKind.BROADCAST ?
            BroadcastBufferDescriptor.TRAILER_LENGTH : RingBufferDescriptor.TRAILER_LENGTH;
        return new UnsafeBuffer(file, index * STRIDE, CAPACITY + trailer);
    }

    static RingBuffer ring(final UnsafeBuffer file, final int index, final ChannelKind kind)
    {
        final UnsafeBuffer area = area(file, index, kind);
        return kind == ChannelKind.MANY_TO_ONE ? new ManyToOneRingBuffer(area) : new OneToOneRingBuffer(area);
    }

    private static void write(final RingBuffer ring, final DirectBuffer buffer, final int index, final int length)
    {
        while (!ring.write(MESSAGE_TYPE_ID, buffer, index, length))
        {
            Thread.onSpinWait();
        }
    }

    /**
     * A bare broadcast receiver doing what a lapping-tolerant receiver must: copy each record out, then check that
     * it was not overwritten meanwhile (Agrona's {@code CopyBroadcastReceiver} throws when lapped instead).
     */
    private static final class BroadcastSource implements MessageSource
    {
        private final BroadcastReceiver broadcastReceiver;
        private final MessageReceiver receiver;
        private final MutableDirectBuffer scratch = new UnsafeBuffer(ByteBuffer.allocateDirect(CAPACITY >> 3));

        BroadcastSource(final BroadcastReceiver broadcastReceiver, final MessageReceiver receiver)
        {
            this.broadcastReceiver = broadcastReceiver;
            this.receiver = receiver;
        }

        @Override
        public int poll()
        {
            int delivered = 0;
            while (delivered < LibraryRoles.POLL_LIMIT && broadcastReceiver.receiveNext())
            {
                final int length = broadcastReceiver.length();
                scratch.putBytes(0, broadcastReceiver.buffer(), broadcastReceiver.offset(), length);
                if (broadcastReceiver.validate())
                {
                    receiver.onMessage(scratch, 0);
                    delivered++;
                }
            }
            return delivered;
        }
    }
}
