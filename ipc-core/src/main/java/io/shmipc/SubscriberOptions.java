package io.shmipc;

import java.time.Duration;
import java.util.Objects;

/**
 * How a subscriber of a {@link ChannelKind#PUBLISH_SUBSCRIBE} channel reads: its flow control and where it starts.
 * Chosen by each subscriber when it opens ({@link Region#subscriber(String, SubscriberOptions)}), whether its region
 * handle created the region or attached to it: flow control is not part of the region, and tethered and untethered
 * subscribers mix freely on one channel. Immutable; each method returns a new value.
 * <ul>
 * <li><b>Tethered</b> (the default): the publisher never overwrites what this subscriber has not read; it gets
 * {@link Publisher#BACK_PRESSURED} instead. A subscriber whose process dies stops holding it back within about a
 * millisecond. A live but stopped one (SIGSTOP, a long GC pause) holds it back for as long as it is stopped, unless
 * {@link #demoteAfter(Duration)} lets the publisher demote it.</li>
 * <li><b>Untethered</b> with a lag window: never holds the publisher back; when it falls further behind than its
 * window, or is overwritten, it moves forward to the publisher's tail (it goes on with the next message
 * published) and counts what it skipped ({@link Subscriber#lostMessages()}). Its handler only ever sees intact
 * messages: each is copied out and checked before it is handed over.</li>
 * </ul>
 * Start: the next message published (the default), the oldest message the log still holds, or a given position
 * ({@link Subscriber#position()} of an earlier subscriber) while the log still holds it.
 * <p>
 * Other kinds accept only {@link #defaults()}.
 */
public final class SubscriberOptions
{
    private static final SubscriberOptions DEFAULTS = new SubscriberOptions(true, 0, 0, Start.NEXT, -1);

    /**
     * Where a subscriber starts.
     */
    public enum Start
    {
        /** At the next message published after it joins. */
        NEXT,
        /** At the oldest message the log still holds. */
        OLDEST,
        /** At a given position. */
        POSITION
    }

    private final boolean tethered;
    private final int lagWindow;
    private final long demoteAfterMs;
    private final Start start;
    private final long startPosition;

    private SubscriberOptions(final boolean tethered, final int lagWindow, final long demoteAfterMs,
        final Start start, final long startPosition)
    {
        this.tethered = tethered;
        this.lagWindow = lagWindow;
        this.demoteAfterMs = demoteAfterMs;
        this.start = start;
        this.startPosition = startPosition;
    }

    /**
     * Tethered, never demoted, starting at the next message.
     *
     * @return the defaults.
     */
    public static SubscriberOptions defaults()
    {
        return DEFAULTS;
    }

    /**
     * Hold the publisher back (the default).
     *
     * @return new options.
     */
    public SubscriberOptions tethered()
    {
        return new SubscriberOptions(true, 0, demoteAfterMs, start, startPosition);
    }

    /**
     * Never hold the publisher back; fall at most half the channel's capacity behind.
     *
     * @return new options.
     * @throws IllegalArgumentException on options with {@link #demoteAfter}.
     */
    public SubscriberOptions untethered()
    {
        refuseDemotion("untethered()");
        return new SubscriberOptions(false, 0, 0, start, startPosition);
    }

    /** A demotable subscriber is a tethered one: making it untethered would silently drop the demotion asked for. */
    private void refuseDemotion(final String asked)
    {
        if (demoteAfterMs > 0)
        {
            throw new IllegalArgumentException(asked + " contradicts demoteAfter(" + Duration.ofMillis(demoteAfterMs) +
                "), which is for a tethered subscriber: give one of them");
        }
    }

    /**
     * Never hold the publisher back; fall at most {@code lagWindow} bytes behind the publisher's tail.
     *
     * @param lagWindow bytes, from 32 (the record of an empty message) to the channel's capacity, checked when
     *                  subscribing. A message whose record (16 bytes of header and its payload, aligned to 32) is
     *                  longer than the window is skipped whenever the subscriber is behind by it.
     * @return new options.
     * @throws IllegalArgumentException when not positive, or on options with {@link #demoteAfter}.
     */
    public SubscriberOptions untethered(final int lagWindow)
    {
        if (lagWindow <= 0)
        {
            throw new IllegalArgumentException("lagWindow must be positive: lagWindow=" + lagWindow);
        }
        refuseDemotion("untethered(" + lagWindow + ")");
        return new SubscriberOptions(false, lagWindow, 0, start, startPosition);
    }

    /**
     * Let the publisher demote this tethered subscriber once it has held the publisher back without moving for
     * this long; it goes on untethered (lag window half the capacity) and counts what it skips. A tethered
     * subscriber that may be demoted reads every message copied and checked, as an untethered one does. Its position
     * moves once per poll, when the poll returns: the time its handler spends inside one poll counts as not moving,
     * so keep a poll's {@code limit} small enough that a poll takes well under this.
     *
     * @param after from 1 ms to 24 days.
     * @return new options.
     * @throws IllegalArgumentException outside that range, or on untethered options.
     */
    public SubscriberOptions demoteAfter(final Duration after)
    {
        Objects.requireNonNull(after, "after");
        if (after.compareTo(Duration.ofMillis(1)) < 0 || after.compareTo(Duration.ofMillis(Integer.MAX_VALUE)) > 0)
        {
            throw new IllegalArgumentException("demoteAfter must be from 1 ms to " + Integer.MAX_VALUE +
                " ms: demoteAfter=" + after);
        }
        if (!tethered)
        {
            throw new IllegalArgumentException("demoteAfter(" + after + ") is for a tethered subscriber, and these " +
                "options are untethered: give one of them");
        }
        return new SubscriberOptions(true, 0, after.toMillis(), start, startPosition);
    }

    /**
     * Start at the next message published (the default).
     *
     * @return new options.
     */
    public SubscriberOptions fromNext()
    {
        return new SubscriberOptions(tethered, lagWindow, demoteAfterMs, Start.NEXT, -1);
    }

    /**
     * Start at the oldest message the log still holds (its whole history, as far as the buffer reaches; over a
     * file-backed region this includes what earlier processes published). Opening fails with
     * {@link io.shmipc.exceptions.PositionNotHeldException} when the publisher overwrites the oldest message again
     * and again, faster than the join can read it (docs/guarantees.md).
     *
     * @return new options.
     */
    public SubscriberOptions fromOldest()
    {
        return new SubscriberOptions(tethered, lagWindow, demoteAfterMs, Start.OLDEST, -1);
    }

    /**
     * Start at a position, as {@link Subscriber#position()} reported it; opening fails with
     * {@link io.shmipc.exceptions.PositionNotHeldException} when the log no longer holds it.
     *
     * @param position a position where a message starts.
     * @return new options.
     * @throws IllegalArgumentException when negative.
     */
    public SubscriberOptions fromPosition(final long position)
    {
        if (position < 0)
        {
            throw new IllegalArgumentException("position must not be negative: position=" + position);
        }
        return new SubscriberOptions(tethered, lagWindow, demoteAfterMs, Start.POSITION, position);
    }

    /**
     * Whether this subscriber holds the publisher back.
     *
     * @return true when tethered.
     */
    public boolean isTethered()
    {
        return tethered;
    }

    /**
     * The untethered lag window.
     *
     * @return bytes, or 0 for half the capacity (and when tethered).
     */
    public int lagWindow()
    {
        return lagWindow;
    }

    /**
     * How long a tethered subscriber may hold the publisher back unmoved before it is demoted.
     *
     * @return milliseconds, 0 for never.
     */
    public long demoteAfterMs()
    {
        return demoteAfterMs;
    }

    /**
     * Where the subscriber starts.
     *
     * @return the start.
     */
    public Start start()
    {
        return start;
    }

    /**
     * The start position, for {@link Start#POSITION}.
     *
     * @return the position, or -1.
     */
    public long startPosition()
    {
        return startPosition;
    }

    /**
     * Whether these are the defaults, the only options other kinds take.
     *
     * @return true for tethered, never demoted, from the next message.
     */
    public boolean isDefault()
    {
        return tethered && demoteAfterMs == 0 && start == Start.NEXT;
    }

    @Override
    public String toString()
    {
        return "SubscriberOptions{" + (tethered ? "tethered" : "untethered, lagWindow=" +
            (lagWindow == 0 ? "capacity/2" : lagWindow)) + (demoteAfterMs > 0 ? ", demoteAfter=" + demoteAfterMs +
            "ms" : "") + ", start=" + start + (start == Start.POSITION ? " " + startPosition : "") + "}";
    }
}
