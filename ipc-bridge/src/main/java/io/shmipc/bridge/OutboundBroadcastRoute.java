package io.shmipc.bridge;

import io.aeron.Publication;
import io.shmipc.MessageHandler;
import io.shmipc.Subscriber;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.status.AtomicCounter;


import static io.shmipc.bridge.BridgeCountersDescriptor.BYTES;
import static io.shmipc.bridge.BridgeCountersDescriptor.LOST;
import static io.shmipc.bridge.BridgeCountersDescriptor.MESSAGES;
import static io.shmipc.bridge.BridgeCountersDescriptor.TRANSPORT_BACK_PRESSURE;

/**
 * Sends a local broadcast channel to the peer as a broadcast transmitter would: never waiting. A message Aeron
 * refuses (back-pressured, or no receiver connected) is dropped and counted as lost; the sequence in each frame lets
 * the receiving bridge count gaps too. Messages the local subscriber itself lost to lapping are counted by the
 * region, as for any broadcast receiver.
 */
final class OutboundBroadcastRoute implements Route, MessageHandler
{
    private static final int POLL_LIMIT = 256;

    private final Subscriber local;
    private final Publication data;
    private final AtomicCounter[] counters;
    private final BridgeTransport transport;
    private final UnsafeBuffer header = new UnsafeBuffer(new byte[FrameDescriptor.DATA_HEADER_LENGTH]);
    private final long incarnation;
    private long sequence;

    OutboundBroadcastRoute(final Subscriber local, final Publication data, final AtomicCounter[] counters,
        final BridgeTransport transport)
    {
        this.transport = transport;
        this.local = local;
        this.data = data;
        this.counters = counters;
        this.incarnation = FrameDescriptor.randomId();
    }

    @Override
    public int doWork(final long nowNs)
    {
        return local.poll(this, POLL_LIMIT);
    }

    @Override
    public void onMessage(final DirectBuffer buffer, final int offset, final int length)
    {
        FrameDescriptor.putDataHeader(header, 0, sequence++, FrameDescriptor.FLAG_UNRELIABLE, incarnation);
        final long result = data.offer(header, 0, FrameDescriptor.DATA_HEADER_LENGTH, buffer, offset, length);
        if (result > 0)
        {
            transport.offered();
            counters[MESSAGES].incrementRelease();
            counters[BYTES].getAndAddRelease(length);
        }
        else
        {
            counters[TRANSPORT_BACK_PRESSURE].incrementRelease();
            counters[LOST].incrementRelease();
        }
    }

    @Override
    public void close()
    {
        local.close();
        data.close();
    }
}
