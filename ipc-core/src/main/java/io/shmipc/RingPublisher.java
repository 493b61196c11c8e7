package io.shmipc;

import io.shmipc.exceptions.ShmIpcException;
import io.shmipc.layout.ChannelLayout;
import io.shmipc.liveness.EndpointRegistration;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.AtomicBuffer;
import org.agrona.concurrent.ringbuffer.RingBuffer;

/**
 * Publisher of a {@link ChannelKind#ONE_TO_ONE} or {@link ChannelKind#MANY_TO_ONE} channel. Around every write
 * into the ring it marks a claim in progress in its endpoint slot, so that the subscriber can tell a record left
 * uncommitted by a dead publisher from one a live publisher is still writing.
 */
final class RingPublisher extends ChannelEndpoint implements Publisher, Claim.ClaimTarget
{
    static final int MESSAGE_TYPE_ID = 1;

    private final RingBuffer ring;
    private final AtomicBuffer buffer;
    private final int maxMessageLength;
    private final long subscriberRoleLock;
    private int heldClaimIndex = -1;

    RingPublisher(final Region region, final ChannelLayout layout, final EndpointRegistration registration,
        final RingBuffer ring, final long subscriberRoleLock)
    {
        super(region, layout, registration);
        this.ring = ring;
        this.buffer = ring.buffer();
        this.maxMessageLength = layout.maxMessageLength();
        this.subscriberRoleLock = subscriberRoleLock;
    }

    @Override
    public int maxMessageLength()
    {
        return maxMessageLength;
    }

    @Override
    public long offer(final DirectBuffer source, final int offset, final int length)
    {
        if (closed)
        {
            return CLOSED;
        }
        if (length > maxMessageLength)
        {
            throw tooLarge(length);
        }
        source.boundsCheck(offset, length);
        final EndpointRegistration registration = this.registration;
        final boolean written;
        try
        {
            tick();
            registration.claimStarted();
            try
            {
                written = ring.write(MESSAGE_TYPE_ID, source, offset, length);
            }
            finally
            {
                registration.claimFinished();
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
        return written ? OK : BACK_PRESSURED;
    }

    @Override
    public long tryClaim(final int length, final Claim claim)
    {
        if (closed)
        {
            return CLOSED;
        }
        if (length > maxMessageLength)
        {
            throw tooLarge(length);
        }
        if (heldClaimIndex >= 0)
        {
            throw new IllegalStateException("a claim is already held: channel=" + channel() +
                "; commit or abort it first");
        }
        final int index;
        try
        {
            tick();
            registration.claimStarted();
            index = ring.tryClaim(MESSAGE_TYPE_ID, length);
        }
        catch (final ShmIpcException ex)
        {
            registration.claimFinished();
            throw ex;
        }
        catch (final RuntimeException | InternalError ex)
        {
            registration.claimFinished();
            throw corruption(ex);
        }
        if (index < 0)
        {
            registration.claimFinished();
            return BACK_PRESSURED;
        }
        heldClaimIndex = index;
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
            registration.claimFinished();
        }
        catch (final RuntimeException | InternalError ex)
        {
            throw corruption(ex);
        }
    }

    @Override
    public void abortClaim(final int index)
    {
        finishClaim(index);
        try
        {
            ring.abort(index);
            registration.claimFinished();
        }
        catch (final RuntimeException | InternalError ex)
        {
            throw corruption(ex);
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
        if (heldClaimIndex >= 0)
        {
            final int index = heldClaimIndex;
            heldClaimIndex = -1;
            ring.abort(index);
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
    }
}
