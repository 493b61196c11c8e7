package io.shmipc.bridge;

import io.aeron.ControlledFragmentAssembler;
import io.aeron.Image;
import io.aeron.Publication;
import io.aeron.Subscription;
import io.aeron.logbuffer.ControlledFragmentHandler;
import io.aeron.logbuffer.Header;
import io.shmipc.ChannelKind;
import io.shmipc.Publisher;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.status.AtomicCounter;


import static io.shmipc.bridge.BridgeCountersDescriptor.BACK_PRESSURE;
import static io.shmipc.bridge.BridgeCountersDescriptor.BYTES;
import static io.shmipc.bridge.BridgeCountersDescriptor.LOST;
import static io.shmipc.bridge.BridgeCountersDescriptor.MESSAGES;
import static io.shmipc.bridge.BridgeCountersDescriptor.PENDING_OR_MALFORMED;
import static io.shmipc.bridge.BridgeCountersDescriptor.RECONNECTS;
import static io.shmipc.bridge.BridgeCountersDescriptor.REPLAYED;
import static io.shmipc.bridge.BridgeCountersDescriptor.TRANSPORT_BACK_PRESSURE;

/**
 * Receives one stream from the peer and publishes it into a local channel. A message the local channel refuses
 * (back-pressured) is left in Aeron ({@code ABORT}) and offered again on the next duty cycle, so Aeron's flow
 * control holds the sender back. Reliable frames are delivered strictly in sequence: the route syncs to the
 * sender's stream (sync request, sync frame), drops what it already published (same log, lower sequence), and asks
 * for a new sync on a gap or a new sender; it acknowledges what it published every ack interval. A batch frame is
 * checked whole before any of it is published; when the local channel refuses one of its messages, the frame is
 * left in Aeron and, offered again, resumes at that message.
 * <p>
 * The route follows one Aeron session at a time: the one whose sync frame answered this route's latest sync request
 * (its receiver id and request count, sent by both reliable and unreliable senders). Frames of any other session on
 * the stream, and frames of the wrong kind for the followed stream, are dropped and counted as malformed. So a
 * sender that never saw this route's requests can neither inject messages nor make the route rewind into
 * duplicates, whatever it sends (docs/bridge.md says what the network is still trusted with).
 */
final class InboundRoute implements Route, ControlledFragmentHandler
{
    private static final int FRAGMENT_LIMIT = 256;
    /** Time between two sync requests while not in sync. */
    private static final long SYNC_REQUEST_INTERVAL_NS = 10_000_000L;

    private final BridgeRoute route;
    private final Publisher local;
    private final Subscription data;
    private final Publication control;
    private final BridgeTransport transport;
    private final AtomicCounter[] counters;
    private final ControlledFragmentAssembler assembler = new ControlledFragmentAssembler(this);
    private final UnsafeBuffer controlFrame = new UnsafeBuffer(new byte[FrameDescriptor.CONTROL_LENGTH]);
    private final long receiverId;
    private final int dataStreamId;
    private final long ackIntervalNs;
    private boolean synced;
    private boolean haveStream;
    /** Whether a session is followed, which, and whether its stream is reliable. */
    private boolean following;
    private int followedSession;
    private boolean followedReliable;
    private long logId;
    private long expected;
    private long syncRequests;
    private boolean syncRequestDue = true;
    /** A sync request is unanswered while the route goes on publishing the stream it follows. */
    private boolean answerDue;
    private long lastSyncRequestNs;
    private long lastAckValue = -1;
    private long lastAckNs;
    private boolean backPressured;
    /** First sequence of the batch frame left in Aeron part-published, whose leading messages are not duplicates. */
    private long resumedBatch = -1;
    /** Counts of the fragment in progress, added to the counters once per fragment. */
    private final MessageTally tally = new MessageTally();

    InboundRoute(final BridgeRoute route, final Publisher local, final BridgeTransport transport,
        final AtomicCounter[] counters, final long ackIntervalNs)
    {
        this.route = route;
        this.local = local;
        this.transport = transport;
        this.counters = counters;
        this.ackIntervalNs = ackIntervalNs;
        this.receiverId = FrameDescriptor.randomId();
        this.dataStreamId = route.dataStreamId();
        this.data = transport.subscription(route.dataStreamId(), this::onAvailableImage, this::onUnavailableImage);
        this.control = transport.controlPublication(route.controlStreamId());
    }

    /**
     * A new sender session (a sender that started, restarted, or reconnected after its publication timed out): the
     * stream it carries must be synced before anything is published.
     */
    private void onAvailableImage(final Image image)
    {
        counters[RECONNECTS].incrementRelease();
        if (synced && followedReliable && data.imageBySessionId(followedSession) != null)
        {
            // The followed sender is still there: go on publishing its stream, and ask whether it is still the
            // sender's (a restarted sender answers from its new session, and is then followed). A stray or forged
            // session so costs a rewind of what is unacknowledged, never a stop.
            syncRequests++;
            syncRequestDue = true;
            answerDue = true;
            return;
        }
        desync();
    }

    /**
     * A sender session gone (its image timed out or closed): when it was the followed one, the next stream is free to
     * take its place.
     */
    private void onUnavailableImage(final Image image)
    {
        if (following && image.sessionId() == followedSession)
        {
            following = false;
            desync();
        }
    }

    private void follow(final int session, final boolean reliable)
    {
        following = true;
        followedSession = session;
        followedReliable = reliable;
    }

    /**
     * Drop a frame of a session this route does not follow, or of the wrong kind for it.
     */
    private Action foreign()
    {
        counters[PENDING_OR_MALFORMED].incrementRelease();
        return Action.CONTINUE;
    }

    private void desync()
    {
        if (synced || !syncRequestDue)
        {
            synced = false;
            syncRequests++;
            syncRequestDue = true;
        }
    }

    @Override
    public int doWork(final long nowNs)
    {
        final int fragments = data.controlledPoll(assembler, FRAGMENT_LIMIT);
        int work = fragments;
        if (!synced || answerDue)
        {
            // Only once a sender's image is here: its arrival asks for a sync anyway, and one asked before it would
            // make the sender rewind twice and send everything unacknowledged twice.
            if ((syncRequestDue || nowNs - lastSyncRequestNs >= SYNC_REQUEST_INTERVAL_NS) && data.imageCount() > 0)
            {
                if (sendControl(FrameDescriptor.TYPE_SYNC_REQUEST, syncRequests))
                {
                    syncRequestDue = false;
                    lastSyncRequestNs = nowNs;
                    work++;
                }
            }
        }
        if (synced && followedReliable && expected != lastAckValue && nowNs - lastAckNs >= ackIntervalNs)
        {
            if (sendControl(FrameDescriptor.TYPE_ACK, expected))
            {
                lastAckValue = expected;
                lastAckNs = nowNs;
                work++;
            }
        }
        return work;
    }

    /**
     * A clean stop: acknowledge at once everything published, so that a sender stopping at the same time frees it
     * and does not send it again after the restart, and wait until the driver has put the acknowledgement on the wire
     * (closing the bridge closes an embedded driver, which would drop a frame it has not sent yet). Nothing more is
     * polled.
     */
    @Override
    public boolean drain(final long nowNs)
    {
        if (!control.isConnected())
        {
            return true;
        }
        if (synced && followedReliable && expected != lastAckValue)
        {
            if (!sendControl(FrameDescriptor.TYPE_ACK, expected))
            {
                return false;
            }
            lastAckValue = expected;
            lastAckNs = nowNs;
        }
        return transport.hasSentAll(control);
    }

    private boolean sendControl(final int type, final long value)
    {
        FrameDescriptor.putControl(controlFrame, type, dataStreamId, receiverId, value, logId);
        final long result = control.offer(controlFrame, 0, FrameDescriptor.CONTROL_LENGTH);
        if (result > 0)
        {
            transport.controlOffered();
            return true;
        }
        if (result == Publication.CLOSED || result == Publication.MAX_POSITION_EXCEEDED)
        {
            throw new BridgeException(null, "route " + route + ": Aeron publication unusable: result=" +
                Publication.errorString(result) + " stream=" + control.streamId());
        }
        if (result != Publication.NOT_CONNECTED)
        {
            counters[TRANSPORT_BACK_PRESSURE].incrementRelease();
        }
        return false;
    }

    @Override
    public Action onFragment(final DirectBuffer buffer, final int offset, final int length, final Header header)
    {
        if (length < FrameDescriptor.DATA_HEADER_LENGTH)
        {
            counters[PENDING_OR_MALFORMED].incrementRelease();
            return Action.CONTINUE;
        }
        final long sequence = FrameDescriptor.sequence(buffer, offset);
        final int flags = FrameDescriptor.flags(buffer, offset);
        final long frameLogId = FrameDescriptor.logId(buffer, offset);
        final int session = header.sessionId();
        if ((flags & FrameDescriptor.FLAG_SYNC) != 0)
        {
            return onSync(buffer, offset, length, flags, sequence, frameLogId, session);
        }
        if (!following || session != followedSession)
        {
            return foreign();
        }
        if (!followedReliable)
        {
            return flags == FrameDescriptor.FLAG_UNRELIABLE ?
                onUnreliable(buffer, offset, length, sequence, frameLogId) : foreign();
        }
        if (flags == FrameDescriptor.FLAG_BATCH)
        {
            return onBatch(buffer, offset, length, sequence, frameLogId);
        }
        if (flags != 0)
        {
            return foreign();
        }
        if (!synced)
        {
            return Action.CONTINUE; // sent before the sync this route asked for: it comes again after it
        }
        if (frameLogId != logId || sequence > expected)
        {
            desync(); // a gap or another stream: never publish out of order, ask the sender to rewind
            return Action.CONTINUE;
        }
        if (sequence < expected)
        {
            counters[REPLAYED].incrementRelease();
            return Action.CONTINUE;
        }
        final boolean published = publish(buffer, offset + FrameDescriptor.DATA_HEADER_LENGTH,
            length - FrameDescriptor.DATA_HEADER_LENGTH);
        flushPublishCounts();
        if (!published)
        {
            return Action.ABORT;
        }
        expected++;
        return Action.CONTINUE;
    }

    /**
     * A sync frame: where the sender's stream resumes. Only the answer to this route's latest request counts (its
     * receiver id and request count); its session is the one followed from now on.
     */
    private Action onSync(final DirectBuffer buffer, final int offset, final int length, final int flags,
        final long sequence, final long frameLogId, final int session)
    {
        final boolean reliable = flags == FrameDescriptor.FLAG_SYNC;
        if ((!reliable && flags != (FrameDescriptor.FLAG_SYNC | FrameDescriptor.FLAG_UNRELIABLE)) ||
            length != FrameDescriptor.SYNC_LENGTH || FrameDescriptor.syncReceiverId(buffer, offset) != receiverId ||
            FrameDescriptor.syncRequest(buffer, offset) != syncRequests)
        {
            return foreign();
        }
        if (reliable && local.kind() == ChannelKind.BROADCAST)
        {
            // A ring route is lossless end to end: what this route publishes it acknowledges, and the sender frees
            // it. A broadcast channel drops what its subscribers do not take, so nothing may be taken from this
            // sender; it keeps all of it in its replay log.
            throw new BridgeException(null, "route " + route + ": the peer sends a ring channel, which loses nothing " +
                "and holds its publishers back, but the local channel is BROADCAST, which drops what its " +
                "subscribers do not take: give the channel a ring kind here too (or BROADCAST on both hosts)");
        }
        // A restarted sender answers from a new session with the same replay log, so the same log id: same log and
        // already past this point keeps the position, and what is replayed is dropped as duplicate.
        follow(session, reliable);
        answerDue = false;
        if (!haveStream || frameLogId != logId || expected < sequence)
        {
            expected = sequence;
        }
        logId = frameLogId;
        haveStream = true;
        synced = true;
        lastAckValue = -1;
        resumedBatch = -1;
        return Action.CONTINUE;
    }

    /**
     * A batch frame: checked whole, then its messages from the expected sequence on are published in order. What
     * comes before the expected sequence was published already: a replay (counted as duplicates), or the head of a
     * batch this route left in Aeron when the local channel refused its next message (not counted).
     */
    private Action onBatch(final DirectBuffer buffer, final int offset, final int length, final long first,
        final long frameLogId)
    {
        final int count = FrameDescriptor.batchCount(buffer, offset, length);
        if (count < 0)
        {
            counters[PENDING_OR_MALFORMED].incrementRelease();
            return Action.CONTINUE;
        }
        if (!synced)
        {
            return Action.CONTINUE;
        }
        if (frameLogId != logId || first > expected)
        {
            desync();
            return Action.CONTINUE;
        }
        final boolean resumed = first == resumedBatch;
        resumedBatch = -1;
        int entry = offset + FrameDescriptor.BATCH_HEADER_LENGTH;
        long sequence = first;
        for (; sequence < expected && sequence < first + count; sequence++)
        {
            entry += FrameDescriptor.entryLength(FrameDescriptor.entryMessageLength(buffer, entry));
        }
        if (!resumed && sequence > first)
        {
            counters[REPLAYED].getAndAddRelease(sequence - first);
        }
        Action action = Action.CONTINUE;
        for (; sequence < first + count; sequence++)
        {
            final int messageLength = FrameDescriptor.entryMessageLength(buffer, entry);
            if (!publish(buffer, entry + FrameDescriptor.ENTRY_HEADER_LENGTH, messageLength))
            {
                resumedBatch = first;
                action = Action.ABORT;
                break;
            }
            expected++;
            entry += FrameDescriptor.entryLength(messageLength);
        }
        flushPublishCounts();
        return action;
    }

    private Action onUnreliable(final DirectBuffer buffer, final int offset, final int length, final long sequence,
        final long frameLogId)
    {
        if (!haveStream || frameLogId != logId)
        {
            haveStream = true;
            logId = frameLogId;
            expected = sequence;
        }
        if (sequence < expected)
        {
            counters[REPLAYED].incrementRelease();
            return Action.CONTINUE;
        }
        final int messageLength = length - FrameDescriptor.DATA_HEADER_LENGTH;
        if (messageLength > local.maxMessageLength())
        {
            // Broadcast never waits and never stops: a message the local channel cannot take is lost, and counted.
            counters[LOST].getAndAddRelease(sequence - expected + 1);
            expected = sequence + 1;
            return Action.CONTINUE;
        }
        final boolean published = publish(buffer, offset + FrameDescriptor.DATA_HEADER_LENGTH, messageLength);
        flushPublishCounts();
        if (!published)
        {
            return Action.ABORT;
        }
        counters[LOST].getAndAddRelease(sequence - expected);
        expected = sequence + 1;
        return Action.CONTINUE;
    }

    private boolean publish(final DirectBuffer buffer, final int offset, final int messageLength)
    {
        if (messageLength > local.maxMessageLength())
        {
            // Only a ring route's (a broadcast route's is counted lost before): dropping it would break the route's
            // promise; stopping leaves it in the sender's replay log.
            throw new BridgeException(null, "route " + route + ": a message of " + messageLength +
                " bytes exceeds the local channel's limit maxMessageLength=" + local.maxMessageLength() +
                ": give the channel the same limit on both hosts");
        }
        final long result = local.offer(buffer, offset, messageLength);
        if (result == Publisher.OK)
        {
            backPressured = false;
            tally.add(messageLength);
            return true;
        }
        if (result == Publisher.CLOSED)
        {
            throw new BridgeException(null, "route " + route + ": the local publisher is closed");
        }
        if (!backPressured)
        {
            backPressured = true;
            counters[BACK_PRESSURE].incrementRelease();
        }
        return false;
    }

    private void flushPublishCounts()
    {
        tally.flushTo(counters[MESSAGES], counters[BYTES]);
    }

    @Override
    public void close()
    {
        local.close();
        data.close();
        control.close();
    }
}
