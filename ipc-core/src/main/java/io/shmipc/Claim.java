package io.shmipc;

import io.shmipc.channel.ApiAccess;
import io.shmipc.channel.ClaimTarget;
import io.shmipc.channel.RecordPublisher;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * A space claimed in a channel by {@link Publisher#tryClaim(int, Claim)}, written in place and then committed
 * or aborted. Allocate one per publishing thread and reuse it: claiming allocates nothing.
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
     */
    public MutableDirectBuffer buffer()
    {
        ensureHeld();
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
        return target != null;
    }

    /**
     * Publish the message written in the claimed space.
     *
     * @throws IllegalStateException when no claim is held.
     */
    public void commit()
    {
        ensureHeld();
        final ClaimTarget target = this.target;
        this.target = null;
        closeView();
        target.commitClaim(index);
    }

    /**
     * Give the claimed space up: the subscriber skips it.
     *
     * @throws IllegalStateException when no claim is held.
     */
    public void abort()
    {
        ensureHeld();
        final ClaimTarget target = this.target;
        this.target = null;
        closeView();
        target.abortClaim(index);
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
     * Forget the claimed space: its publisher closed and aborted it.
     */
    void release()
    {
        target = null;
        closeView();
    }

    /**
     * Shrink the view to nothing: any access through a kept reference is then out of bounds. Over memory by
     * address (a ring), it stays where it is, which costs least.
     */
    private void closeView()
    {
        if (view.byteArray() == null)
        {
            view.wrap(view.addressOffset(), 0);
        }
        else
        {
            view.wrap(EMPTY);
        }
    }

    private void ensureHeld()
    {
        if (target == null)
        {
            throw new IllegalStateException("no claim is held: call Publisher.tryClaim first");
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
        public void release(final Claim claim)
        {
            claim.release();
        }

        @Override
        public BatchingPublisher newBatchingPublisher(final RecordPublisher publisher, final int maxBatchLength)
        {
            return new BatchingPublisher(publisher, maxBatchLength);
        }
    }
}
