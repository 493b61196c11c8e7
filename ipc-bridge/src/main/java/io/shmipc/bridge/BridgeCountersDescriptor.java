package io.shmipc.bridge;

/**
 * Layout of a bridge's counters file, {@code counters} in its home directory: a header, then an Agrona
 * {@code CountersManager} (metadata buffer, then values buffer) whose counters carry the type ids below and labels
 * such as {@code "out orders: sent messages"}. Little-endian; written by the bridge, read by {@code shm-ipc stat}
 * and by any Agrona {@code CountersReader}.
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +---------------------------------------------------------------+
 *  |                 Magic ("SHMIPCBC" as a long)                  |
 *  |                                                               |
 *  +---------------------------------------------------------------+
 *  |                          Version (1)                          |
 *  +---------------------------------------------------------------+
 *  |                      Process Id of the bridge                 |
 *  +---------------------------------------------------------------+
 *  |                 Start Time (ms since the epoch)               |
 *  |                                                               |
 *  +---------------------------------------------------------------+
 *  |                        Metadata Length                        |
 *  +---------------------------------------------------------------+
 *  |                         Values Length                         |
 *  +---------------------------------------------------------------+
 *  |              Heartbeat (ms since the epoch, release)          |
 *  |                                                               |
 *  +---------------------------------------------------------------+
 *  |                   Reserved up to offset 4096                 ...
 *  +---------------------------------------------------------------+
 *  |                 Counters Metadata (Metadata Length)          ...
 *  +---------------------------------------------------------------+
 *  |                   Counters Values (Values Length)            ...
 *  +---------------------------------------------------------------+
 * </pre>
 * The version is stored last, when the counters are allocated: a reader that sees 0 retries or reports the file as
 * starting. The heartbeat moves every 100 ms while the bridge runs.
 */
final class BridgeCountersDescriptor
{
    /** "SHMIPCBC" read as a little-endian long. */
    static final long MAGIC = 0x43424350494D4853L;
    static final int VERSION = 1;
    static final int MAGIC_OFFSET = 0;
    static final int VERSION_OFFSET = 8;
    static final int PID_OFFSET = 12;
    static final int START_TIME_OFFSET = 16;
    static final int METADATA_LENGTH_OFFSET = 24;
    static final int VALUES_LENGTH_OFFSET = 28;
    static final int HEARTBEAT_OFFSET = 32;
    static final int HEADER_LENGTH = 4096;

    /** Type id of every bridge counter is this plus the type below. */
    static final int TYPE_ID_BASE = 2000;
    /** Messages sent (outbound) or published into the local region (inbound). */
    static final int MESSAGES = 0;
    /** Payload bytes of those messages. */
    static final int BYTES = 1;
    /** Back-pressure: outbound, polls of the local ring held back while the replay log was full; inbound, offers
     *  into the local channel refused as full (the message waits in Aeron). */
    static final int BACK_PRESSURE = 2;
    /** Offers to Aeron refused (back-pressured or not connected). */
    static final int TRANSPORT_BACK_PRESSURE = 3;
    /** Outbound: messages sent again after a rewind; inbound: duplicates dropped. */
    static final int REPLAYED = 4;
    /** Broadcast routes: messages lost (dropped by the sender on Aeron back-pressure, or gaps the receiver saw). */
    static final int LOST = 5;
    /** Outbound: rewinds for a new receiver; inbound: new senders (Aeron images) that became available. */
    static final int RECONNECTS = 6;
    /** Outbound ring routes: bytes in the replay log awaiting acknowledgement. Inbound: malformed frames. */
    static final int PENDING_OR_MALFORMED = 7;
    /** Counters per route. */
    static final int COUNTERS_PER_ROUTE = 8;

    private static final String[] OUTBOUND_NAMES =
    {
        "sent messages", "sent bytes", "ring polls held (replay log full)", "transport back-pressure",
        "replayed messages", "lost messages", "rewinds", "unacknowledged bytes"
    };
    private static final String[] INBOUND_NAMES =
    {
        "published messages", "published bytes", "local back-pressure", "ack back-pressure",
        "duplicates dropped", "lost messages", "reconnects", "malformed frames"
    };

    private BridgeCountersDescriptor()
    {
    }

    static String name(final boolean outbound, final int type)
    {
        return outbound ? OUTBOUND_NAMES[type] : INBOUND_NAMES[type];
    }
}
