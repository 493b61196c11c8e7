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
 * Kind is the code of an {@link io.shmipc.ChannelKind} ({@link io.shmipc.ChannelKind#code()}: 1 {@code ONE_TO_ONE},
 * 2 {@code MANY_TO_ONE}, 3 {@code BROADCAST}). Capacity is the power-of-two data capacity of the channel's buffer;
 * Buffer Length adds the trailer of that kind's buffer format
 * ({@link ChannelDescriptor#trailerLength(io.shmipc.ChannelKind)}). The channel area is laid out by
 * {@link ChannelDescriptor}.
 */
public final class DirectoryDescriptor
{
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
}
