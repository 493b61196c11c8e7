package io.shmipc.channel;

import io.shmipc.BatchingPublisher;
import io.shmipc.ChannelKind;
import io.shmipc.Claim;
import io.shmipc.Publisher;
import io.shmipc.layout.ChannelDescriptor;
import io.shmipc.posix.MappedBuffer;
import org.agrona.DirectBuffer;

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

    private final RingWriter ring;
    private final MappedBuffer buffer;
    private final boolean marksClaims;
    private int heldClaimIndex = -1;
    private int heldClaimLength;

    RingPublisher(final ChannelContext context)
    {
        super(context);
        this.buffer = context.buffer;
        this.marksClaims = !kind.hasSinglePublisher();
        final int capacity = layout.capacity();
        if (marksClaims)
        {
            final ManyToOneRingWriter shared = new ManyToOneRingWriter(buffer, capacity, health, this::isClosed);
            shared.checkPositions();
            this.ring = shared;
        }
        else
        {
            final OneToOneRingWriter only = new OneToOneRingWriter(buffer, capacity, health);
            // The only publisher now: finish what a dead predecessor left half-claimed before writing after it.
            new RingUnblocker(buffer, capacity, health).repairOneToOne(only.headCache(), only.tail());
            this.ring = only;
        }
    }

    @Override
    long publish(final DirectBuffer source, final int offset, final int length)
    {
        return write(MESSAGE_TYPE_ID, null, 0, source, offset, length, 1, length);
    }

    @Override
    public BatchingPublisher batching(final int maxBatchLength)
    {
        return API.newBatchingPublisher(this, maxBatchLength);
    }

    /**
     * Copy a message made of two parts into the channel as one record: the first {@code headLength} bytes of
     * {@code head}, then the payload. What a service request or response is (its header and the application's bytes),
     * written as an offer is, without the claim and commit a caller would otherwise need to put the two together.
     * The same checks and results as {@link #offer}, but the parts' ranges, which the caller checked.
     *
     * @param head       the first part, from its index 0.
     * @param headLength its bytes.
     * @param source     the second part.
     * @param offset     of its first byte.
     * @param length     its bytes.
     * @return {@link Publisher#OK}, {@link Publisher#BACK_PRESSURED} or {@link Publisher#CLOSED}.
     */
    public long offerParts(final DirectBuffer head, final int headLength, final DirectBuffer source, final int offset,
        final int length)
    {
        try
        {
            if (!admits(headLength + length))
            {
                return CLOSED;
            }
            return write(MESSAGE_TYPE_ID, head, headLength, source, offset, length, 1, headLength + length);
        }
        catch (final InternalError ex)
        {
            return closedOrThrow(ex); // a fault on the mapping, surfacing anywhere in the call
        }
    }

    /**
     * Write a whole record of {@code messages} messages holding {@code payloadBytes} bytes of payload (a batch:
     * the record also holds each message's length).
     */
    @Override
    public long offerRecord(final int typeId, final DirectBuffer source, final int length, final int messages,
        final int payloadBytes)
    {
        try
        {
            if (closed)
            {
                return CLOSED;
            }
            if (health.isFailed())
            {
                throw failedChannel();
            }
            return write(typeId, null, 0, source, 0, length, messages, payloadBytes);
        }
        catch (final InternalError ex)
        {
            return closedOrThrow(ex); // a fault on the mapping, surfacing anywhere in the call
        }
    }

    /**
     * A record of {@code headLength} bytes of {@code head} (none when 0) and the payload, with the counts it adds.
     */
    private long write(final int typeId, final DirectBuffer head, final int headLength, final DirectBuffer source,
        final int offset, final int length, final int messages, final int payloadBytes)
    {
        try
        {
            tick();
            final boolean written;
            claimStarted();
            try
            {
                written = ring.write(typeId, head, headLength, source, offset, length);
            }
            finally
            {
                claimFinished();
            }
            return written(written, messages, payloadBytes);
        }
        catch (final RuntimeException | InternalError ex)
        {
            return closedOrThrow(ex);
        }
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
        // Before the ring is touched: the store's fence then waits for nothing (after the record's header it would
        // wait for the subscriber's core to hand that line back, tens of nanoseconds on every claim).
        holdClaim(claim);
        try
        {
            tick();
            claimStarted();
            try
            {
                index = ring.claim(MESSAGE_TYPE_ID, length);
            }
            catch (final RuntimeException | InternalError ex)
            {
                claimFinished();
                throw ex;
            }
            if (index == RingWriter.FULL)
            {
                claimFinished();
                releaseClaim();
                publisherCounters.onBackPressure();
                return BACK_PRESSURED;
            }
            if (index == RingWriter.WITHDRAWN)
            {
                claimFinished();
                releaseClaim();
                return CLOSED;
            }
        }
        catch (final RuntimeException | InternalError ex)
        {
            releaseClaim();
            return closedOrThrow(ex);
        }
        heldClaimIndex = index;
        heldClaimLength = length;
        API.wrap(claim, this, buffer, index, index, length);
        return OK;
    }

    @Override
    public void commitClaim(final int index)
    {
        try
        {
            commitHeld(index, heldClaimLength);
        }
        catch (final InternalError ex)
        {
            throw failure(ex); // a fault on the mapping, surfacing anywhere in the call
        }
    }

    private void commitHeld(final int index, final int length)
    {
        finishClaim(index);
        try
        {
            final boolean committed;
            try
            {
                committed = ring.commit(index, length);
            }
            finally
            {
                claimFinished();
            }
            if (!committed)
            {
                throw lostClaim(index, length);
            }
            if (published(1, length) != OK)
            {
                throw closedException(); // closed during the commit: it may have landed in memory the close released
            }
        }
        catch (final RuntimeException | InternalError ex)
        {
            throw failure(ex);
        }
    }

    @Override
    public void abortClaim(final int index)
    {
        try
        {
            abortHeld(index, heldClaimLength);
        }
        catch (final InternalError ex)
        {
            throw failure(ex); // a fault on the mapping, surfacing anywhere in the call
        }
    }

    private void abortHeld(final int index, final int length)
    {
        finishClaim(index);
        try
        {
            if (!ring.abort(index, length))
            {
                throw lostClaim(index, length);
            }
        }
        catch (final RuntimeException | InternalError ex)
        {
            throw failure(ex);
        }
        finally
        {
            claimFinished();
        }
    }

    @Override
    public boolean isConsumerAlive()
    {
        return isRoleAlive(false);
    }

    /**
     * Close with {@link #closeHeldClaim()}'s rule: the closing thread's claim is aborted in the ring at once; another
     * thread's stays in the ring untouched (that thread may be committing it), and the subscriber skips its space as
     * it would a dead publisher's.
     */
    @Override
    void onClose()
    {
        ring.awaitClaimInFlight(); // before the slot goes
        publisherCounters.flush();
        closeHeldClaim();
    }

    @Override
    void abortClaimAtClose()
    {
        final int index = heldClaimIndex;
        if (index < 0)
        {
            return; // marked held but not yet in the ring: the claim's own path gives the mark up
        }
        heldClaimIndex = -1;
        ring.abort(index, heldClaimLength); // a header changed under the closing thread's own claim is left as it is
        claimFinished();
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

    /**
     * The claimed record's header changed before its commit or abort. After another thread closed this publisher,
     * that is the subscriber skipping the withdrawn claim's space, as it skips a dead publisher's: the close, never a
     * failure of the channel. Otherwise the channel is corrupt.
     */
    private RuntimeException lostClaim(final int index, final int length)
    {
        if (closed) // read after the header: the close came first whenever the subscriber may have skipped it
        {
            return closedException();
        }
        return ring.claimLost(index, length);
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
        releaseClaim();
    }
}
