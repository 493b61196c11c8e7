package io.shmipc.bridge;

import io.aeron.Publication;
import io.aeron.Subscription;
import io.aeron.logbuffer.FragmentHandler;
import io.aeron.logbuffer.Header;
import io.shmipc.MessageHandler;
import io.shmipc.Subscriber;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.status.AtomicCounter;

import java.io.IOException;
import java.nio.file.Files;

import static io.shmipc.bridge.BridgeCountersDescriptor.BACK_PRESSURE;
import static io.shmipc.bridge.BridgeCountersDescriptor.BYTES;
import static io.shmipc.bridge.BridgeCountersDescriptor.MESSAGES;
import static io.shmipc.bridge.BridgeCountersDescriptor.PENDING_OR_MALFORMED;
import static io.shmipc.bridge.BridgeCountersDescriptor.RECONNECTS;
import static io.shmipc.bridge.BridgeCountersDescriptor.REPLAYED;
import static io.shmipc.bridge.BridgeCountersDescriptor.TRANSPORT_BACK_PRESSURE;

/**
 * Sends a local ring channel to the peer without loss. Messages move from the ring into the replay log only while
 * the log has room (so a full log leaves them in the ring, and the ring's publishers see back-pressure), are sent
 * from the log, and are freed from it when the receiving bridge acknowledges that they are in its region. A
 * receiver that asks for a sync (new, restarted, or one that saw a gap) makes the route rewind to the oldest
 * unacknowledged message, announced by a sync frame.
 */
final class OutboundRingRoute implements Route, MessageHandler, FragmentHandler
{
    /** Most messages taken from the ring per duty cycle. */
    private static final int POLL_LIMIT = 256;
    /** Most frames sent per duty cycle. */
    private static final int SEND_LIMIT = 256;

    private final BridgeRoute route;
    private final Subscriber local;
    private final ReplayLog log;
    private final Publication data;
    private final Subscription control;
    private final AtomicCounter[] counters;
    private final UnsafeBuffer syncFrame = new UnsafeBuffer(new byte[FrameDescriptor.DATA_HEADER_LENGTH]);
    private long sendPosition;
    /** Sequences from here on have never been sent by this process: below it, a send is a replay. */
    private long firstUnsentSequence;
    private boolean syncPending;
    private boolean receiverKnown;
    private long receiverId;
    private long syncRequest;
    private boolean held;

    OutboundRingRoute(final BridgeRoute route, final Subscriber local, final ReplayLog log, final Publication data,
        final Subscription control, final AtomicCounter[] counters)
    {
        this.route = route;
        this.local = local;
        this.log = log;
        this.data = data;
        this.control = control;
        this.counters = counters;
        this.sendPosition = log.headPosition();
        this.firstUnsentSequence = log.nextSequence();
        counters[PENDING_OR_MALFORMED].setRelease(log.tailPosition() - log.headPosition());
    }

    @Override
    public int doWork(final long nowNs)
    {
        int work = control.poll(this, 16);
        work += send();
        final int room = log.messagesThatFit(POLL_LIMIT);
        if (room == 0)
        {
            if (!held)
            {
                held = true;
                counters[BACK_PRESSURE].incrementRelease();
            }
        }
        else
        {
            held = false;
            final int taken = local.poll(this, room);
            if (taken > 0)
            {
                work += taken + send();
            }
        }
        counters[PENDING_OR_MALFORMED].setRelease(log.tailPosition() - log.headPosition());
        return work;
    }

    /**
     * A message from the local ring: into the replay log (room was checked before the poll).
     */
    @Override
    public void onMessage(final DirectBuffer buffer, final int offset, final int length)
    {
        log.append(buffer, offset, length);
    }

    /**
     * Send the sync frame if one is due, then the log from the send position, until Aeron pushes back. Nothing is
     * sent before a receiver has asked for a sync: what it would get before then it drops.
     */
    private int send()
    {
        if (!receiverKnown)
        {
            return 0;
        }
        if (syncPending)
        {
            FrameDescriptor.putDataHeader(syncFrame, 0, log.headSequence(), FrameDescriptor.FLAG_SYNC, log.logId());
            if (!sent(data.offer(syncFrame, 0, FrameDescriptor.DATA_HEADER_LENGTH)))
            {
                return 0;
            }
            syncPending = false;
        }
        int frames = 0;
        final long tail = log.tailPosition();
        while (sendPosition < tail && frames < SEND_LIMIT)
        {
            if (log.recordType(sendPosition) == ReplayLogDescriptor.TYPE_MESSAGE)
            {
                final int length = log.frameLength(sendPosition);
                if (!sent(data.offer(log.buffer(), log.frameOffset(sendPosition), length)))
                {
                    break;
                }
                final long sequence = log.sequenceAt(sendPosition);
                if (sequence < firstUnsentSequence)
                {
                    counters[REPLAYED].incrementRelease();
                }
                else
                {
                    firstUnsentSequence = sequence + 1;
                    counters[MESSAGES].incrementRelease();
                    counters[BYTES].getAndAddRelease(length - FrameDescriptor.DATA_HEADER_LENGTH);
                }
                frames++;
            }
            sendPosition = log.nextPosition(sendPosition);
        }
        return frames;
    }

    private boolean sent(final long result)
    {
        if (result > 0)
        {
            return true;
        }
        if (result == Publication.CLOSED || result == Publication.MAX_POSITION_EXCEEDED)
        {
            throw new BridgeException(null, "route " + route + ": Aeron publication unusable: result=" +
                Publication.errorString(result) + " stream=" + data.streamId());
        }
        counters[TRANSPORT_BACK_PRESSURE].incrementRelease();
        return false;
    }

    /**
     * A control frame from the receiving bridge.
     */
    @Override
    public void onFragment(final DirectBuffer buffer, final int offset, final int length, final Header header)
    {
        if (length != FrameDescriptor.CONTROL_LENGTH ||
            FrameDescriptor.controlStreamId(buffer, offset) != data.streamId())
        {
            return; // not ours or malformed: the network is untrusted, and the stream is only ever ours
        }
        final int type = FrameDescriptor.controlType(buffer, offset);
        final long value = FrameDescriptor.controlValue(buffer, offset);
        if (type == FrameDescriptor.TYPE_ACK)
        {
            if (FrameDescriptor.controlLogId(buffer, offset) == log.logId() && value <= log.nextSequence())
            {
                log.release(value);
                sendPosition = Math.max(sendPosition, log.headPosition());
            }
        }
        else if (type == FrameDescriptor.TYPE_SYNC_REQUEST)
        {
            final long requester = FrameDescriptor.controlReceiverId(buffer, offset);
            if (!receiverKnown || requester != receiverId || value != syncRequest)
            {
                receiverKnown = true;
                receiverId = requester;
                syncRequest = value;
                sendPosition = log.headPosition();
                syncPending = true;
                counters[RECONNECTS].incrementRelease();
            }
        }
    }

    @Override
    public void close()
    {
        local.close();
        data.close();
        control.close();
        final boolean empty = log.headPosition() == log.tailPosition();
        log.close();
        if (empty)
        {
            try
            {
                // Nothing awaits acknowledgement: the next start begins a new log, which its receiver syncs to.
                Files.deleteIfExists(log.file());
            }
            catch (final IOException ex)
            {
                throw new BridgeException(null, "cannot remove empty replay log: file=" + log.file(), ex);
            }
        }
    }
}
