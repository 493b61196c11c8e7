package io.shmipc.channel;

import io.shmipc.exceptions.ShmIpcException;

/**
 * What a {@link io.shmipc.Claim} commits to or aborts from: the publisher that claimed the space.
 */
public interface ClaimTarget
{
    /**
     * Publish the claimed record.
     *
     * @param index where the claim lies, as the publisher gave it.
     */
    void commitClaim(int index);

    /**
     * Give the claimed space up.
     *
     * @param index where the claim lies, as the publisher gave it.
     */
    void abortClaim(int index);

    /**
     * What a fault on the mapping met during a commit or an abort becomes (HotSpot may raise one of the caller's own
     * writes into the claimed space there, at the call): the typed error, as for a fault within the commit.
     *
     * @param fault HotSpot's error.
     * @return the exception to throw.
     */
    ShmIpcException claimFault(InternalError fault);

    /**
     * Whether the publisher is closed: a claim it holds is then withdrawn.
     *
     * @return true once closed.
     */
    boolean isClosed();

    /**
     * The exception a claim this publisher withdrew when it closed throws from every method.
     *
     * @return a new exception naming the region and channel.
     */
    io.shmipc.exceptions.RegionClosedException closedClaim();
}
