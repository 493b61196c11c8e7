package io.shmipc.layout;

/**
 * Layout of one directory entry. The directory starts at the header's Directory Offset (page aligned) and holds
 * Directory Capacity entries of {@link #ENTRY_LENGTH} bytes; offsets below are from the start of the entry, and every
 * region offset in an entry is from the start of the region.
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +-------------------------------+-------------------------------+
 *  |       Name Length (int)       |          Kind (int)           |   0
 *  +-------------------------------+-------------------------------+
 *  |          Name (56 bytes, ASCII, zero padded after Length)     |   8
 *  |                              ...                              |
 *  +---------------------------------------------------------------+
 *  |                   Channel Area Offset (long)                  |  64
 *  +---------------------------------------------------------------+
 *  |                   Channel Area Length (long)                  |  72
 *  +---------------------------------------------------------------+
 *  |                     Buffer Offset (long)                      |  80
 *  +-------------------------------+-------------------------------+
 *  |      Buffer Length (int)      |        Capacity (int)         |  88
 *  +-------------------------------+-------------------------------+
 *  |   Max Message Length (int)    |     Endpoint Slots (int)      |  96
 *  +-------------------------------+-------------------------------+
 *  |                 Endpoint Table Offset (long)                  | 104
 *  +---------------------------------------------------------------+
 *  |                  Control Block Offset (long)                  | 112
 *  +-------------------------------+-------------------------------+
 *  |       Entry State (int)       |    Entry Generation (int)     | 120
 *  +-------------------------------+-------------------------------+
 * </pre>
 * Kind is the code of an {@link io.shmipc.ChannelKind} ({@link io.shmipc.ChannelKind#code()}: 1 {@code ONE_TO_ONE},
 * 2 {@code MANY_TO_ONE}, 3 {@code BROADCAST}, 4 {@code PUBLISH_SUBSCRIBE}). Capacity is the power-of-two data
 * capacity of the channel's buffer; Buffer Length adds the trailer of that kind's buffer format
 * ({@link ChannelDescriptor#trailerLength(io.shmipc.ChannelKind)}). The channel area is laid out by
 * {@link ChannelDescriptor}.
 * <p>
 * Entry State and Entry Generation form the 8-byte Entry Status ({@link #ENTRY_STATUS_OFFSET}, the state in the low
 * 32 bits), stored as one long with a release store and loaded with an acquire load. The state is
 * {@link #ENTRY_FREE}, {@link #ENTRY_INITIALISING} or {@link #ENTRY_READY}; every store of a new state adds one to the
 * generation, so the same status read before and after the other fields proves they did not change in between. The
 * other fields are written while the entry is FREE and never change while it is READY.
 * <p>
 * The entry's first byte ({@link #IN_USE_LOCK_OFFSET}) is an OFD lock range, the channel's In-Use Lock: every
 * endpoint holds a read lock on it, and a process removing the channel must take it for writing.
 */
public final class DirectoryDescriptor
{
    /** Longest channel name, in ASCII bytes. */
    public static final int MAX_NAME_LENGTH = 56;
    /** Largest directory capacity: the most channels one region holds at once. */
    public static final int MAX_CHANNELS = 1024;

    /** Offset of the name length. */
    public static final int NAME_LENGTH_OFFSET = 0;
    /** Offset of the kind. */
    public static final int KIND_OFFSET = 4;
    /** Offset of the name bytes. */
    public static final int NAME_OFFSET = 8;
    /** Offset of the channel area offset. */
    public static final int CHANNEL_OFFSET_OFFSET = 64;
    /** Offset of the channel area length. */
    public static final int CHANNEL_LENGTH_OFFSET = 72;
    /** Offset of the buffer offset. */
    public static final int BUFFER_OFFSET_OFFSET = 80;
    /** Offset of the buffer length. */
    public static final int BUFFER_LENGTH_OFFSET = 88;
    /** Offset of the capacity. */
    public static final int CAPACITY_OFFSET = 92;
    /** Offset of the max message length. */
    public static final int MAX_MESSAGE_LENGTH_OFFSET = 96;
    /** Offset of the endpoint slot count. */
    public static final int ENDPOINT_SLOTS_OFFSET = 100;
    /** Offset of the endpoint table offset. */
    public static final int ENDPOINT_TABLE_OFFSET_OFFSET = 104;
    /** Offset of the control block offset. */
    public static final int CONTROL_OFFSET_OFFSET = 112;
    /** Offset of the entry status: the entry state in its low 32 bits, the entry generation in its high 32 bits. */
    public static final int ENTRY_STATUS_OFFSET = 120;
    /** Offset of the entry state, the low half of the entry status. */
    public static final int ENTRY_STATE_OFFSET = 120;
    /** Offset of the entry generation, the high half of the entry status. */
    public static final int ENTRY_GENERATION_OFFSET = 124;
    /** Offset of the in-use lock byte, an OFD lock range. */
    public static final int IN_USE_LOCK_OFFSET = 0;

    /** Entry state: no channel; the other fields mean nothing. */
    public static final int ENTRY_FREE = 0;
    /** Entry state: a channel being added under the directory lock. */
    public static final int ENTRY_INITIALISING = 1;
    /** Entry state: a channel. */
    public static final int ENTRY_READY = 2;

    /** Length of one entry. */
    public static final int ENTRY_LENGTH = 128;

    private DirectoryDescriptor()
    {
    }

    /**
     * The offset of an entry from the start of the region.
     *
     * @param index the entry index.
     * @return bytes from the start of the region.
     */
    public static int entryOffset(final int index)
    {
        return RegionHeaderDescriptor.HEADER_LENGTH + index * ENTRY_LENGTH;
    }

    /**
     * The offset of an entry's In-Use Lock byte from the start of the region.
     *
     * @param index the entry index.
     * @return bytes from the start of the region.
     */
    public static long inUseLockOffset(final int index)
    {
        return entryOffset(index) + IN_USE_LOCK_OFFSET;
    }

    /**
     * The state half of an entry status.
     *
     * @param status the entry status.
     * @return the state.
     */
    public static int state(final long status)
    {
        return (int)status;
    }

    /**
     * The generation half of an entry status.
     *
     * @param status the entry status.
     * @return the generation.
     */
    public static int generation(final long status)
    {
        return (int)(status >>> 32);
    }

    /**
     * The status that follows {@code status} when the entry goes to {@code state}: the generation grows by one.
     *
     * @param status the entry status now.
     * @param state  the new state.
     * @return the new entry status.
     */
    public static long next(final long status, final int state)
    {
        return ((long)(generation(status) + 1) << 32) | (state & 0xFFFF_FFFFL);
    }
}
