package io.shmipc.channel;

import io.shmipc.BatchingPublisher;
import io.shmipc.Claim;
import org.agrona.MutableDirectBuffer;

/**
 * The members of API classes that endpoints use but users must not: filling in a {@link Claim} and making a
 * {@link BatchingPublisher}. Those classes keep the members package-private, out of the API, and register an
 * implementation of this class when {@link Claim} is initialised; endpoints keep it in a {@code static final}
 * field, which the JIT treats as a constant, so the calls cost what direct calls cost.
 */
public abstract class ApiAccess
{
    private static volatile ApiAccess access;

    /**
     * The implementation, registered by the API package.
     *
     * @return the access.
     */
    public static ApiAccess get()
    {
        ApiAccess current = access;
        if (current == null)
        {
            try
            {
                Class.forName(Claim.class.getName(), true, Claim.class.getClassLoader());
            }
            catch (final ClassNotFoundException ex)
            {
                throw new IllegalStateException("cannot initialise " + Claim.class.getName(), ex);
            }
            current = access;
            if (current == null)
            {
                throw new IllegalStateException("no API access registered by " + Claim.class.getName());
            }
        }
        return current;
    }

    /**
     * Register the implementation: once, from the API package.
     *
     * @param implementation the implementation.
     * @throws IllegalStateException when one is registered already.
     */
    public static synchronized void register(final ApiAccess implementation)
    {
        if (access != null)
        {
            throw new IllegalStateException("API access is registered already");
        }
        access = implementation;
    }

    /**
     * Fill a claim with the space a publisher claimed.
     *
     * @param claim  the user's claim.
     * @param target the publisher, to commit or abort.
     * @param buffer the buffer holding the space.
     * @param index  what the publisher needs to commit or abort the claim.
     * @param offset where the space starts in {@code buffer}.
     * @param length the claimed length.
     */
    public abstract void wrap(
        Claim claim, ClaimTarget target, MutableDirectBuffer buffer, int index, int offset, int length);

    /**
     * Withdraw a claim whose publisher closed: its methods then throw {@code RegionClosedException}.
     *
     * @param claim     the claim.
     * @param publisher the publisher closing.
     */
    public abstract void release(Claim claim, ClaimTarget publisher);

    /**
     * A batching front for a ring publisher.
     *
     * @param publisher      the publisher, which is also a {@link io.shmipc.Publisher}.
     * @param maxBatchLength the largest record a batch makes.
     * @return the batching publisher.
     */
    public abstract BatchingPublisher newBatchingPublisher(RecordPublisher publisher, int maxBatchLength);
}
