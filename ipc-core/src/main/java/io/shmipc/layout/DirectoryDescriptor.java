package io.shmipc.layout;

/**
 * Layout of one directory entry. The directory starts at the header's Directory Offset (page aligned) and holds
 * Channel Count entries of {@link #ENTRY_LENGTH} bytes; offsets below are from the start of the entry, and every
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
 *  +---------------------------------------------------------------+
 *  |                       Reserved (long)                         | 120
 *  +---------------------------------------------------------------+
 * </pre>
 * Kind is {@link #KIND_ONE_TO_ONE}, {@link #KIND_MANY_TO_ONE} or {@link #KIND_BROADCAST}. Capacity is the
 * power-of-two data capacity of the Agrona buffer; Buffer Length adds the Agrona trailer for that kind
 * ({@link ChannelDescriptor#trailerLength(int)}). The channel area is laid out by {@link ChannelDescriptor}.
 */
public final class DirectoryDescriptor
{
    /** Single producer, single consumer ring (Agrona {@code OneToOneRingBuffer}). */
    public static final int KIND_ONE_TO_ONE = 1;
    /** Many producers, single consumer ring (Agrona {@code ManyToOneRingBuffer}). */
    public static final int KIND_MANY_TO_ONE = 2;
    /** One transmitter, many lossy receivers (Agrona broadcast buffer). */
    public static final int KIND_BROADCAST = 3;

    /** Longest channel name, in ASCII bytes. */
    public static final int MAX_NAME_LENGTH = 56;
    /** Most channels in one region. */
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

    /** Length of one entry. */
    public static final int ENTRY_LENGTH = 128;

    private DirectoryDescriptor()
    {
    }

    /**
     * The name of a kind code, as {@code io.shmipc.ChannelKind} spells it.
     *
     * @param kind a kind code.
     * @return {@code ONE_TO_ONE}, {@code MANY_TO_ONE}, {@code BROADCAST}, or {@code UNKNOWN(n)}.
     */
    public static String kindName(final int kind)
    {
        switch (kind)
        {
            case KIND_ONE_TO_ONE:
                return "ONE_TO_ONE";
            case KIND_MANY_TO_ONE:
                return "MANY_TO_ONE";
            case KIND_BROADCAST:
                return "BROADCAST";
            default:
                return "UNKNOWN(" + kind + ")";
        }
    }

    /**
     * Whether a kind code is one this library knows.
     *
     * @param kind the code read from an entry.
     * @return true for the three kinds.
     */
    public static boolean isKnownKind(final int kind)
    {
        return kind == KIND_ONE_TO_ONE || kind == KIND_MANY_TO_ONE || kind == KIND_BROADCAST;
    }
}
