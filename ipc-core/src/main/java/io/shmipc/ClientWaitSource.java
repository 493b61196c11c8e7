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
    private boolean closed;

    ClientWaitSource(final ServiceClient client, final WaitSource replies)
    {
        this.client = client;
        this.replies = replies;
    }

    /**
     * Sleep in the client's own wait until this source has work, or the time passes; return at once when the client
     * was closed, also by another thread meanwhile (the poll that follows says so).
     */
    void await(final long timeoutNs)
    {
        final MultiWait wait = ownWait();
        if (wait != null)
        {
            wait.await(timeoutNs);
        }
    }

    /**
     * The client's own wait, made on the first sleep; null once the client closed.
     */
    private synchronized MultiWait ownWait()
    {
        if (closed)
        {
            return null;
        }
        if (ownWait == null)
        {
            ownWait = new MultiWait();
            ownWait.add(this);
        }
        return ownWait;
    }

    /**
     * The client closed: release its own wait, if it ever slept, once a sleep in it, of any thread, has left.
     */
    void close()
    {
        final MultiWait wait;
        synchronized (this)
        {
            closed = true;
            wait = ownWait;
        }
        if (wait != null)
        {
            wait.close();
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
    public boolean isClosing()
    {
        return replies.isClosing();
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
