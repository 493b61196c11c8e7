package io.shmipc.bridge;

/**
 * One direction of one channel, driven by the bridge's duty cycle.
 */
interface Route extends AutoCloseable
{
    /**
     * Do what can be done now without waiting.
     *
     * @param nowNs {@link System#nanoTime()}.
     * @return work done (0 lets the idle strategy back off).
     */
    int doWork(long nowNs);

    /**
     * One step of a clean stop, called in place of {@link #doWork} until it returns true or the stop's time is up:
     * take nothing new from the local channel, and settle what is owed to the peer.
     *
     * @param nowNs {@link System#nanoTime()}.
     * @return true once nothing more is owed.
     */
    default boolean drain(final long nowNs)
    {
        return true;
    }

    /**
     * After a fault on mapped memory (HotSpot's {@link InternalError}): check that the files this route maps are as
     * long as their mappings.
     *
     * @throws BridgeException naming a file found shorter than its mapping.
     */
    default void checkMappedFiles()
    {
    }

    /**
     * Messages taken from the local channel that the peer has not acknowledged: what a ring route's replay log keeps
     * for the next start.
     *
     * @return the count; 0 for a route that keeps nothing.
     */
    default long unacknowledgedMessages()
    {
        return 0;
    }

    /**
     * Release the route's local endpoint and Aeron resources.
     */
    @Override
    void close();
}
