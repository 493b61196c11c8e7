package io.shmipc.layout;

/**
 * Layout of one endpoint slot in a channel's endpoint table. A slot is {@link #SLOT_LENGTH} bytes; offsets below
 * are from the start of the slot, and bytes 64 to 127 are reserved padding.
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +---------------------------------------------------------------+
 *  |                  Endpoint Id (long, 0 = free)                 |   0
 *  +-------------------------------+-------------------------------+
 *  |           Role (int)          |           PID (int)           |   8
 *  +-------------------------------+-------------------------------+
 *  |           Process Start Time (long, clock ticks since boot)   |  16
 *  +---------------------------------------------------------------+
 *  |                   Boot Id (16 bytes, UUID)                    |  24
 *  |                              ...                              |
 *  +---------------------------------------------------------------+
 *  |              Heartbeat (long, ms since the epoch)             |  40
 *  +---------------------------------------------------------------+
 *  |              Attach Time (long, ms since the epoch)           |  48
 *  +---------------------------------------------------------------+
 *  |   Claim In Progress (int)     |        Reserved (int)         |  56
 *  +-------------------------------+-------------------------------+
 * </pre>
 * The first byte of the slot (its absolute offset in the file) is also the slot's OFD lock range: the endpoint
 * holds a write lock on it for as long as it lives. A slot whose byte is unlocked is free, whatever its fields
 * say: the fields are information (shown by tools), the lock is the truth. Endpoint Id is written last with a
 * release store when a slot is taken.
 * <p>
 * A ring publisher sets Claim In Progress to 1 before it claims space in the ring (plain store, ordered before
 * the claim by the ring's release of its tail) and back to 0 after it commits or aborts (release store). A
 * subscriber stuck on an uncommitted record unblocks it only when no live publisher has a claim in progress:
 * the record's owner must then be dead.
 */
public final class EndpointDescriptor
{
    /** A publisher. */
    public static final int ROLE_PUBLISHER = 1;
    /** A subscriber. */
    public static final int ROLE_SUBSCRIBER = 2;

    /** Offset of the endpoint id. */
    public static final int ENDPOINT_ID_OFFSET = 0;
    /** Offset of the role. */
    public static final int ROLE_OFFSET = 8;
    /** Offset of the pid. */
    public static final int PID_OFFSET = 12;
    /** Offset of the process start time. */
    public static final int START_TIME_OFFSET = 16;
    /** Offset of the boot id. */
    public static final int BOOT_ID_OFFSET = 24;
    /** Offset of the heartbeat. */
    public static final int HEARTBEAT_OFFSET = 40;
    /** Offset of the attach time. */
    public static final int ATTACH_TIME_OFFSET = 48;
    /** Offset of the claim-in-progress flag. */
    public static final int CLAIM_IN_PROGRESS_OFFSET = 56;

    /**
     * Length of a slot: two cache lines, so that publishers writing their claim flags never share a line, nor the
     * pair of lines an adjacent-line prefetcher fetches together. Bytes 64 to 127 are reserved, zero.
     */
    public static final int SLOT_LENGTH = 128;

    private EndpointDescriptor()
    {
    }
}
