package io.shmipc.channel;

import io.shmipc.wait.WaitSource;

/**
 * A subscriber as one of the sources a thread waiting on many channels sleeps on: the steps of its own blocking
 * poll (register as a waiter and read the wake-up word, look once more, sleep, leave), with the sleeping mark that
 * lets a close wait for the sleeper to leave the channel's memory, and the same cadence for a ring stuck behind a
 * dead publisher: sleeps in slices of {@link SubscriberEndpoint#STUCK_SLICE_NS} while it is, the record unblocked
 * at most once a millisecond.
 */
final class SubscriberWaitSource implements WaitSource
{
    private final SubscriberEndpoint subscriber;
    /** The longest sleep the subscriber allowed when it last had no work. */
    private long sliceNs = Long.MAX_VALUE;

    SubscriberWaitSource(final SubscriberEndpoint subscriber)
    {
        this.subscriber = subscriber;
    }

    @Override
    public long prepareWait()
    {
        try
        {
            return subscriber.sleep.prepare() & 0xFFFF_FFFFL;
        }
        catch (final RuntimeException | InternalError ex)
        {
            return NOT_WAITABLE; // closed, or its memory failed (a truncated file): its poll says which, typed
        }
    }

    @Override
    public long wordAddress()
    {
        return subscriber.wakeUpWord.address();
    }

    /**
     * A message, a closed subscriber or a failed channel (a corrupt record, the region's file truncated: its poll then
     * says so, typed), or a record a dead publisher left that was just turned into padding: the subscriber looks
     * after its channel as its own blocking poll does before a sleep, and that also says how long the sleep may last.
     */
    @Override
    public boolean hasWork()
    {
        sliceNs = Long.MAX_VALUE;
        if (subscriber.isClosing() || subscriber.health.isFailed())
        {
            return true;
        }
        try
        {
            if (subscriber.hasPending())
            {
                return true;
            }
            sliceNs = subscriber.sleepSlice();
            return subscriber.hasPending();
        }
        catch (final RuntimeException | InternalError ex)
        {
            return true; // the poll reports the corruption, typed
        }
    }

    @Override
    public boolean isClosing()
    {
        return subscriber.isClosing();
    }

    @Override
    public long sleepLimitNs()
    {
        final long limit = Math.min(subscriber.sleep.limit(Long.MAX_VALUE), sliceNs);
        subscriber.sleep.markSleeping();
        return limit;
    }

    @Override
    public void finishWait()
    {
        try
        {
            subscriber.sleep.leave();
        }
        catch (final RuntimeException | InternalError ex)
        {
            // Its memory failed under the wait (a truncated file): its poll reports it, typed.
        }
    }
}
