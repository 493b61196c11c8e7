package io.shmipc;

/**
 * The kinds of channel, each with the code that stands for it in a region's directory and the roles it admits
 * once. A channel's kind is fixed when its region is created.
 */
public enum ChannelKind
{
    /**
     * One publisher, one subscriber, lossless and back-pressured (Agrona {@code OneToOneRingBuffer}). A second
     * publisher or subscriber, in any process, is refused with {@link io.shmipc.exceptions.ChannelInUseException}.
     */
    ONE_TO_ONE(1, true, true),

    /**
     * Many publishers, one subscriber, lossless and back-pressured (Agrona {@code ManyToOneRingBuffer}). Order is
     * kept per publisher.
     */
    MANY_TO_ONE(2, false, true),

    /**
     * One publisher (the transmitter), any number of subscribers. The transmitter never waits; a subscriber that
     * falls a whole buffer behind is lapped and told how many messages it lost (Agrona broadcast buffer).
     */
    BROADCAST(3, true, false),

    /**
     * One publisher, up to 63 subscribers, each reading every message in publisher order from its own position in
     * an append-only log that subscribers never write. Each subscriber chooses at attach (see
     * {@link SubscriberOptions}) whether it holds the publisher back (tethered, the default: the publisher gets
     * {@link Publisher#BACK_PRESSURED} rather than overwrite what it has not read) or not (untethered: it is moved
     * forward, and told how many messages it skipped, when it falls further behind than its lag window), and where
     * it starts: at the next message, at the oldest message the log still holds, or at a given position. A second
     * publisher, in any process, is refused with {@link io.shmipc.exceptions.ChannelInUseException}.
     */
    PUBLISH_SUBSCRIBE(4, true, false);

    private final int code;
    private final boolean singlePublisher;
    private final boolean singleSubscriber;

    ChannelKind(final int code, final boolean singlePublisher, final boolean singleSubscriber)
    {
        this.code = code;
        this.singlePublisher = singlePublisher;
        this.singleSubscriber = singleSubscriber;
    }

    /**
     * The code stored in the Kind field of the region's directory.
     *
     * @return 1, 2, 3 or 4.
     */
    public int code()
    {
        return code;
    }

    /**
     * The kind a directory code stands for.
     *
     * @param code a code read from a directory.
     * @return the kind, or {@code null} when no kind has this code.
     */
    public static ChannelKind ofCode(final int code)
    {
        for (final ChannelKind kind : values())
        {
            if (kind.code == code)
            {
                return kind;
            }
        }
        return null;
    }

    /**
     * Whether one subscriber at most may consume the channel, in all processes together.
     *
     * @return true for the ring kinds.
     */
    public boolean hasSingleSubscriber()
    {
        return singleSubscriber;
    }

    /**
     * Whether one publisher at most may publish on the channel, in all processes together.
     *
     * @return true for {@link #ONE_TO_ONE}, {@link #BROADCAST} and {@link #PUBLISH_SUBSCRIBE}.
     */
    public boolean hasSinglePublisher()
    {
        return singlePublisher;
    }
}
