package io.shmipc.channel;

/**
 * The close of one region handle, once it has begun: a single mark that every endpoint of the handle and every wait
 * source on its channel list reads. A thread waiting on many of them that finds one closing finds all of them closing
 * when it looks again (one store marks them all), never some of them.
 */
public final class HandleClosing
{
    private volatile boolean begun;

    /**
     * Mark the close begun. Idempotent.
     */
    public void begin()
    {
        begun = true;
    }

    /**
     * Whether the close has begun.
     *
     * @return true once {@link #begin()} was called.
     */
    public boolean hasBegun()
    {
        return begun;
    }
}
