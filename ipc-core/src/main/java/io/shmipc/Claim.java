package io.shmipc;

import org.agrona.MutableDirectBuffer;

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
 */
public final class Claim
{
    private ClaimTarget target;
    private MutableDirectBuffer buffer;
    private int index;
    private int offset;
    private int length;

    /**
     * The buffer to write the message into, at {@link #offset()}.
     *
     * @return the buffer.
     * @throws IllegalStateException when no claim is held.
     */
    public MutableDirectBuffer buffer()
    {
        ensureHeld();
        return buffer;
    }

    /**
     * Where the message starts in {@link #buffer()}.
     *
     * @return the offset.
     */
    public int offset()
    {
        return offset;
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
        target.abortClaim(index);
    }

    void wrap(final ClaimTarget target, final MutableDirectBuffer buffer, final int index, final int offset,
        final int length)
    {
        this.target = target;
        this.buffer = buffer;
        this.index = index;
        this.offset = offset;
        this.length = length;
    }

    /**
     * Forget the claimed space: its publisher closed and aborted it.
     */
    void release()
    {
        target = null;
        buffer = null;
    }

    private void ensureHeld()
    {
        if (target == null)
        {
            throw new IllegalStateException("no claim is held: call Publisher.tryClaim first");
        }
    }

    /**
     * What a claim commits to or aborts from.
     */
    interface ClaimTarget
    {
        void commitClaim(int index);

        void abortClaim(int index);
    }
}
