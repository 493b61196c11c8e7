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
     * Release the route's local endpoint and Aeron resources.
     */
    @Override
    void close();
}
