package io.shmipc.channel;

import io.shmipc.BatchingPublisher;
import io.shmipc.ChannelKind;
import io.shmipc.Claim;
import io.shmipc.Publisher;
import io.shmipc.layout.ChannelDescriptor;
import io.shmipc.layout.EndpointDescriptor;
import io.shmipc.posix.MappedBuffer;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * The transmitter of a {@link ChannelKind#BROADCAST} channel. Every message carries a broadcast sequence number
 * in its record's type id, so receivers can count exactly what lapping made them lose; the next number is kept
 * in the channel's control block so a replacement transmitter continues the sequence.
 */
public final class BroadcastPublisher extends PublisherEndpoint implements Publisher, ClaimTarget
{
    private final BroadcastWriter transmitter;
    private final MappedBuffer control;
    private long nextSequence;
    private UnsafeBuffer claimBuffer;
    private boolean claimHeld;

    BroadcastPublisher(final ChannelContext context)
    {
        super(context);
        this.transmitter = new BroadcastWriter(context.buffer, layout.capacity(), health);
        this.control = context.control;
        this.nextSequence = control.getLongVolatile(ChannelDescriptor.BROADCAST_SEQUENCE_OFFSET);
        if (nextSequence < 0)
        {
            throw health.fail(ChannelDescriptor.FAILURE_POSITIONS, "nextSequence", "a sequence number from 0",
                Long.toString(nextSequence));
        }
    }

    /**
     * The record type id that carries a sequence number: its low 30 bits, plus one (type ids must be positive).
     *
     * @param sequence the broadcast sequence number.
     * @return the type id.
     */
    static int typeIdOf(final long sequence)
    {
        return (int)(sequence & ChannelDescriptor.BROADCAST_SEQUENCE_MASK) + 1;
    }

    @Override
    long publish(final DirectBuffer source, final int offset, final int length)
    {
        return transmit(source, offset, length);
    }

    @Override
    public BatchingPublisher batching(final int maxBatchLength)
    {
        throw new UnsupportedOperationException("batching is for ring and publish-subscribe channels: channel=" +
            channel() + " kind=" + kind);
    }

    @Override
    boolean isClaimHeld()
    {
        return claimHeld;
    }

    @Override
    long claim(final int length, final Claim claim)
    {
        if (claimBuffer == null)
        {
            claimBuffer = new UnsafeBuffer(new byte[maxMessageLength]);
        }
        claimHeld = true;
        holdClaim(claim);
        API.wrap(claim, this, claimBuffer, length, 0, length);
        return OK;
    }

    @Override
    public void commitClaim(final int length)
    {
        finishClaim();
        try
        {
            if (transmit(claimBuffer, 0, length) == CLOSED)
            {
                throw closedException();
            }
        }
        catch (final InternalError ex)
        {
            throw failure(ex); // a fault on the mapping, surfacing anywhere in the call
        }
    }

    @Override
    public void abortClaim(final int length)
    {
        finishClaim();
    }

    @Override
    public boolean isConsumerAlive()
    {
        return !closed && context.countAlive(EndpointDescriptor.ROLE_SUBSCRIBER) > 0;
    }

    @Override
    void onClose()
    {
        closeHeldClaim();
    }

    @Override
    void abortClaimAtClose()
    {
        claimHeld = false;
    }

    /**
     * A claim's view is over this publisher's own array: a late write through it reaches nothing shared.
     */
    @Override
    void keepClaimViewAfterClose()
    {
    }

    private long transmit(final DirectBuffer source, final int offset, final int length)
    {
        try
        {
            tick();
            final long sequence = nextSequence;
            nextSequence = sequence + 1;
            // Stored before the record is published: whoever sees the record also sees a sequence beyond it.
            control.putLongRelease(ChannelDescriptor.BROADCAST_SEQUENCE_OFFSET, sequence + 1);
            transmitter.transmit(typeIdOf(sequence), source, offset, length);
            return published(1, length);
        }
        catch (final RuntimeException | InternalError ex)
        {
            return closedOrThrow(ex);
        }
    }

    private void finishClaim()
    {
        if (closed)
        {
            throw closedException();
        }
        if (!claimHeld)
        {
            throw new IllegalStateException("claim is not held by this publisher: channel=" + channel());
        }
        claimHeld = false;
        releaseClaim();
    }
}
