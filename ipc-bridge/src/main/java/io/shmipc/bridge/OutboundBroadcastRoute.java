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


import static io.shmipc.bridge.BridgeCountersDescriptor.BYTES;
import static io.shmipc.bridge.BridgeCountersDescriptor.LOST;
import static io.shmipc.bridge.BridgeCountersDescriptor.MESSAGES;
import static io.shmipc.bridge.BridgeCountersDescriptor.TRANSPORT_BACK_PRESSURE;

/**
 * Sends a local broadcast channel to the peer as a broadcast transmitter would: never waiting. A message Aeron
 * refuses (back-pressured, or no receiver connected) is dropped and counted as lost; the sequence in each frame lets
 * the receiving bridge count gaps too. Messages the local subscriber itself lost to lapping are counted by the
 * region, as for any broadcast receiver.
 * <p>
 * A receiving bridge follows only the sender that answered its sync request: each request on the control stream is
 * answered with a sync frame (flags {@code SYNC | UNRELIABLE}) carrying the next sequence and the request's receiver
 * id and count. A request whose answer Aeron refuses is asked again by the receiver.
 * <p>
 * Answers share the data stream, which never waits, so they are rationed: in each window of
 * {@link #ANSWER_WINDOW_NS} (the interval at which an unanswered receiver asks again) at most
 * {@link #ANSWERS_PER_SESSION} answers per control session (one receiving route's Aeron publication) and
 * {@link #ANSWERS_PER_WINDOW} in all. A flood of requests, forged or not, then costs the stream at most that many
 * 32-byte frames per window, and one flooding session cannot take the answers of the others; requests over the
 * ration are dropped, to be asked again.
 */
final class OutboundBroadcastRoute implements Route, MessageHandler, FragmentHandler
{
    private static final int POLL_LIMIT = 256;
    private static final int CONTROL_LIMIT = 16;
    /** Offers made again after {@link Publication#ADMIN_ACTION}, which asks for no more than one. */
    private static final int ADMIN_RETRIES = 3;
    /** A receiving route that is not answered asks again after this long. */
    static final long ANSWER_WINDOW_NS = 10_000_000L;
    /** Sync answers per window to one control session: a receiver asks once per window. */
    static final int ANSWERS_PER_SESSION = 2;
    /** Sync answers per window in all, and the sessions tracked: as many receivers as may sync at once. */
    static final int ANSWERS_PER_WINDOW = 64;

    private final Subscriber local;
    private final Publication data;
    private final Subscription control;
    private final AtomicCounter[] counters;
    private final BridgeTransport transport;
    private final UnsafeBuffer header = new UnsafeBuffer(new byte[FrameDescriptor.DATA_HEADER_LENGTH]);
    private final UnsafeBuffer syncFrame = new UnsafeBuffer(new byte[FrameDescriptor.SYNC_LENGTH]);
    private final long incarnation;
    /** Control sessions answered in this window, and how often each. */
    private final int[] answeredSessions = new int[ANSWERS_PER_WINDOW];
    private final int[] answersToSession = new int[ANSWERS_PER_WINDOW];
    private int sessionsAnswered;
    private int answersLeft;
    private long windowStartNs;
    private long sequence;

    OutboundBroadcastRoute(final Subscriber local, final Publication data, final Subscription control,
        final AtomicCounter[] counters, final BridgeTransport transport)
    {
        this.transport = transport;
        this.local = local;
        this.data = data;
        this.control = control;
        this.counters = counters;
        this.incarnation = FrameDescriptor.randomId();
        this.answersLeft = ANSWERS_PER_WINDOW;
        this.windowStartNs = System.nanoTime();
    }

    @Override
    public int doWork(final long nowNs)
    {
        if (nowNs - windowStartNs >= ANSWER_WINDOW_NS)
        {
            windowStartNs = nowNs;
            answersLeft = ANSWERS_PER_WINDOW;
            sessionsAnswered = 0;
        }
        return control.poll(this, CONTROL_LIMIT) + local.poll(this, POLL_LIMIT);
    }

    /**
     * Take one answer of this window's ration for a control session.
     *
     * @return false when the window's answers, or the session's, are used up.
     */
    private boolean ration(final int sessionId)
    {
        if (answersLeft == 0)
        {
            return false;
        }
        int index = 0;
        while (index < sessionsAnswered && answeredSessions[index] != sessionId)
        {
            index++;
        }
        if (index == sessionsAnswered)
        {
            answeredSessions[index] = sessionId;
            answersToSession[index] = 0;
            sessionsAnswered++;
        }
        if (answersToSession[index] == ANSWERS_PER_SESSION)
        {
            return false;
        }
        answersToSession[index]++;
        answersLeft--;
        return true;
    }

    /**
     * A control frame from a receiving bridge: a sync request is answered; anything else (acknowledgements are for
     * ring routes) is ignored.
     */
    @Override
    public void onFragment(final DirectBuffer buffer, final int offset, final int length, final Header frameHeader)
    {
        if (!FrameDescriptor.isControlFrameFor(buffer, offset, length, data.streamId()) ||
            FrameDescriptor.controlType(buffer, offset) != FrameDescriptor.TYPE_SYNC_REQUEST ||
            !ration(frameHeader.sessionId()))
        {
            return;
        }
        FrameDescriptor.putSyncFrame(syncFrame, 0, sequence, FrameDescriptor.FLAG_SYNC |
            FrameDescriptor.FLAG_UNRELIABLE, incarnation, FrameDescriptor.controlReceiverId(buffer, offset),
            FrameDescriptor.controlValue(buffer, offset));
        if (data.offer(syncFrame, 0, FrameDescriptor.SYNC_LENGTH) > 0)
        {
            transport.offered();
        }
    }

    @Override
    public void onMessage(final DirectBuffer buffer, final int offset, final int length)
    {
        FrameDescriptor.putDataHeader(header, 0, sequence++, FrameDescriptor.FLAG_UNRELIABLE, incarnation);
        long result = data.offer(header, 0, FrameDescriptor.DATA_HEADER_LENGTH, buffer, offset, length);
        for (int retries = 0; result == Publication.ADMIN_ACTION && retries < ADMIN_RETRIES; retries++)
        {
            // Aeron rotated its term or similar housekeeping: the offer may be made again at once, and is.
            result = data.offer(header, 0, FrameDescriptor.DATA_HEADER_LENGTH, buffer, offset, length);
        }
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
        control.close();
    }
}
