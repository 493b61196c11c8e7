package io.shmipc;

import io.shmipc.layout.DirectoryDescriptor;

/**
 * The three kinds of channel. A channel's kind is fixed when its region is created.
 */
public enum ChannelKind
{
    /**
     * One publisher, one subscriber, lossless and back-pressured (Agrona {@code OneToOneRingBuffer}). A second
     * publisher or subscriber, in any process, is refused with {@link io.shmipc.exceptions.ChannelInUseException}.
     */
    ONE_TO_ONE(DirectoryDescriptor.KIND_ONE_TO_ONE),

    /**
     * Many publishers, one subscriber, lossless and back-pressured (Agrona {@code ManyToOneRingBuffer}). Order is
     * kept per publisher.
     */
    MANY_TO_ONE(DirectoryDescriptor.KIND_MANY_TO_ONE),

    /**
     * One publisher (the transmitter), any number of subscribers. The transmitter never waits; a subscriber that
     * falls a whole buffer behind is lapped and told how many messages it lost (Agrona broadcast buffer).
     */
    BROADCAST(DirectoryDescriptor.KIND_BROADCAST);

    private final int code;

    ChannelKind(final int code)
    {
        this.code = code;
    }

    /**
     * The code stored in the region's directory.
     *
     * @return 1, 2 or 3.
     */
    public int code()
    {
        return code;
    }

    /**
     * The kind for a directory code.
     *
     * @param code a validated code.
     * @return the kind.
     * @throws IllegalArgumentException for an unknown code.
     */
    public static ChannelKind fromCode(final int code)
    {
        for (final ChannelKind kind : values())
        {
            if (kind.code == code)
            {
                return kind;
            }
        }
        throw new IllegalArgumentException("unknown channel kind code: code=" + code);
    }

    /**
     * Whether one subscriber at most may consume the channel.
     *
     * @return true for the ring kinds.
     */
    public boolean hasSingleSubscriber()
    {
        return this != BROADCAST;
    }

    /**
     * Whether one publisher at most may publish on the channel.
     *
     * @return true for {@link #ONE_TO_ONE} and {@link #BROADCAST}.
     */
    public boolean hasSinglePublisher()
    {
        return this != MANY_TO_ONE;
    }
}
