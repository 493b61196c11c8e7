package io.shmipc.channel;

import io.shmipc.BatchingPublisher;
import io.shmipc.ChannelKind;
import io.shmipc.Claim;
import io.shmipc.Publisher;
import io.shmipc.exceptions.CorruptRegionException;
import io.shmipc.exceptions.ShmIpcException;
import io.shmipc.layout.ChannelDescriptor;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.AtomicBuffer;
import org.agrona.concurrent.ringbuffer.ManyToOneRingBuffer;
import org.agrona.concurrent.ringbuffer.OneToOneRingBuffer;
import org.agrona.concurrent.ringbuffer.RingBuffer;

/**
 * Publisher of a {@link ChannelKind#ONE_TO_ONE} or {@link ChannelKind#MANY_TO_ONE} channel. A many-to-one
 * publisher marks a claim in progress in its endpoint slot around every write into the ring, so that the
 * subscriber can tell a record left uncommitted by a dead publisher from one a live publisher is still writing. A
 * one-to-one publisher needs no mark: it holds the channel's publisher role for as long as it lives, so a free role
 * alone says that whatever is uncommitted will stay so; when it starts, it pads what a dead predecessor left
 * half-claimed, so that its own records are reachable.
 */
public final class RingPublisher extends PublisherEndpoint implements Publisher, ClaimTarget, RecordPublisher
{
    private static final int MESSAGE_TYPE_ID = ChannelDescriptor.MESSAGE_TYPE_ID;

    private final RingBuffer ring;
    private final AtomicBuffer buffer;
    private final boolean marksClaims;
    private int heldClaimIndex = -1;
    private int heldClaimLength;
    private Claim heldClaim;

    RingPublisher(final ChannelContext context)
    {
        super(context);
        this.ring = ring(context);
        this.buffer = ring.buffer();
        this.marksClaims = !kind.hasSinglePublisher();
        if (!marksClaims)
        {
            repairAfterDeadPredecessor();
        }
    }

    /**
     * The Agrona ring over a ring channel's buffer.
     */
    static RingBuffer ring(final ChannelContext context)
    {
        return context.kind() == ChannelKind.ONE_TO_ONE ?
            new OneToOneRingBuffer(context.buffer) : new ManyToOneRingBuffer(context.buffer);
    }

    /**
     * The only publisher now: finish what a dead predecessor left half-claimed before writing after it.
     */
    private void repairAfterDeadPredecessor()
    {
        final long head = ring.consumerPosition();
        final long tail = ring.producerPosition();
        if (new RingUnblocker(buffer, ring.capacity()).repairOneToOne(head, tail) < 0)
        {
            throw new CorruptRegionException(context.region, "channel[" + layout.name() + "].positions",
                "0 <= tail - head <= capacity " + ring.capacity(), "head=" + head + " tail=" + tail);
        }
    }

    @Override
    long publish(final DirectBuffer source, final int offset, final int length)
    {
        return write(MESSAGE_TYPE_ID, source, offset, length, 1, length);
    }

    @Override
    public BatchingPublisher batching(final int maxBatchLength)
    {
        return API.newBatchingPublisher(this, maxBatchLength);
    }

    /**
     * Write a whole record of {@code messages} messages holding {@code payloadBytes} bytes of payload (a batch:
     * the record also holds each message's length).
     */
    @Override
    public long offerRecord(final int typeId, final DirectBuffer source, final int length, final int messages,
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
        return written(written, messages, payloadBytes);
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
        API.wrap(claim, this, buffer, index, index, length);
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
        return context.isRoleHeld(false);
    }

    @Override
    void onClose()
    {
        publisherCounters.flush();
        if (heldClaimIndex >= 0)
        {
            final int index = heldClaimIndex;
            heldClaimIndex = -1;
            API.release(heldClaim);
            heldClaim = null;
            ring.abort(index);
            claimFinished();
        }
    }

    /**
     * Mark a claim in progress (many-to-one). Marks nest: an offer or a batch flush while a claim of this publisher
     * is held must leave the mark set, or the subscriber would take the held claim for a dead publisher's and
     * unblock it.
     */
    private void claimStarted()
    {
        if (marksClaims)
        {
            registration.claimStarted();
        }
    }

    private void claimFinished()
    {
        if (marksClaims)
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
