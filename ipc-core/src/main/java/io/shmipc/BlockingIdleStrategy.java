package io.shmipc;

import io.shmipc.channel.SubscriberEndpoint;
import io.shmipc.wait.Futex;
import org.agrona.concurrent.IdleStrategy;

import java.time.Duration;

/**
 * An Agrona {@link IdleStrategy} that sleeps on a subscriber's channel, for duty-cycle consumers run by Agrona's
 * {@code AgentRunner}: when the agent's work count is 0 it spins, then yields, then sleeps on the channel's
 * wake-up word ({@code futex}) until a publisher signals or {@code maxSleep} passes. After every timeout it asks
 * the kernel whether any publisher is still alive ({@link #connectedPublishers()}).
 * <p>
 * Not thread-safe: use it on the subscriber's thread only.
 */
public final class BlockingIdleStrategy implements IdleStrategy
{
    /** Default longest single sleep. */
    public static final Duration DEFAULT_MAX_SLEEP = Duration.ofMillis(100);

    private final SubscriberEndpoint subscriber;
    private final long maxSleepNs;
    private int idleRounds;
    private int connectedPublishers = -1;
    private long timeouts;

    /**
     * Sleep on {@code subscriber}'s channel for at most {@link #DEFAULT_MAX_SLEEP} at a time.
     *
     * @param subscriber the subscriber the agent polls.
     */
    public BlockingIdleStrategy(final Subscriber subscriber)
    {
        this(subscriber, DEFAULT_MAX_SLEEP);
    }

    /**
     * Sleep on {@code subscriber}'s channel for at most {@code maxSleep} at a time.
     *
     * @param subscriber the subscriber the agent polls.
     * @param maxSleep   longest single sleep; liveness is checked after each one that times out.
     */
    public BlockingIdleStrategy(final Subscriber subscriber, final Duration maxSleep)
    {
        this.subscriber = (SubscriberEndpoint)subscriber;
        this.maxSleepNs = maxSleep.toNanos();
        if (maxSleepNs <= 0)
        {
            throw new IllegalArgumentException("maxSleep must be positive: maxSleep=" + maxSleep);
        }
    }

    @Override
    public void idle(final int workCount)
    {
        if (workCount > 0)
        {
            reset();
        }
        else
        {
            idle();
        }
    }

    @Override
    public void idle()
    {
        if (idleRounds < SubscriberEndpoint.SPINS)
        {
            idleRounds++;
            Thread.onSpinWait();
        }
        else if (idleRounds < SubscriberEndpoint.SPINS + SubscriberEndpoint.YIELDS)
        {
            idleRounds++;
            Thread.yield();
        }
        else if (subscriber.awaitWork(maxSleepNs) == Futex.TIMED_OUT)
        {
            timeouts++;
            connectedPublishers = subscriber.connectedPublishers();
        }
    }

    @Override
    public void reset()
    {
        idleRounds = 0;
    }

    @Override
    public String alias()
    {
        return "blocking-" + subscriber.wakeUpMechanism().name().toLowerCase(java.util.Locale.ROOT);
    }

    /**
     * Live publishers as of the last sleep that timed out.
     *
     * @return the count, or -1 before the first timeout.
     */
    public int connectedPublishers()
    {
        return connectedPublishers;
    }

    /**
     * Sleeps that ended by timeout rather than by a signal.
     *
     * @return timeouts so far.
     */
    public long timeouts()
    {
        return timeouts;
    }
}
