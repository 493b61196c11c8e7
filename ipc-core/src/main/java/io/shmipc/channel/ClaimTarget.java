package io.shmipc.channel;

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
