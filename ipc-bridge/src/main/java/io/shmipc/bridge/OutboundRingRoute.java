package io.shmipc.bridge;

import io.aeron.Image;
import io.aeron.Publication;
import io.aeron.Subscription;
import io.aeron.logbuffer.BufferClaim;
import io.aeron.logbuffer.FragmentHandler;
import io.aeron.logbuffer.Header;
import io.shmipc.MessageHandler;
import io.shmipc.Subscriber;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
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
 * <p>
 * When several small messages wait in the log, they travel in one batch frame ({@link FrameDescriptor}) of at most
 * the publication's MTU payload, claimed from Aeron once ({@code tryClaim}) and filled straight from the log; a
 * message alone, or one too long for a batch, travels in a data frame of its own, offered from the log without a
 * copy. Batches are formed anew at every send, replays included: the log keeps one record per message, so acks,
 * rewinds and restarts work per message whatever the batching.
 */
final class OutboundRingRoute implements Route, MessageHandler, FragmentHandler
{
    /** Most messages taken from the ring per duty cycle. */
    private static final int POLL_LIMIT = 256;
    /** Most frames sent per duty cycle. */
    private static final int SEND_LIMIT = 256;
    /** Most ring polls per duty cycle: each is bounded by the log's room, measured again before the next. */
    private static final int POLLS_PER_CYCLE = 8;

    private final BridgeRoute route;
    private final Subscriber local;
    private final ReplayLog log;
    private final Publication data;
    private final Subscription control;
    private final AtomicCounter[] counters;
    private final BridgeTransport transport;
    private final UnsafeBuffer syncFrame = new UnsafeBuffer(new byte[FrameDescriptor.SYNC_LENGTH]);
    private final BufferClaim claim = new BufferClaim();
    private final int maxBatchLength;
    private long sendPosition;
    /** Sequences from here on have never been sent by this process: below it, a send is a replay. */
    private long firstUnsentSequence;
    private boolean syncPending;
    private boolean receiverKnown;
    private long receiverId;
    private long syncRequest;
    private boolean held;
    /** Where the batch measured by {@link #batchable} ends, and its frame length. */
    private long batchEnd;
    private int batchLength;
    /** Counts of the send in progress, added to the counters once per send. */
    private final MessageTally sentFirstTime = new MessageTally();
    private long replayedMessages;

    @Override
    public void checkMappedFiles()
    {
        log.checkWhole();
    }

    @Override
    public long unacknowledgedMessages()
    {
        return log.nextSequence() - log.headSequence();
    }

    OutboundRingRoute(final BridgeRoute route, final Subscriber local, final ReplayLog log, final Publication data,
        final Subscription control, final AtomicCounter[] counters, final BridgeTransport transport)
    {
        this.transport = transport;
        this.route = route;
        this.local = local;
        this.log = log;
        this.data = data;
        this.control = control;
        this.counters = counters;
        this.sendPosition = log.headPosition();
        this.firstUnsentSequence = log.nextSequence();
        this.maxBatchLength = data.maxPayloadLength();
        counters[PENDING_OR_MALFORMED].setRelease(log.tailPosition() - log.headPosition());
    }

    @Override
    public int doWork(final long nowNs)
    {
        int work = control.poll(this, 16);
        work += send();
        int taken = 0;
        for (int polls = 0; polls < POLLS_PER_CYCLE && taken < POLL_LIMIT; polls++)
        {
            final int room = log.ringRecordsThatFit(POLL_LIMIT - taken);
            if (room == 0)
            {
                if (!held)
                {
                    held = true;
                    counters[BACK_PRESSURE].incrementRelease();
                }
                break;
            }
            held = false;
            final int polled = local.poll(this, room);
            if (polled == 0)
            {
                break;
            }
            taken += polled;
        }
        if (taken > 0)
        {
            work += taken + send();
        }
        counters[PENDING_OR_MALFORMED].setRelease(log.tailPosition() - log.headPosition());
        return work;
    }

    /**
     * A clean stop: take nothing more from the ring, send what the log holds and read acknowledgements until the
     * receiver has acknowledged all of it (the log is then deleted at close), or there is no receiver to wait for. A
     * receiver that stops at the same time disconnects the data stream right after its last acknowledgement: that
     * acknowledgement is read before the route gives up, from the receiver's control stream, which ends after it.
     */
    @Override
    public boolean drain(final long nowNs)
    {
        final boolean receiverGone = !data.isConnected() && controlStreamEnded();
        control.poll(this, 16);
        send();
        return !receiverKnown || receiverGone || log.headPosition() == log.tailPosition();
    }

    /**
     * Whether every control stream received has ended (its sender closed it and all of it was read) or gone.
     */
    private boolean controlStreamEnded()
    {
        for (int i = 0, count = control.imageCount(); i < count; i++)
        {
            final Image image = control.imageAtIndex(i);
            if (!image.isEndOfStream() && !image.isClosed())
            {
                return false;
            }
        }
        return true;
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
            FrameDescriptor.putSyncFrame(syncFrame, 0, log.headSequence(), FrameDescriptor.FLAG_SYNC, log.logId(),
                receiverId, syncRequest);
            if (!sent(data.offer(syncFrame, 0, FrameDescriptor.SYNC_LENGTH)))
            {
                return 0;
            }
            syncPending = false;
        }
        int frames = 0;
        final long tail = log.tailPosition();
        while (sendPosition < tail && frames < SEND_LIMIT)
        {
            if (log.recordType(sendPosition) != ReplayLogDescriptor.TYPE_MESSAGE)
            {
                sendPosition = log.nextPosition(sendPosition);
                continue;
            }
            final int count = batchable(sendPosition, tail);
            if (!(count > 1 ? sendBatch(count) : sendOne()))
            {
                break;
            }
            frames++;
        }
        flushSendCounts();
        return frames;
    }

    /**
     * The message at the send position, in a data frame of its own, offered straight from the log.
     */
    private boolean sendOne()
    {
        final int length = log.frameLength(sendPosition);
        if (!sent(data.offer(log.buffer(), log.frameOffset(sendPosition), length)))
        {
            return false;
        }
        countSent(log.sequenceAt(sendPosition), length - FrameDescriptor.DATA_HEADER_LENGTH);
        sendPosition = log.nextPosition(sendPosition);
        return true;
    }

    /**
     * How many messages from {@code position} (a message record) fit one batch frame: consecutive sequences, each
     * entry within {@link #maxBatchLength}. Sets {@link #batchEnd} and {@link #batchLength}.
     */
    private int batchable(final long position, final long tail)
    {
        final long first = log.sequenceAt(position);
        int length = FrameDescriptor.BATCH_HEADER_LENGTH;
        int count = 0;
        long at = position;
        while (at < tail)
        {
            if (log.recordType(at) == ReplayLogDescriptor.TYPE_MESSAGE)
            {
                final int entry = FrameDescriptor.entryLength(log.frameLength(at) - FrameDescriptor.DATA_HEADER_LENGTH);
                if (length + entry > maxBatchLength || log.sequenceAt(at) != first + count)
                {
                    break;
                }
                length += entry;
                count++;
            }
            at = log.nextPosition(at);
        }
        batchEnd = at;
        batchLength = length;
        return count;
    }

    /**
     * The {@code count} messages {@link #batchable} measured, in one batch frame claimed from Aeron and filled from
     * the log.
     */
    private boolean sendBatch(final int count)
    {
        if (!sent(data.tryClaim(batchLength, claim)))
        {
            return false;
        }
        final MutableDirectBuffer frame = claim.buffer();
        final int frameOffset = claim.offset();
        final int frameEnd = frameOffset + batchLength;
        final long first = log.sequenceAt(sendPosition);
        FrameDescriptor.putDataHeader(frame, frameOffset, first, FrameDescriptor.FLAG_BATCH, log.logId());
        FrameDescriptor.putBatchCount(frame, frameOffset, count);
        int entry = frameOffset + FrameDescriptor.BATCH_HEADER_LENGTH;
        long sequence = first;
        for (long at = sendPosition; at < batchEnd; at = log.nextPosition(at))
        {
            if (log.recordType(at) == ReplayLogDescriptor.TYPE_MESSAGE)
            {
                final int messageLength = log.frameLength(at) - FrameDescriptor.DATA_HEADER_LENGTH;
                if (entry + FrameDescriptor.entryLength(messageLength) > frameEnd)
                {
                    claim.abort();
                    throw BridgeException.corrupt(log.file(), "frame length at position " + at,
                        "the length measured a moment before", messageLength + FrameDescriptor.DATA_HEADER_LENGTH);
                }
                FrameDescriptor.putEntryLength(frame, entry, messageLength);
                frame.putBytes(entry + FrameDescriptor.ENTRY_HEADER_LENGTH, log.buffer(),
                    log.frameOffset(at) + FrameDescriptor.DATA_HEADER_LENGTH, messageLength);
                entry += FrameDescriptor.entryLength(messageLength);
                countSent(sequence++, messageLength);
            }
        }
        claim.commit();
        sendPosition = batchEnd;
        return true;
    }

    private void countSent(final long sequence, final int messageLength)
    {
        if (sequence < firstUnsentSequence)
        {
            replayedMessages++;
        }
        else
        {
            firstUnsentSequence = sequence + 1;
            sentFirstTime.add(messageLength);
        }
    }

    private void flushSendCounts()
    {
        sentFirstTime.flushTo(counters[MESSAGES], counters[BYTES]);
        if (replayedMessages > 0)
        {
            counters[REPLAYED].getAndAddRelease(replayedMessages);
            replayedMessages = 0;
        }
    }

    private boolean sent(final long result)
    {
        if (result > 0)
        {
            transport.offered();
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
        if (!FrameDescriptor.isControlFrameFor(buffer, offset, length, data.streamId()))
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
