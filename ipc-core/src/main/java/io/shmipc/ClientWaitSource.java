package io.shmipc;

import io.shmipc.wait.WaitSource;

/**
 * A service client as a source a wait sleeps on: its reply channel's wake-up word, and besides a response, work of
 * its own that no word announces: a timeout due, or the server found dead by the probe it makes at least every
 * 10 ms while requests are pending (so sleeps are capped to that).
 */
final class ClientWaitSource implements WaitSource
{
    private final ServiceClient client;
    private final WaitSource replies;

    ClientWaitSource(final ServiceClient client, final WaitSource replies)
    {
        this.client = client;
        this.replies = replies;
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
