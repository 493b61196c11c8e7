package io.shmipc.channel;

import io.shmipc.exceptions.RegionClosedException;
import io.shmipc.wait.WaitSource;

/**
 * A subscriber as one of the sources a thread waiting on many channels sleeps on: the steps of its own blocking
 * poll (register as a waiter and read the wake-up word, look once more, sleep, leave), with the sleeping mark that
 * lets a close wait for the sleeper to leave the channel's memory, and the same cadence for a ring stuck behind a
 * dead publisher: sleeps capped at {@link #STUCK_SLEEP_CAP_NS} while it is, the record unblocked at most once a
 * millisecond.
 */
final class SubscriberWaitSource implements WaitSource
{
    /** Longest sleep while the ring holds a record nobody may have committed yet. */
    static final long STUCK_SLEEP_CAP_NS = 10_000_000L;

    private final SubscriberEndpoint subscriber;

    SubscriberWaitSource(final SubscriberEndpoint subscriber)
    {
        this.subscriber = subscriber;
    }

    @Override
    public long prepareWait()
    {
        try
        {
            return subscriber.prepareSleep() & 0xFFFF_FFFFL;
        }
        catch (final RegionClosedException ex)
        {
            return NOT_WAITABLE;
        }
    }

    @Override
    public long wordAddress()
    {
        return subscriber.wakeUpWord.address();
    }

    /**
     * A message, a closed subscriber (its poll then says so), or a record a dead publisher left that was just turned
     * into padding.
     */
    @Override
    public boolean hasWork()
    {
        if (subscriber.isClosed())
        {
            return true;
        }
        try
        {
            return subscriber.hasPending() || subscriber.unblockIfStuck(System.nanoTime());
        }
        catch (final RuntimeException | InternalError ex)
        {
            return true; // the poll reports the corruption, typed
        }
    }

    @Override
    public long sleepLimitNs()
    {
        final long limit = subscriber.sleepLimit(Long.MAX_VALUE);
        subscriber.markSleeping();
        return limit == Long.MAX_VALUE && !subscriber.isClosed() && subscriber.isStuck() ? STUCK_SLEEP_CAP_NS : limit;
    }

    @Override
    public void finishWait()
    {
        subscriber.finishSleep();
    }
}
