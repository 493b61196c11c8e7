package io.shmipc.layout;

/**
 * Layout of one endpoint slot in a channel's endpoint table. A slot is {@link #SLOT_LENGTH} bytes; offsets below
 * are from the start of the slot, and bytes 112 to 127 are reserved padding (88 to 111 too, outside
 * {@code PUBLISH_SUBSCRIBE} channels).
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
 *  |     Wait State (long): tag, bit 1 sleeping, bit 0 blocking    |  64
 *  +---------------------------------------------------------------+
 *  |  Receiver Position (long): broadcast seq + 1, or log position |  72
 *  +---------------------------------------------------------------+
 *  |     Receiver Lost Messages (long): lost, or skipped (log)     |  80
 *  +---------------------------------------------------------------+
 *  |       Log State (long): subscriber tag, low 4 bits state      |  88
 *  +-------------------------------+-------------------------------+
 *  |       Lag Window (int)        |    Demote After (int, ms)     |  96
 *  +-------------------------------+-------------------------------+
 *  |                   Delivered Messages (long)                   | 104
 *  +---------------------------------------------------------------+
 *  |                   Slot Reserved (16 bytes, zero)              | 112
 *  +---------------------------------------------------------------+
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
 * <p>
 * Wait State (layout 1.1) mirrors the endpoint's share of the channel's wake-up counts, so that the share of an
 * endpoint that died can be taken back out of them. Its high 62 bits are the endpoint's wait tag (its endpoint id
 * with the two low bits cleared, never zero); bit 0 says it is counted in Blocking Subscriber Count, bit 1 in
 * Waiter Count. The owner adds to a count before it sets the bit, and clears the bit before it subtracts. Anyone
 * who finds the bits set in a slot whose lock is free swaps the state for its bare tag with a compare-and-set and,
 * only when that succeeds, subtracts what the bits say; a new owner of the slot does the same before it stores its
 * own tag, which the tag makes distinct, so no share is ever taken back twice.
 * <p>
 * Receiver Position and Receiver Lost Messages say how far a subscriber has come, by kind. A {@code BROADCAST}
 * receiver's (layout 1.2, for tools): the broadcast sequence of the next message it expects plus one (0 while
 * unknown: any other endpoint, or a minor 0 or 1 receiver), and the messages lapping made it lose. The receiver
 * stores both (release) when it subscribes and after each poll that delivered or lost messages; a new owner of a
 * slot of any other kind zeroes them before it stores its Endpoint Id. A tool computes the receiver's lag as the
 * channel's Broadcast Next Sequence minus its position.
 * <p>
 * A {@code PUBLISH_SUBSCRIBE} subscriber's (layout 2.0): Receiver Position is its log position, where a tethered
 * subscriber holds the publisher back (the publisher never writes a byte at or past it plus Capacity), or an
 * untethered one's read position; Receiver Lost Messages is what it skipped. With Log State to Delivered Messages
 * they are its subscription, written by the subscriber alone except for the publisher's compare-and-set that
 * demotes it; a new owner of a log channel's slot leaves them alone (the publisher reads the position while the
 * slot's Log State names its former owner) and writes them as it joins. Log State is the subscriber tag (the
 * endpoint id with its four low bits cleared) and, in the low four bits, one of the {@code LOG_STATE_} values;
 * see {@link LogBufferDescriptor}.
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
    /** Offset of the wait state: wait tag and {@link #WAIT_BLOCKING} and {@link #WAIT_SLEEPING} bits. */
    public static final int WAIT_STATE_OFFSET = 64;
    /**
     * Offset of a broadcast receiver's next expected sequence plus one (0: unknown), or a log subscriber's position:
     * its gate while tethered, its read position otherwise.
     */
    public static final int RECEIVER_POSITION_OFFSET = 72;
    /** Offset of a broadcast receiver's count of messages lost to lapping, or of those a log subscriber skipped. */
    public static final int RECEIVER_LOST_OFFSET = 80;
    /** Wait state bit: counted in the channel's Blocking Subscriber Count. */
    public static final long WAIT_BLOCKING = 1;
    /** Wait state bit: counted in the channel's Waiter Count. */
    public static final long WAIT_SLEEPING = 2;
    /** Both wait state bits; the rest of the state is the wait tag. */
    public static final long WAIT_FLAGS = WAIT_BLOCKING | WAIT_SLEEPING;

    /** Offset of a log subscriber's state: its subscriber tag and one of the {@code LOG_STATE_} values. */
    public static final int LOG_STATE_OFFSET = 88;
    /** Offset of a log subscriber's lag window in bytes (0 when tethered). */
    public static final int LAG_WINDOW_OFFSET = 96;
    /** Offset of the milliseconds a tethered log subscriber may hold the publisher back unmoved (0: never demoted). */
    public static final int DEMOTE_AFTER_OFFSET = 100;
    /** Offset of the messages a log subscriber delivered to its application. */
    public static final int DELIVERED_MESSAGES_OFFSET = 104;
    /** Log State bits that hold the state; the rest is the subscriber tag. */
    public static final long LOG_STATE_MASK = 15;
    /** Log State: not subscribed (left, or not a log subscriber). */
    public static final int LOG_STATE_NONE = 0;
    /** Log State: a tethered subscriber that has not chosen its start yet; the publisher writes nothing more. */
    public static final int LOG_STATE_JOINING = 1;
    /** Log State: holds the publisher back at its Receiver Position. */
    public static final int LOG_STATE_TETHERED = 2;
    /** Log State: never holds the publisher back. */
    public static final int LOG_STATE_UNTETHERED = 3;
    /** Log State: was tethered, demoted by the publisher after standing still for its Demote After. */
    public static final int LOG_STATE_DEMOTED = 4;

    /**
     * A Log State's name, as docs/layout.md writes it.
     *
     * @param state one of the {@code LOG_STATE_} values.
     * @return {@code NONE}, {@code JOINING}, {@code TETHERED}, {@code UNTETHERED}, {@code DEMOTED}, or
     *         {@code unknown(n)}.
     */
    public static String logStateName(final int state)
    {
        return switch (state)
        {
            case LOG_STATE_NONE -> "NONE";
            case LOG_STATE_JOINING -> "JOINING";
            case LOG_STATE_TETHERED -> "TETHERED";
            case LOG_STATE_UNTETHERED -> "UNTETHERED";
            case LOG_STATE_DEMOTED -> "DEMOTED";
            default -> "unknown(" + state + ")";
        };
    }

    /**
     * Length of a slot: two cache lines, so that publishers writing their claim flags never share a line, nor the
     * pair of lines an adjacent-line prefetcher fetches together. Bytes 112 to 127 are reserved, zero.
     */
    public static final int SLOT_LENGTH = 128;

    private EndpointDescriptor()
    {
    }

    /**
     * The subscriber tag of an endpoint id: the id with the Log State bits cleared.
     *
     * @param endpointId the id.
     * @return the tag, never 0 for an id the registration draws.
     */
    public static long subscriberTag(final long endpointId)
    {
        return endpointId & ~LOG_STATE_MASK;
    }
}
