package io.shmipc;

import io.shmipc.exceptions.ShmIpcException;
import io.shmipc.layout.ChannelLayout;
import io.shmipc.liveness.EndpointRegistration;
import io.shmipc.wait.WakeUpWord;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.AtomicBuffer;
import org.agrona.concurrent.ringbuffer.RingBuffer;

/**
 * Publisher of a {@link ChannelKind#ONE_TO_ONE} or {@link ChannelKind#MANY_TO_ONE} channel. A many-to-one
 * publisher marks a claim in progress in its endpoint slot around every write into the ring, so that the
 * subscriber can tell a record left uncommitted by a dead publisher from one a live publisher is still writing. A
 * one-to-one publisher needs no mark: it holds the channel's publisher role for as long as it lives, so a free role
 * alone says that whatever is uncommitted will stay so.
 */
final class RingPublisher extends PublisherEndpoint implements Publisher, Claim.ClaimTarget
{
    static final int MESSAGE_TYPE_ID = 1;

    private final RingBuffer ring;
    private final AtomicBuffer buffer;
    private final long subscriberRoleLock;
    private final boolean marksClaims;
    private int claimsInProgress;
    private int heldClaimIndex = -1;
    private int heldClaimLength;
    private Claim heldClaim;

    RingPublisher(final Region region, final ChannelLayout layout, final EndpointRegistration registration,
        final RingBuffer ring, final long subscriberRoleLock, final WakeUpWord wakeUpWord)
    {
        super(region, layout, registration, wakeUpWord, !layout.kind().hasSinglePublisher());
        this.ring = ring;
        this.buffer = ring.buffer();
        this.subscriberRoleLock = subscriberRoleLock;
        this.marksClaims = !layout.kind().hasSinglePublisher();
    }

    @Override
    long publish(final DirectBuffer source, final int offset, final int length)
    {
        return write(MESSAGE_TYPE_ID, source, offset, length, 1, length);
    }

    @Override
    public BatchingPublisher batching(final int maxBatchLength)
    {
        return new BatchingPublisher(this, maxBatchLength);
    }

    /**
     * Write a whole record of {@code messages} messages holding {@code payloadBytes} bytes of payload (a batch:
     * the record also holds each message's length).
     */
    long offerRecord(final int typeId, final DirectBuffer source, final int length, final int messages,
        final int payloadBytes)
    {
        if (closed)
        {
            return CLOSED;
        }
        return write(typeId, source, 0, length, messages, payloadBytes);
    }

    private long write(final int typeId, final DirectBuffer source, final int offset, final int length,
        final int messages, final int payloadBytes)
    {
        final boolean written;
        try
        {
            tick();
            claimStarted();
            try
            {
                written = ring.write(typeId, source, offset, length);
            }
            finally
            {
                claimFinished();
            }
        }
        catch (final ShmIpcException ex)
        {
            throw ex;
        }
        catch (final RuntimeException | InternalError ex)
        {
            throw corruption(ex);
        }
        if (written)
        {
            publisherCounters.onPublished(messages, payloadBytes);
            wakeUpWord.signal();
            return OK;
        }
        publisherCounters.onBackPressure();
        return BACK_PRESSURED;
    }

    @Override
    boolean isClaimHeld()
    {
        return heldClaimIndex >= 0;
    }

    @Override
    long claim(final int length, final Claim claim)
    {
        final int index;
        try
        {
            tick();
            claimStarted();
            try
            {
                index = ring.tryClaim(MESSAGE_TYPE_ID, length);
            }
            catch (final RuntimeException | InternalError ex)
            {
                claimFinished();
                throw ex;
            }
        }
        catch (final ShmIpcException ex)
        {
            throw ex;
        }
        catch (final RuntimeException | InternalError ex)
        {
            throw corruption(ex);
        }
        if (index < 0)
        {
            claimFinished();
            publisherCounters.onBackPressure();
            return BACK_PRESSURED;
        }
        heldClaimIndex = index;
        heldClaimLength = length;
        heldClaim = claim;
        claim.wrap(this, buffer, index, index, length);
        return OK;
    }

    @Override
    public void commitClaim(final int index)
    {
        finishClaim(index);
        try
        {
            ring.commit(index);
        }
        catch (final RuntimeException | InternalError ex)
        {
            throw corruption(ex);
        }
        finally
        {
            claimFinished();
        }
        publisherCounters.onPublished(1, heldClaimLength);
        wakeUpWord.signal();
    }

    @Override
    public void abortClaim(final int index)
    {
        finishClaim(index);
        try
        {
            ring.abort(index);
        }
        finally
        {
            claimFinished();
        }
    }

    @Override
    public boolean isConsumerAlive()
    {
        if (closed)
        {
            return false;
        }
        return region.locks().isHeld(subscriberRoleLock);
    }

    @Override
    void onClose()
    {
        publisherCounters.flush();
        if (heldClaimIndex >= 0)
        {
            final int index = heldClaimIndex;
            heldClaimIndex = -1;
            heldClaim.release();
            heldClaim = null;
            ring.abort(index);
            claimFinished();
        }
    }

    /**
     * Mark a claim in progress. Writes nest: an offer or a batch flush while a claim of this publisher is held must
     * leave the mark set, or the subscriber would take the held claim for a dead publisher's and unblock it.
     */
    private void claimStarted()
    {
        if (marksClaims && claimsInProgress++ == 0)
        {
            registration.claimStarted();
        }
    }

    private void claimFinished()
    {
        if (marksClaims && --claimsInProgress == 0)
        {
            registration.claimFinished();
        }
    }

    private void finishClaim(final int index)
    {
        if (closed)
        {
            throw closedException();
        }
        if (index != heldClaimIndex)
        {
            throw new IllegalStateException("claim is not held by this publisher: channel=" + channel());
        }
        heldClaimIndex = -1;
        heldClaim = null;
    }
}
