package io.shmipc.wait;

/**
 * Something a thread waiting on many things at once can sleep on: a 32-bit futex word that is
 * woken when it may have work, and the check of whether it has. The protocol per wait is: {@link #prepareWait()}
 * (register as a waiter and read the word), {@link #hasWork()} once more, sleep on every word at once, then
 * {@link #finishWait()} whatever happened. Used by one thread: the one that also consumes the source's work.
 */
public interface WaitSource
{
    /** What {@link #prepareWait()} returns for a source that cannot be slept on: it is closed. */
    long NOT_WAITABLE = -1;

    /**
     * Register as a waiter on the word and read it. While registered, whoever makes work for this source wakes the
     * word.
     *
     * @return the word's value, 0 to 2^32 - 1, to sleep on; or {@link #NOT_WAITABLE} when the source is closed
     *         (nothing was registered, and {@link #finishWait()} must not be called).
     */
    long prepareWait();

    /**
     * The address of the futex word, valid between {@link #prepareWait()} and {@link #finishWait()}.
     *
     * @return the address.
     */
    long wordAddress();

    /**
     * Whether the source has work now (or is closed, which its owner must learn). May make checks of its own
     * (liveness probes, unblocking a dead publisher's record) at the pace it keeps.
     *
     * @return true when the owner should look at it.
     */
    boolean hasWork();

    /**
     * The longest the source lets a wait sleep now without looking at it again, for checks that no word wakes
     * (a peer's death, a timeout of its own). Asked just before the sleep, after {@link #hasWork()} said no.
     *
     * @return nanoseconds, or {@link Long#MAX_VALUE} for no limit.
     */
    long sleepLimitNs();

    /**
     * Whether the source is closed, or its region handle's close has begun. A wait that finds one source closing
     * looks at the others once more: every source of a handle whose close has begun is closing, and they are reported
     * together.
     *
     * @return true once closing.
     */
    default boolean isClosing()
    {
        return false;
    }

    /**
     * No longer a waiter; called after every {@link #prepareWait()} that did not return {@link #NOT_WAITABLE}.
     */
    void finishWait();
}
