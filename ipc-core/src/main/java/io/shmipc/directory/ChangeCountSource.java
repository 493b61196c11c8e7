package io.shmipc.directory;

import io.shmipc.wait.WaitSource;

import java.util.function.BooleanSupplier;

/**
 * A region's channel list as a source a thread waiting on many things sleeps on: the Directory Change Count is the
 * word (every process that adds or removes a channel increments and wakes it), and the source has work once the
 * count differs from the one it last reported. Each change is reported once: the count seen moves on when
 * {@link #hasWork()} says yes. From the moment its handle's close begins it is closing, and reads nothing more, so a
 * wait never reads the header after the handle unmaps it.
 */
public final class ChangeCountSource implements WaitSource
{
    private final DirectoryView view;
    private final BooleanSupplier handleClosing;
    private int seen;

    /**
     * A source that reports changes after the count now.
     *
     * @param view          the region's directory.
     * @param handleClosing whether the close of the handle watching it has begun: then it is closing.
     */
    public ChangeCountSource(final DirectoryView view, final BooleanSupplier handleClosing)
    {
        this.view = view;
        this.handleClosing = handleClosing;
        this.seen = view.changeCount();
    }

    @Override
    public long prepareWait()
    {
        return isClosing() ? NOT_WAITABLE : seen & 0xFFFF_FFFFL;
    }

    @Override
    public long wordAddress()
    {
        return view.changeCountAddress();
    }

    /**
     * Whether a channel was added or removed since the last change reported (or the region closed).
     *
     * @return true once per change seen.
     */
    @Override
    public boolean hasWork()
    {
        if (isClosing())
        {
            return true;
        }
        final int now = view.changeCount();
        if (now == seen)
        {
            return false;
        }
        seen = now;
        return true;
    }

    @Override
    public long sleepLimitNs()
    {
        return Long.MAX_VALUE;
    }

    @Override
    public void finishWait()
    {
    }

    @Override
    public boolean isClosing()
    {
        return handleClosing.getAsBoolean();
    }
}
