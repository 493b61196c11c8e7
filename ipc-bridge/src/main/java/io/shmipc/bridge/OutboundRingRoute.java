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
    /** The sequence of the first message at or after the send position: sequences run on by one in the log. */
    private long sendSequence;
    /** Sequences from here on have never been sent by this process: below it, a send is a replay. */
    private long firstUnsentSequence;
    private boolean syncPending;
    private boolean receiverKnown;
    private long receiverId;
    private long syncRequest;
    private boolean held;
    /** What {@link #measure} found from the send position: the first message's record, and the batch. */
    private long firstPosition;
    private int firstFrameLength;
    private long firstEnd;
    private long batchEnd;
    private int batchLength;
    private int batchCount;
    /**
     * The send position and tail the last measure ran at: a send refused by Aeron's back-pressure is tried again on
     * the same records, which need no second walk (nor a longer one when its batch stopped short of that tail, full).
     */
    private long measuredFrom = -1;
    private long measuredTail;
    /** Where each message of the measured batch starts in the log, and its length. */
    private final int[] entryOffsets;
    private final int[] entryLengths;
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
        this.sendSequence = log.headSequence();
        this.firstUnsentSequence = log.nextSequence();
        this.maxBatchLength = data.maxPayloadLength();
        final int maxEntries = Math.max(1, (maxBatchLength - FrameDescriptor.BATCH_HEADER_LENGTH) /
            FrameDescriptor.ENTRY_HEADER_LENGTH);
        this.entryOffsets = new int[maxEntries];
        this.entryLengths = new int[maxEntries];
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
            final int count = measure(tail);
            if (firstFrameLength == 0)
            {
                sendPosition = batchEnd; // only padding up to the tail
                continue;
            }
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
     * One walk over the log from the send position, each record's header loaded and checked once: finds the first
     * message ({@link #firstPosition}, {@link #firstFrameLength}, {@link #firstEnd}; a frame length of 0 when there
     * is none before the tail) and how many messages from it fit one batch frame, each entry within
     * {@link #maxBatchLength} ({@link #entryOffsets}, {@link #entryLengths}, {@link #batchEnd},
     * {@link #batchLength}). Not again over the same records when the last walk's batch was refused.
     *
     * @return the messages of the batch; 0 when the first alone is too long for one.
     */
    private int measure(final long tail)
    {
        if (sendPosition == measuredFrom && (batchEnd < measuredTail || tail == measuredTail))
        {
            return batchCount;
        }
        firstFrameLength = 0;
        int length = FrameDescriptor.BATCH_HEADER_LENGTH;
        int count = 0;
        long at = sendPosition;
        while (at < tail)
        {
            final long header = log.recordHeader(at);
            final long next = log.next(at, header);
            if (ReplayLog.isMessage(header))
            {
                final int frameLength = ReplayLog.frameLengthOf(header);
                final int messageLength = frameLength - FrameDescriptor.DATA_HEADER_LENGTH;
                if (firstFrameLength == 0)
                {
                    firstPosition = at;
                    firstFrameLength = frameLength;
                    firstEnd = next;
                }
                final int entry = FrameDescriptor.entryLength(messageLength);
                if (length + entry > maxBatchLength)
                {
                    break;
                }
                entryOffsets[count] = log.frameOffset(at) + FrameDescriptor.DATA_HEADER_LENGTH;
                entryLengths[count] = messageLength;
                length += entry;
                count++;
            }
            at = next;
        }
        batchEnd = at;
        batchLength = length;
        batchCount = count;
        measuredFrom = sendPosition;
        measuredTail = tail;
        return count;
    }

    /**
     * The first message {@link #measure} found, in a data frame of its own, offered straight from the log once its
     * data header is checked to be the one written.
     */
    private boolean sendOne()
    {
        log.checkFrame(firstPosition, sendSequence);
        if (!sent(data.offer(log.buffer(), log.frameOffset(firstPosition), firstFrameLength)))
        {
            return false;
        }
        countSent(sendSequence, firstFrameLength - FrameDescriptor.DATA_HEADER_LENGTH);
        sendSequence++;
        sendPosition = firstEnd;
        return true;
    }

    /**
     * The {@code count} messages {@link #measure} found, in one batch frame claimed from Aeron and filled from the
     * log.
     */
    private boolean sendBatch(final int count)
    {
        if (!sent(data.tryClaim(batchLength, claim)))
        {
            return false;
        }
        final MutableDirectBuffer frame = claim.buffer();
        final int frameOffset = claim.offset();
        final UnsafeBuffer source = log.buffer();
        FrameDescriptor.putDataHeader(frame, frameOffset, sendSequence, FrameDescriptor.FLAG_BATCH, log.logId());
        FrameDescriptor.putBatchCount(frame, frameOffset, count);
        int entry = frameOffset + FrameDescriptor.BATCH_HEADER_LENGTH;
        for (int i = 0; i < count; i++)
        {
            final int messageLength = entryLengths[i];
            FrameDescriptor.putEntryLength(frame, entry, messageLength);
            frame.putBytes(entry + FrameDescriptor.ENTRY_HEADER_LENGTH, source, entryOffsets[i], messageLength);
            entry += FrameDescriptor.entryLength(messageLength);
            countSent(sendSequence++, messageLength);
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
                if (log.headPosition() > sendPosition)
                {
                    sendPosition = log.headPosition();
                    sendSequence = log.headSequence();
                }
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
                sendSequence = log.headSequence();
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
