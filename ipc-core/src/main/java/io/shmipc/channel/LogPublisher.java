package io.shmipc.channel;

import io.shmipc.BatchingPublisher;
import io.shmipc.ChannelKind;
import io.shmipc.Claim;
import io.shmipc.Publisher;
import io.shmipc.exceptions.ShmIpcException;
import io.shmipc.layout.LogBufferDescriptor;
import io.shmipc.log.LogAppender;
import io.shmipc.log.LogFailure;
import io.shmipc.log.SubscriberGate;
import org.agrona.DirectBuffer;

/**
 * The publisher of a {@link ChannelKind#PUBLISH_SUBSCRIBE} channel: the only holder of the channel's publisher role,
 * appending to its log through a {@link LogAppender}, paced by its tethered subscribers through a
 * {@link SubscriberGate}. When it starts it takes in what a dead predecessor committed but did not count; a claim
 * it held when it died is simply overwritten, never delivered.
 */
public final class LogPublisher extends PublisherEndpoint implements Publisher, ClaimTarget, RecordPublisher
{
    private final LogAppender appender;
    private final SubscriberGate gate;
    private final LogFailure failure;
    private int heldClaimLength;

    LogPublisher(final ChannelContext context)
    {
        super(context);
        this.failure = logFailure();
        final int slot = registration.slot();
        this.gate = new SubscriberGate(context.buffer, layout.capacity(), context.endpointTable,
            layout.endpointSlots(), slot, other -> context.locks.isHeld(layout.slotOffset(other)), System::nanoTime,
            failure);
        try
        {
            gate.takeOwnSlot(slot, registration.endpointId());
            this.appender = new LogAppender(context.buffer, layout.capacity(), maxMessageLength, failure, gate);
        }
        catch (final ShmIpcException ex)
        {
            throw ex;
        }
        catch (final RuntimeException | InternalError ex)
        {
            throw corruption(ex);
        }
    }

    @Override
    long publish(final DirectBuffer source, final int offset, final int length)
    {
        return write(LogBufferDescriptor.TYPE_MESSAGE, source, offset, length, 1, length);
    }

    @Override
    public long offerRecord(final int typeId, final DirectBuffer source, final int length, final int messages,
        final int payloadBytes)
    {
        if (closed)
        {
            return CLOSED;
        }
        return write(LogBufferDescriptor.TYPE_BATCH, source, 0, length, messages, payloadBytes);
    }

    private long write(final int type, final DirectBuffer source, final int offset, final int length,
        final int messages, final int payloadBytes)
    {
        if (appender.isClaimHeld())
        {
            // The log appends in order and a claim has not moved the tail: the offer would land on the claim.
            throw new IllegalStateException("a claim of this publisher is held: region=" + region() + " channel=" +
                channel() + "; on a PUBLISH_SUBSCRIBE channel commit or abort it before the next offer or flush");
        }
        final int index;
        try
        {
            tick();
            index = appender.append(type, source, offset, length, messages);
        }
        catch (final RuntimeException | InternalError ex)
        {
            return closedOrThrow(ex); // a close racing the write, or the channel's memory found impossible
        }
        return written(index >= 0, messages, payloadBytes);
    }

    @Override
    boolean isClaimHeld()
    {
        return appender.isClaimHeld();
    }

    @Override
    long claim(final int length, final Claim claim)
    {
        final int index;
        try
        {
            tick();
            index = appender.claim(length);
        }
        catch (final RuntimeException | InternalError ex)
        {
            return closedOrThrow(ex);
        }
        if (index < 0)
        {
            publisherCounters.onBackPressure();
            return BACK_PRESSURED;
        }
        heldClaimLength = length;
        holdClaim(claim);
        API.wrap(claim, this, appender.buffer(), index, index, length);
        return OK;
    }

    @Override
    public void commitClaim(final int index)
    {
        finishClaim();
        try
        {
            appender.commitClaim();
            publisherCounters.onPublished(1, heldClaimLength);
            wakeUpWord.signal();
        }
        catch (final ShmIpcException ex)
        {
            throw ex;
        }
        catch (final RuntimeException | InternalError ex)
        {
            throw failure(ex); // a fault on the mapping, surfacing anywhere in the call
        }
    }

    @Override
    public void abortClaim(final int index)
    {
        finishClaim();
        try
        {
            appender.abortClaim();
        }
        catch (final InternalError ex)
        {
            throw failure(ex); // a fault on the mapping, surfacing anywhere in the call
        }
    }

    private void finishClaim()
    {
        if (closed)
        {
            throw closedException();
        }
        if (!appender.isClaimHeld())
        {
            throw new IllegalStateException("claim is not held by this publisher: channel=" + channel());
        }
        releaseClaim();
    }

    @Override
    public BatchingPublisher batching(final int maxBatchLength)
    {
        return API.newBatchingPublisher(this, maxBatchLength);
    }

    @Override
    public boolean isConsumerAlive()
    {
        return connectedSubscribers() > 0;
    }

    /**
     * Check that nobody changed the positions this publisher alone writes.
     */
    @Override
    void onPublisherHeartbeat()
    {
        appender.checkPositions();
    }

    @Override
    void onClose()
    {
        publisherCounters.flush();
        closeHeldClaim();
    }

    /**
     * The closing thread's claim: nothing was published at the tail; the appender forgets the claim.
     */
    @Override
    void abortClaimAtClose()
    {
        appender.abortClaim();
    }

    /**
     * The tail: where the next message will start; a subscriber may start at any position a message started at,
     * while the log holds it.
     *
     * @return bytes appended so far.
     */
    public long position()
    {
        return appender.tail();
    }
}
