package io.shmipc.layout;

import io.shmipc.ChannelKind;
import io.shmipc.ChannelSpec;

/**
 * Where one channel lives in a region: its spec and the offsets of its areas, as a directory entry holds them.
 * Planned by {@link RegionLayout#plan} or read and validated by {@link LayoutReader}; every value is checked before
 * a record is made, so whoever holds one may use its offsets as they are.
 *
 * @param index               position in the directory.
 * @param spec                name, kind, capacity and the message limit in force.
 * @param channelOffset       start of the channel area in the region.
 * @param channelLength       length of the channel area.
 * @param controlOffset       start of the control block in the region.
 * @param endpointTableOffset start of the endpoint table in the region.
 * @param endpointSlots       slots in the endpoint table.
 * @param bufferOffset        start of the channel's buffer in the region.
 * @param bufferLength        capacity plus the buffer's trailer.
 * @param entryStatus         the directory entry's status when it was read: READY and its generation, which changes
 *                            if the channel is removed (and perhaps its entry used again).
 */
public record ChannelLayout(
    int index,
    ChannelSpec spec,
    long channelOffset,
    long channelLength,
    long controlOffset,
    long endpointTableOffset,
    int endpointSlots,
    long bufferOffset,
    int bufferLength,
    long entryStatus)
{
    /** The status of an entry the region's creator wrote READY: generation 1. */
    public static final long CREATED_STATUS = DirectoryDescriptor.next(0, DirectoryDescriptor.ENTRY_READY);

    /**
     * Place a channel whose area starts at {@code channelOffset}: control block, endpoint table and buffer follow
     * each other as {@link ChannelDescriptor} lays them out.
     *
     * @param index         position in the directory.
     * @param spec          the channel, with the message limit in force.
     * @param channelOffset page-aligned start of the channel area.
     * @return the placement.
     */
    public static ChannelLayout place(final int index, final ChannelSpec spec, final long channelOffset)
    {
        return place(index, spec, channelOffset, CREATED_STATUS);
    }

    /**
     * Place a channel whose area starts at {@code channelOffset}, in an entry whose status is {@code entryStatus}.
     *
     * @param index         position in the directory.
     * @param spec          the channel, with the message limit in force.
     * @param channelOffset page-aligned start of the channel area.
     * @param entryStatus   the entry's status.
     * @return the placement.
     */
    public static ChannelLayout place(final int index, final ChannelSpec spec, final long channelOffset,
        final long entryStatus)
    {
        final int slots = ChannelDescriptor.DEFAULT_ENDPOINT_SLOTS;
        final long tableOffset = channelOffset + ChannelDescriptor.CONTROL_LENGTH;
        return new ChannelLayout(index, spec, channelOffset,
            ChannelDescriptor.channelLength(spec.kind(), spec.capacity(), slots), channelOffset, tableOffset, slots,
            tableOffset + ChannelDescriptor.endpointTableLength(slots),
            ChannelDescriptor.bufferLength(spec.kind(), spec.capacity()), entryStatus);
    }

    /**
     * The same channel in an entry whose status is {@code status}.
     *
     * @param status the entry status.
     * @return the placement.
     */
    public ChannelLayout withStatus(final long status)
    {
        return new ChannelLayout(index, spec, channelOffset, channelLength, controlOffset, endpointTableOffset,
            endpointSlots, bufferOffset, bufferLength, status);
    }

    /**
     * The file offset of the channel's directory entry, whose first byte is its In-Use Lock.
     *
     * @return absolute offset in the region.
     */
    public long inUseLockOffset()
    {
        return DirectoryDescriptor.inUseLockOffset(index);
    }

    /**
     * The channel name.
     *
     * @return the name.
     */
    public String name()
    {
        return spec.name();
    }

    /**
     * The channel kind.
     *
     * @return the kind.
     */
    public ChannelKind kind()
    {
        return spec.kind();
    }

    /**
     * The power-of-two data capacity of the buffer.
     *
     * @return bytes.
     */
    public int capacity()
    {
        return spec.capacity();
    }

    /**
     * The longest payload accepted.
     *
     * @return bytes.
     */
    public int maxMessageLength()
    {
        return spec.maxMessageLength();
    }

    /**
     * The file offset of an endpoint slot, which is also its lock byte.
     *
     * @param slot slot index.
     * @return absolute offset in the region.
     */
    public long slotOffset(final int slot)
    {
        return endpointTableOffset + (long)slot * EndpointDescriptor.SLOT_LENGTH;
    }

    /**
     * The first endpoint slot of a role: the publishers' slots come first, then the subscribers', as many of each
     * as the kind admits ({@link ChannelKind#maxPublishers()}, {@link ChannelKind#maxSubscribers()}).
     *
     * @param publisher true for the publisher role, false for the subscriber role.
     * @return the slot index.
     */
    public int firstSlot(final boolean publisher)
    {
        return publisher ? 0 : spec.kind().maxPublishers();
    }

    /**
     * How many endpoint slots a role has, from {@link #firstSlot(boolean)}: the most live endpoints of that role.
     *
     * @param publisher true for the publisher role, false for the subscriber role.
     * @return the role's limit.
     */
    public int slotCount(final boolean publisher)
    {
        return publisher ? spec.kind().maxPublishers() : spec.kind().maxSubscribers();
    }

    /**
     * The file offset of one of the control block's role lock bytes.
     *
     * @param publisher true for the publisher role, false for the subscriber role.
     * @return absolute offset in the region.
     */
    public long roleLockOffset(final boolean publisher)
    {
        return controlOffset + (publisher ?
            ChannelDescriptor.PUBLISHER_ROLE_LOCK_OFFSET : ChannelDescriptor.SUBSCRIBER_ROLE_LOCK_OFFSET);
    }
}
