package io.shmipc;

/**
 * The kinds of channel, each with the code that stands for it in a region's directory and how many live endpoints
 * of each role it admits, in all processes together. A channel's kind is fixed when its region is created.
 * <p>
 * Every channel has 64 endpoint slots, divided between the roles: the publishers' slots come
 * first, then the subscribers'. So an exclusive role (a limit of one) always has its own slot, and however the other
 * role fills up, it can never lock the exclusive one out.
 */
public enum ChannelKind
{
    /**
     * One publisher, one subscriber, lossless and back-pressured (Agrona {@code OneToOneRingBuffer}). A second
     * publisher or subscriber, in any process, is refused with {@link io.shmipc.exceptions.ChannelInUseException}.
     */
    ONE_TO_ONE(1, 1, 1),

    /**
     * Up to 63 publishers, one subscriber, lossless and back-pressured (Agrona {@code ManyToOneRingBuffer}). Order
     * is kept per publisher.
     */
    MANY_TO_ONE(2, 63, 1),

    /**
     * One publisher (the transmitter), up to 63 subscribers. The transmitter never waits; a subscriber that falls
     * a whole buffer behind is lapped and told how many messages it lost (Agrona broadcast buffer).
     */
    BROADCAST(3, 1, 63),

    /**
     * One publisher, up to 63 subscribers, each reading every message in publisher order from its own position in
     * an append-only log that subscribers never write. Each subscriber chooses at attach (see
     * {@link SubscriberOptions}) whether it holds the publisher back (tethered, the default: the publisher gets
     * {@link Publisher#BACK_PRESSURED} rather than overwrite what it has not read) or not (untethered: it is moved
     * forward, and told how many messages it skipped, when it falls further behind than its lag window), and where
     * it starts: at the next message, at the oldest message the log still holds, or at a given position. A second
     * publisher, in any process, is refused with {@link io.shmipc.exceptions.ChannelInUseException}.
     */
    PUBLISH_SUBSCRIBE(4, 1, 63);

    private final int code;
    private final int maxPublishers;
    private final int maxSubscribers;

    ChannelKind(final int code, final int maxPublishers, final int maxSubscribers)
    {
        this.code = code;
        this.maxPublishers = maxPublishers;
        this.maxSubscribers = maxSubscribers;
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
     * The most publishers the channel admits at once, in all processes together; one more is refused with
     * {@link io.shmipc.exceptions.ChannelInUseException}.
     *
     * @return 1, or 63 for {@link #MANY_TO_ONE}.
     */
    public int maxPublishers()
    {
        return maxPublishers;
    }

    /**
     * The most subscribers the channel admits at once, in all processes together; one more is refused with
     * {@link io.shmipc.exceptions.ChannelInUseException}.
     *
     * @return 1, or 63 for {@link #BROADCAST} and {@link #PUBLISH_SUBSCRIBE}.
     */
    public int maxSubscribers()
    {
        return maxSubscribers;
    }

    /**
     * Whether one subscriber at most may consume the channel, in all processes together.
     *
     * @return true for the ring kinds.
     */
    public boolean hasSingleSubscriber()
    {
        return maxSubscribers == 1;
    }

    /**
     * Whether one publisher at most may publish on the channel, in all processes together.
     *
     * @return true for {@link #ONE_TO_ONE}, {@link #BROADCAST} and {@link #PUBLISH_SUBSCRIBE}.
     */
    public boolean hasSinglePublisher()
    {
        return maxPublishers == 1;
    }
}
