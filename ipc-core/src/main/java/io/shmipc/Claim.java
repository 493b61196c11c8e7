package io.shmipc;

import io.shmipc.channel.ApiAccess;
import io.shmipc.channel.ClaimTarget;
import io.shmipc.channel.RecordPublisher;
import io.shmipc.exceptions.RegionClosedException;
import io.shmipc.exceptions.ShmIpcException;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * A space claimed in a channel by {@link Publisher#tryClaim(int, Claim)}, written in place and then committed
 * or aborted. Allocate one per publishing thread and reuse it: claiming allocates nothing. It holds one claim at
 * a time: a {@code tryClaim} with a Claim that still holds one, of any publisher, is refused with
 * {@link IllegalStateException} (it would leave that claim unfinished, holding its channel back for good).
 * <pre>{@code
 * if (publisher.tryClaim(16, claim) == Publisher.OK)
 * {
 *     claim.buffer().putLong(claim.offset(), sequence);
 *     claim.buffer().putLong(claim.offset() + 8, timestamp);
 *     claim.commit();
 * }
 * }</pre>
 * Until it is committed or aborted the claim holds up the subscriber, so keep the time between the two short.
 * <p>
 * When the publisher closes (by itself or with its region) while a claim is held, the claim is withdrawn:
 * {@link #buffer()}, {@link #commit()} and {@link #abort()} then throw {@link RegionClosedException}. Closed by the
 * claiming thread itself, the view is emptied, so a write through a buffer obtained before throws
 * {@link IndexOutOfBoundsException}; closed by another thread, the view is left to the claiming thread, and a write
 * through it lands in private memory that takes the region's place.
 * <p>
 * {@link #buffer()} is a view of exactly the claimed space, starting at {@link #offset()} 0: a write outside it
 * throws {@link IndexOutOfBoundsException} (Agrona's bounds checks, on unless disabled) instead of overwriting
 * another message or the ring's positions. After a commit or an abort (or the publisher's close) the view is empty,
 * so a reference kept to it cannot write into a message already published (the view's cost per claim is measured
 * in docs/performance.md).
 */
public final class Claim
{
    private static final byte[] EMPTY = new byte[0];

    static
    {
        ApiAccess.register(new Access());
    }

    private final UnsafeBuffer view = new UnsafeBuffer(EMPTY);
    /** The publisher while the claim is held, a {@link Withdrawn} once it closed under the claim, else null. */
    private ClaimTarget target;
    private int index;
    private int length;

    /**
     * An empty claim, to fill with {@link Publisher#tryClaim(int, Claim)}; reuse it for every claim of a thread.
     */
    public Claim()
    {
    }

    /**
     * The buffer to write the message into: exactly the claimed space.
     *
     * @return the buffer, {@link #length()} bytes from {@link #offset()}.
     * @throws IllegalStateException when no claim is held.
     * @throws RegionClosedException when the publisher closed while the claim was held.
     */
    public MutableDirectBuffer buffer()
    {
        held();
        return view;
    }

    /**
     * Where the message starts in {@link #buffer()}: always 0, the buffer being the claimed space itself.
     *
     * @return 0.
     */
    public int offset()
    {
        return 0;
    }

    /**
     * The claimed length.
     *
     * @return bytes.
     */
    public int length()
    {
        return length;
    }

    /**
     * Whether this claim is held (claimed and not yet committed or aborted).
     *
     * @return true while held.
     */
    public boolean isHeld()
    {
        final ClaimTarget target = this.target;
        return target != null && !target.isClosed();
    }

    /**
     * Publish the message written in the claimed space.
     *
     * @throws IllegalStateException when no claim is held.
     * @throws RegionClosedException when the publisher closed while the claim was held, or during the commit (the
     *                               message may then have been published or not).
     */
    public void commit()
    {
        final ClaimTarget target = held();
        this.target = null;
        try
        {
            closeView();
            target.commitClaim(index);
        }
        catch (final InternalError fault)
        {
            // A fault of the caller's own writes into a truncated file, raised by HotSpot at this call.
            throw target.claimFault(fault);
        }
    }

    /**
     * Give the claimed space up: the subscriber skips it.
     *
     * @throws IllegalStateException when no claim is held.
     * @throws RegionClosedException when the publisher closed while the claim was held.
     */
    public void abort()
    {
        final ClaimTarget target = held();
        this.target = null;
        try
        {
            closeView();
            target.abortClaim(index);
        }
        catch (final InternalError fault)
        {
            throw target.claimFault(fault); // as in commit
        }
    }

    void wrap(final ClaimTarget target, final MutableDirectBuffer buffer, final int index, final int offset,
        final int length)
    {
        if (buffer.byteArray() == null)
        {
            view.wrap(buffer.addressOffset() + offset, length); // ring memory: offset and length come from Agrona
        }
        else
        {
            view.wrap(buffer, offset, length);
        }
        this.target = target;
        this.index = index;
        this.length = length;
    }

    /**
     * Withdraw the claimed space: its publisher closed on the claim's own thread.
     *
     * @param publisher the publisher closing.
     */
    void release(final ClaimTarget publisher)
    {
        target = new Withdrawn(publisher);
        closeView();
    }

    /**
     * Shrink the view to nothing: any access through a kept reference is then out of bounds. Only the capacity
     * changes, the view staying over the same memory.
     */
    private void closeView()
    {
        if (view.byteArray() == null)
        {
            view.wrap(view.addressOffset(), 0);
        }
        else
        {
            view.wrap(view.byteArray(), view.wrapAdjustment(), 0);
        }
    }

    /**
     * The publisher of the claim held, read once (another thread closing the publisher may withdraw it at any time).
     */
    private ClaimTarget held()
    {
        final ClaimTarget target = this.target;
        if (target == null)
        {
            throw new IllegalStateException("no claim is held: call Publisher.tryClaim first");
        }
        if (target.isClosed())
        {
            throw target.closedClaim(); // the publisher closed under the claim (a Withdrawn claim is closed too)
        }
        return target;
    }

    /**
     * What a claim holds once its publisher closed under it.
     */
    private record Withdrawn(ClaimTarget publisher) implements ClaimTarget
    {
        @Override
        public void commitClaim(final int index)
        {
            throw publisher.closedClaim();
        }

        @Override
        public void abortClaim(final int index)
        {
            throw publisher.closedClaim();
        }

        @Override
        public boolean isClosed()
        {
            return true;
        }

        @Override
        public RegionClosedException closedClaim()
        {
            return publisher.closedClaim();
        }

        @Override
        public ShmIpcException claimFault(final InternalError fault)
        {
            return publisher.claimFault(fault);
        }
    }

    /**
     * Gives the channel implementations the package-private members of the API classes they fill in.
     */
    private static final class Access extends ApiAccess
    {
        @Override
        public void wrap(final Claim claim, final ClaimTarget target, final MutableDirectBuffer buffer, final int index,
            final int offset, final int length)
        {
            claim.wrap(target, buffer, index, offset, length);
        }

        @Override
        public void release(final Claim claim, final ClaimTarget publisher)
        {
            claim.release(publisher);
        }

        @Override
        public BatchingPublisher newBatchingPublisher(final RecordPublisher publisher, final int maxBatchLength)
        {
            return new BatchingPublisher(publisher, maxBatchLength);
        }
    }
}
