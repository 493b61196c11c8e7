package io.shmipc.examples.support;

import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.BusySpinIdleStrategy;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.YieldingIdleStrategy;

/**
 * The ways a tool waits for messages, chosen with {@code --idle}.
 */
public enum IdleStrategies
{
    /**
     * Spin, then yield for about ten milliseconds, then park with a growing period up to one millisecond: hot while
     * messages flow, near zero CPU when the channel is quiet. The default.
     */
    BACKOFF,

    /** Yield the CPU between polls: low latency, one core busy while waiting. */
    YIELD,

    /** Spin without pause: the lowest latency, one core always busy. */
    SPIN;

    private static final int MAX_SPINS = 100;
    private static final int MAX_YIELDS = 10_000;
    private static final long MIN_PARK_NS = 1_000;
    private static final long MAX_PARK_NS = 1_000_000;

    /**
     * A new idle strategy of this kind (idle strategies hold state: one per polling loop).
     *
     * @return the strategy.
     */
    public IdleStrategy newStrategy()
    {
        switch (this)
        {
            case SPIN:
                return new BusySpinIdleStrategy();
            case YIELD:
                return new YieldingIdleStrategy();
            default:
                return responsive();
        }
    }

    /**
     * The default: {@link #BACKOFF}.
     *
     * @return a new strategy.
     */
    public static IdleStrategy responsive()
    {
        return new BackoffIdleStrategy(MAX_SPINS, MAX_YIELDS, MIN_PARK_NS, MAX_PARK_NS);
    }
}
