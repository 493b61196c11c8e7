package io.shmipc.layout;

import java.nio.charset.StandardCharsets;

/**
 * Layout of the region header: the first page of every region. All integers are little-endian (the native order
 * on x86_64 and aarch64); offsets are in bytes from the start of the region.
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +---------------------------------------------------------------+
 *  |                 Magic: ASCII "SHM-IPC!" (8 bytes)             |   0
 *  |                                                               |
 *  +-------------------------------+-------------------------------+
 *  |      Major Version (int)      |      Minor Version (int)      |   8
 *  +-------------------------------+-------------------------------+
 *  |                     Region Length (long)                      |  16
 *  |                                                               |
 *  +-------------------------------+-------------------------------+
 *  |          State (int)          |      Header Length (int)      |  24
 *  +-------------------------------+-------------------------------+
 *  |                    Directory Offset (long)                    |  32
 *  |                                                               |
 *  +-------------------------------+-------------------------------+
 *  |   Directory Capacity (int)    | Directory Entry Length (int)  |  40
 *  +-------------------------------+-------------------------------+
 *  |       Creator PID (int)       |        Page Size (int)        |  48
 *  +-------------------------------+-------------------------------+
 *  |          Creator Process Start Time (long, clock ticks)       |  56
 *  |                                                               |
 *  +---------------------------------------------------------------+
 *  |                 Creator Boot Id (16 bytes, UUID)              |  64
 *  |                              ...                              |
 *  +---------------------------------------------------------------+
 *  |             Creation Time (long, ms since the epoch)          |  80
 *  |                                                               |
 *  +---------------------------------------------------------------+
 *  |             Owner Heartbeat (long, ms since the epoch)        |  88
 *  |                                                               |
 *  +---------------------------------------------------------------+
 *  |                 Counters Metadata Offset (long)               |  96
 *  |                                                               |
 *  +-------------------------------+-------------------------------+
 *  | Counters Metadata Length (int)|  Counters Values Length (int) | 104
 *  +-------------------------------+-------------------------------+
 *  |                  Counters Values Offset (long)                | 112
 *  |                                                               |
 *  +---------------------------------------------------------------+
 *  |                    Data Area Offset (long)                    | 120
 *  |                                                               |
 *  +---------------------------------------------------------------+
 *  |                    Data Area Length (long)                    | 128
 *  |                                                               |
 *  +-------------------------------+-------------------------------+
 *  | Directory Change Count (int)  |  Reserved, zero, up to 4096   | 136
 *  +-------------------------------+-------------------------------+
 * </pre>
 * The directory holds Directory Capacity entries, each of which may hold a channel; the data area, after the
 * counters, holds the channel areas, given out and taken back at runtime under the {@link #DIRECTORY_LOCK_OFFSET}
 * lock (see {@link DirectoryDescriptor}). Directory Change Count is a futex word incremented after every channel
 * added or removed.
 * State is {@link #STATE_INITIALISING} while the creator writes the layout and {@link #STATE_READY} once it is
 * complete; READY is written last with a release store and read first with an acquire load, so a reader that
 * sees READY sees the whole layout. A freshly sized file reads 0 there (not yet initialising).
 * <p>
 * Bytes {@link #INIT_LOCK_OFFSET} and {@link #USERS_LOCK_OFFSET} of the file are not read or written: they are
 * byte ranges for OFD locks ({@code fcntl(F_OFD_SETLK)}). The creator holds a write lock on the init byte
 * until READY is published; every process with the region open holds a read lock on the users byte. A region
 * that is not READY and whose init byte is unlocked was left by a creator that died. {@link #DIRECTORY_LOCK_OFFSET}
 * is held for writing by whoever adds or removes a channel.
 */
public final class RegionHeaderDescriptor
{
    /** The magic value: the ASCII bytes {@code SHM-IPC!} read as a little-endian long. */
    public static final long MAGIC = magic();
    /**
     * The layout major version this library writes and reads. A different major is incompatible: it changes when a
     * reader of the previous major could misread the region, write into it wrongly or miss a change it must follow
     * (2.0 added the {@code PUBLISH_SUBSCRIBE} kind and its log buffer, made the directory change at runtime (a 1.x
     * reader would miss channels added after it attached), and added the channel failure word
     * {@link ChannelDescriptor#CHANNEL_FAILURE_OFFSET} that every endpoint of every process must obey; 3.0 made a
     * log subscriber that joins to replay history ask the publisher for a scan, in bit 0 of the Publisher Limit
     * ({@link LogBufferDescriptor#SCAN_REQUESTED}), and hold it back from its start while it joins: a 2.x publisher
     * would miss the request and a 2.x joiner's position, and a 2.x joiner would take the bit for corruption; 4.0
     * aligned a log's records to 32 bytes instead of 16 ({@link LogBufferDescriptor#ALIGNMENT}), and a log's
     * publisher now cleans ahead of its writes, up to a chunk past them: a 3.x reader would step from record to record
     * by the wrong lengths).
     */
    public static final int MAJOR_VERSION = 4;
    /**
     * The layout minor version this library writes. Readers accept any minor of their major; a minor only adds
     * fields in bytes every older writer of the major kept zero, which older readers may ignore. Major 4, as 3 did,
     * starts at minor 0 and includes everything 2.1 had: a many-to-one ring's Next Head
     * ({@link ChannelDescriptor#RING_NEXT_HEAD_OFFSET}), so that a subscriber killed while it zeroes what it read
     * leaves its successor the end of that read, and what minors of major 1 added (the endpoint slot's Wait State,
     * {@link EndpointDescriptor#WAIT_STATE_OFFSET}, and a broadcast receiver's position and lost count,
     * {@link EndpointDescriptor#RECEIVER_POSITION_OFFSET}).
     */
    public static final int MINOR_VERSION = 0;

    /** Header fields not yet written (a file just created and sized). */
    public static final int STATE_NEW = 0;
    /** The creator is writing the layout. */
    public static final int STATE_INITIALISING = 1;
    /** The layout is complete and may be used. */
    public static final int STATE_READY = 2;

    /** Offset of the magic. */
    public static final int MAGIC_OFFSET = 0;
    /** Offset of the major version. */
    public static final int MAJOR_VERSION_OFFSET = 8;
    /** Offset of the minor version. */
    public static final int MINOR_VERSION_OFFSET = 12;
    /** Offset of the region length. */
    public static final int REGION_LENGTH_OFFSET = 16;
    /** Offset of the state. */
    public static final int STATE_OFFSET = 24;
    /** Offset of the header length. */
    public static final int HEADER_LENGTH_OFFSET = 28;
    /** Offset of the directory offset. */
    public static final int DIRECTORY_OFFSET_OFFSET = 32;
    /** Offset of the directory capacity: the number of directory entries, the most channels at once. */
    public static final int DIRECTORY_CAPACITY_OFFSET = 40;
    /** Offset of the directory entry length. */
    public static final int DIRECTORY_ENTRY_LENGTH_OFFSET = 44;
    /** Offset of the creator's pid (in the creator's PID namespace; for display only). */
    public static final int CREATOR_PID_OFFSET = 48;
    /** Offset of the page size the layout was aligned to. */
    public static final int PAGE_SIZE_OFFSET = 52;
    /** Offset of the creator's process start time. */
    public static final int CREATOR_START_TIME_OFFSET = 56;
    /** Offset of the creator's boot id. */
    public static final int CREATOR_BOOT_ID_OFFSET = 64;
    /** Offset of the creation time. */
    public static final int CREATION_TIME_OFFSET = 80;
    /** Offset of the owner heartbeat. */
    public static final int OWNER_HEARTBEAT_OFFSET = 88;

    /** Offset of the counters metadata offset. */
    public static final int COUNTERS_METADATA_OFFSET_OFFSET = 96;
    /** Offset of the counters metadata length. */
    public static final int COUNTERS_METADATA_LENGTH_OFFSET = 104;
    /** Offset of the counters values length. */
    public static final int COUNTERS_VALUES_LENGTH_OFFSET = 108;
    /** Offset of the counters values offset. */
    public static final int COUNTERS_VALUES_OFFSET_OFFSET = 112;
    /** Offset of the data area offset: where channel areas may be placed. */
    public static final int DATA_AREA_OFFSET_OFFSET = 120;
    /** Offset of the data area length. */
    public static final int DATA_AREA_LENGTH_OFFSET = 128;
    /** Offset of the directory change count, a futex word incremented after every channel added or removed. */
    public static final int DIRECTORY_CHANGE_COUNT_OFFSET = 136;

    /** Byte of the file locked for writing by the creator while it initialises. */
    public static final int INIT_LOCK_OFFSET = 4000;
    /** Byte of the file every process with the region open holds a read lock on. */
    public static final int USERS_LOCK_OFFSET = 4001;
    /** Byte of the file locked for writing by a process adding or removing a channel. */
    public static final int DIRECTORY_LOCK_OFFSET = 4002;

    /** Length of the header: one 4 KiB page. */
    public static final int HEADER_LENGTH = 4096;
    /** Alignment of every section of the layout. */
    public static final int PAGE_SIZE = 4096;

    private RegionHeaderDescriptor()
    {
    }

    private static long magic()
    {
        final byte[] bytes = "SHM-IPC!".getBytes(StandardCharsets.US_ASCII);
        long value = 0;
        for (int i = bytes.length - 1; i >= 0; i--)
        {
            value = (value << 8) | (bytes[i] & 0xFF);
        }
        return value;
    }
}
