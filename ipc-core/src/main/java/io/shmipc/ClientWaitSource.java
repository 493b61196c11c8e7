package io.shmipc;

import io.shmipc.wait.MultiWait;
import io.shmipc.wait.WaitSource;

/**
 * A service client as a source a wait sleeps on: its reply channel's wake-up word, and besides a response, work of
 * its own that no word announces: a timeout due, or the server found dead by the probe it makes at least every
 * 10 ms while requests are pending (so sleeps are capped to that). It is also the only member of the client's own
 * wait, which its blocking poll sleeps in, made on the first sleep.
 */
final class ClientWaitSource implements WaitSource
{
    private final ServiceClient client;
    private final WaitSource replies;
    private MultiWait ownWait;

    ClientWaitSource(final ServiceClient client, final WaitSource replies)
    {
        this.client = client;
        this.replies = replies;
    }

    /**
     * Sleep in the client's own wait until this source has work, or the time passes.
     */
    void await(final long timeoutNs)
    {
        if (ownWait == null)
        {
            ownWait = new MultiWait();
            ownWait.add(this);
        }
        ownWait.await(timeoutNs);
    }

    /**
     * The client closed: release its own wait, if it ever slept.
     */
    void close()
    {
        if (ownWait != null)
        {
            ownWait.close();
        }
    }

    @Override
    public long prepareWait()
    {
        return replies.prepareWait();
    }

    @Override
    public long wordAddress()
    {
        return replies.wordAddress();
    }

    @Override
    public boolean hasWork()
    {
        return replies.hasWork() || client.hasDueWork(System.nanoTime());
    }

    @Override
    public long sleepLimitNs()
    {
        return Math.min(replies.sleepLimitNs(), client.sleepLimit(System.nanoTime()));
    }

    @Override
    public void finishWait()
    {
        replies.finishWait();
    }
}
