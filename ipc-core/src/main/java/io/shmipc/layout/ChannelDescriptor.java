package io.shmipc.layout;

import io.shmipc.ChannelKind;
import org.agrona.BitUtil;
import org.agrona.concurrent.AtomicBuffer;
import org.agrona.concurrent.broadcast.BroadcastBufferDescriptor;
import org.agrona.concurrent.ringbuffer.RingBufferDescriptor;

/**
 * Layout of a channel area: a control block, the endpoint table and the Agrona buffer, each page aligned.
 * <pre>
 *  Channel Area Offset
 *  +---------------------------------------------------------------+
 *  |  Control Block (one page)                                     |
 *  |    +0    Publisher Role Lock byte    (OFD lock range)         |
 *  |    +1    Subscriber Role Lock byte   (OFD lock range)         |
 *  |    +128  Wake-up Sequence (int)  | Waiter Count (int)         |  own 128 bytes
 *  |    +256  Blocking Subscriber Count (int)                      |  own 128 bytes
 *  |    +260  Channel Failure (int): 0, or why the channel failed  |  (same line)
 *  |    +384  Broadcast Next Sequence (long), stored before each    |  own 128 bytes
 *  |          transmit so a new receiver or transmitter continues  |
 *  |    rest  reserved, zero                                       |
 *  +---------------------------------------------------------------+
 *  |  Endpoint Table: Endpoint Slots x 128 bytes, page padded      |
 *  |    (see EndpointDescriptor)                                   |
 *  +---------------------------------------------------------------+
 *  |  Agrona Buffer: Capacity data bytes + trailer, page padded    |
 *  |    ONE_TO_ONE / MANY_TO_ONE: RingBufferDescriptor layout,     |
 *  |      trailer 768 bytes: tail +128, head cache +256, head      |
 *  |      +384, correlation +512, consumer heartbeat +640 (a long  |
 *  |      on its own 128 bytes each; the first 128 are unused);    |
 *  |    BROADCAST: BroadcastBufferDescriptor layout, trailer 128   |
 *  |      bytes; a record's type id is (sequence &amp; 0x3FFFFFFF)+1, |
 *  |      the low 30 bits of its broadcast sequence number, so a   |
 *  |      receiver counts the messages lapping made it lose.       |
 *  |    PUBLISH_SUBSCRIBE: LogBufferDescriptor layout, trailer 512 |
 *  |      bytes; each subscriber's position in its endpoint slot.  |
 *  +---------------------------------------------------------------+
 * </pre>
 * The role lock bytes are never read or written: a publisher of a ONE_TO_ONE, BROADCAST or PUBLISH_SUBSCRIBE
 * channel and the subscriber of a ring channel hold a write lock on them, so the kernel refuses a second one in any
 * process and releases the role the moment its holder dies.
 * <p>
 * Wake-ups: a subscriber that may block adds one to Blocking Subscriber Count while it exists. To sleep it reads
 * Wake-up Sequence, adds one to Waiter Count (atomic, a full fence), checks the channel once more, then waits
 * on the sequence with {@code FUTEX_WAIT} (shared, with a timeout) and subtracts one when it wakes. After each
 * message a publisher reads Blocking Subscriber Count; only when it is not zero does it fence, read Waiter Count
 * and, when that is not zero, add one to Wake-up Sequence and {@code FUTEX_WAKE} every waiter. The two fences
 * make a lost wake-up impossible: either the publisher sees the waiter, or the waiter sees the message.
 * <p>
 * Channel Failure is 0 while the channel is sound. An endpoint that finds the channel's positions or records
 * impossible (see {@link #isPosition(long)}) stores the {@code FAILURE_*} code of what it found there with a release
 * store, once; every endpoint reads the word (on the line publishers read after each message anyway) before each
 * offer, claim and poll, and fails with {@code CorruptRegionException} while it is not 0. Nothing clears it: the
 * region must be recreated.
 */
public final class ChannelDescriptor
{
    /** Length of the control block. */
    public static final int CONTROL_LENGTH = RegionHeaderDescriptor.PAGE_SIZE;
    /** Control-block offset of the publisher role lock byte. */
    public static final int PUBLISHER_ROLE_LOCK_OFFSET = 0;
    /** Control-block offset of the subscriber role lock byte. */
    public static final int SUBSCRIBER_ROLE_LOCK_OFFSET = 1;
    /** Control-block offset of the wake-up sequence. */
    public static final int WAKE_SEQUENCE_OFFSET = 128;
    /** Control-block offset of the waiter count. */
    public static final int WAITER_COUNT_OFFSET = 132;
    /** Control-block offset of the number of subscribers that may block on the wake-up sequence. */
    public static final int BLOCKING_SUBSCRIBERS_OFFSET = 256;
    /** Control-block offset of the channel failure word: 0, or a {@code FAILURE_*} code. */
    public static final int CHANNEL_FAILURE_OFFSET = 260;
    /** Channel Failure: a position out of its invariants. */
    public static final int FAILURE_POSITIONS = 1;
    /** Channel Failure: a record whose header cannot be right. */
    public static final int FAILURE_RECORD = 2;
    /** Channel Failure: a field of a live endpoint's slot that only that endpoint writes was changed under it. */
    public static final int FAILURE_SLOT = 3;
    /** Control-block offset of the next broadcast sequence number. */
    public static final int BROADCAST_SEQUENCE_OFFSET = 384;

    /**
     * Ring trailer offset of a {@code MANY_TO_ONE} ring's Next Head (since layout 2.1; Agrona's Correlation Counter,
     * which shm-ipc never used): the head its subscriber is about to release, stored before it zeroes what it read.
     * Above the Head Position only while that subscriber zeroes, or after it died doing so: its successor then zeroes
     * up to it and moves the head there, and a peek counts from it.
     */
    public static final int RING_NEXT_HEAD_OFFSET = RingBufferDescriptor.CORRELATION_COUNTER_OFFSET;

    /** Endpoint slots in each channel's table. */
    public static final int DEFAULT_ENDPOINT_SLOTS = 64;
    /** Smallest capacity accepted. */
    public static final int MIN_CAPACITY = 1024;
    /** Largest capacity accepted: the largest power of two that leaves room for the trailer in an int. */
    public static final int MAX_CAPACITY = 1 << 30;
    /**
     * Bits of the broadcast sequence number carried in a broadcast record's type id: the type id is
     * {@code (sequence & BROADCAST_SEQUENCE_MASK) + 1}.
     */
    public static final long BROADCAST_SEQUENCE_MASK = (1L << 30) - 1;

    /**
     * The largest position any buffer format may hold: 2^62 bytes, 146 years of 1 GB/s. A position beyond it is
     * corrupt, and so every sum of a position and a capacity stays far from overflow.
     */
    public static final long MAX_POSITION = 1L << 62;
    /** Positions and records are multiples of this. */
    public static final int POSITION_ALIGNMENT = 8;

    /**
     * Type id of a ring record that holds one message (a {@code BatchingPublisher} record has its own type id).
     */
    public static final int MESSAGE_TYPE_ID = 1;

    private ChannelDescriptor()
    {
    }

    /**
     * Whether a value read from a channel's trailer can be a position: from 0 to {@link #MAX_POSITION}, a multiple of
     * {@link #POSITION_ALIGNMENT}.
     *
     * @param position the value.
     * @return true when it may be a position.
     */
    public static boolean isPosition(final long position)
    {
        return position >= 0 && position <= MAX_POSITION && (position & (POSITION_ALIGNMENT - 1)) == 0;
    }

    /**
     * Whether {@code from} and {@code to} are positions with {@code 0 <= to - from <= capacity}: the data between a
     * consumer and its producer.
     *
     * @param from     the lower position (a head).
     * @param to       the higher position (a tail).
     * @param capacity the buffer's capacity.
     * @return true when both are positions and the window fits the buffer.
     */
    public static boolean isWindow(final long from, final long to, final int capacity)
    {
        return isPosition(from) && isPosition(to) && to - from >= 0 && to - from <= capacity;
    }

    /**
     * Whether a many-to-one ring's Next Head ({@link #RING_NEXT_HEAD_OFFSET}) is plausible: a position, and either at
     * or below the head (an earlier read finished: nothing to do) or above it by what one read can consume (at most
     * the tail, and within the buffer from the head's index: a read stops at the end of the buffer).
     *
     * @param head     the Head Position.
     * @param nextHead the Next Head.
     * @param tail     the Tail Position.
     * @param capacity the buffer's capacity.
     * @return true when the Next Head is plausible.
     */
    public static boolean isNextHead(final long head, final long nextHead, final long tail, final int capacity)
    {
        return isPosition(nextHead) && (nextHead <= head ||
            nextHead <= tail && nextHead - head <= capacity - ((int)head & (capacity - 1)));
    }

    /**
     * Whether a channel's positions, read while its endpoints may be running, break the rules of
     * {@link #isPosition(long)} and {@link #isWindow(long, long, int)}: the check made at attach. A ring's tail is read
     * before and after its head; while the two reads differ the channel is busy and is read again, and after a few
     * tries it is taken as sound (its endpoints check every position they read).
     *
     * @param kind     the channel's kind.
     * @param buffer   the channel's buffer, trailer included.
     * @param capacity the channel's capacity.
     * @return what is wrong, as {@code head=... tail=...}, or null when the positions are plausible.
     */
    public static String implausiblePositions(final ChannelKind kind, final AtomicBuffer buffer, final int capacity)
    {
        return switch (kind)
        {
            case ONE_TO_ONE, MANY_TO_ONE -> implausibleWindow(buffer, capacity,
                RingBufferDescriptor.HEAD_POSITION_OFFSET, RingBufferDescriptor.TAIL_POSITION_OFFSET, "head");
            case BROADCAST -> implausibleBroadcast(buffer, capacity);
            case PUBLISH_SUBSCRIBE -> implausibleWindow(buffer, capacity,
                LogBufferDescriptor.OLDEST_POSITION_OFFSET, LogBufferDescriptor.TAIL_POSITION_OFFSET, "oldest");
        };
    }

    /**
     * A ring's Head or a log's Oldest Position, and the Tail above it: a window of at most a capacity. The tail is read
     * before and after the lower position; while the two reads differ the channel is busy and is read again.
     */
    private static String implausibleWindow(final AtomicBuffer buffer, final int capacity, final int lowerOffset,
        final int tailOffset, final String lowerName)
    {
        final int tailIndex = capacity + tailOffset;
        for (int attempt = 0; attempt < 8; attempt++)
        {
            final long tail = buffer.getLongVolatile(tailIndex);
            final long lower = buffer.getLongVolatile(capacity + lowerOffset);
            if (buffer.getLongVolatile(tailIndex) == tail)
            {
                return isWindow(lower, tail, capacity) ? null : lowerName + "=" + lower + " tail=" + tail;
            }
        }
        return null;
    }

    private static String implausibleBroadcast(final AtomicBuffer buffer, final int capacity)
    {
        final long intent = buffer.getLongVolatile(capacity + BroadcastBufferDescriptor.TAIL_INTENT_COUNTER_OFFSET);
        final long latest = buffer.getLongVolatile(capacity + BroadcastBufferDescriptor.LATEST_COUNTER_OFFSET);
        final long tail = buffer.getLongVolatile(capacity + BroadcastBufferDescriptor.TAIL_COUNTER_OFFSET);
        final boolean plausible = isPosition(intent) && isPosition(latest) && isPosition(tail) &&
            latest - tail <= capacity && intent - tail <= 2L * capacity;
        return plausible ? null : "tailIntent=" + intent + " latest=" + latest + " tail=" + tail;
    }

    /**
     * The length of the trailer that follows the data of a kind's buffer: the one place that says which buffer
     * format each kind uses. A new kind's format is added here (javac refuses a kind this switch does not name).
     *
     * @param kind the channel kind.
     * @return trailer bytes.
     */
    public static int trailerLength(final ChannelKind kind)
    {
        return switch (kind)
        {
            case ONE_TO_ONE, MANY_TO_ONE -> RingBufferDescriptor.TRAILER_LENGTH;
            case BROADCAST -> BroadcastBufferDescriptor.TRAILER_LENGTH;
            case PUBLISH_SUBSCRIBE -> LogBufferDescriptor.TRAILER_LENGTH;
        };
    }

    /**
     * The positions a kind's buffer format keeps, as tools show them. With {@link #trailerLength(ChannelKind)}, the
     * place that says what each kind's buffer holds (javac refuses a kind this switch does not name).
     *
     * @param kind    the channel kind.
     * @param buffer  a buffer over the channel's data and trailer ({@code capacity + trailerLength(kind)} bytes).
     * @param control a buffer over the channel's control block.
     * @return the positions, read with volatile loads.
     */
    public static Positions positions(final ChannelKind kind, final AtomicBuffer buffer, final AtomicBuffer control)
    {
        final int capacity = buffer.capacity() - trailerLength(kind);
        return switch (kind)
        {
            case ONE_TO_ONE, MANY_TO_ONE -> new Positions(
                buffer.getLongVolatile(capacity + RingBufferDescriptor.TAIL_POSITION_OFFSET),
                buffer.getLongVolatile(capacity + RingBufferDescriptor.HEAD_POSITION_OFFSET), -1);
            case BROADCAST -> new Positions(
                buffer.getLongVolatile(capacity + BroadcastBufferDescriptor.TAIL_COUNTER_OFFSET), -1,
                control.getLongVolatile(BROADCAST_SEQUENCE_OFFSET));
            case PUBLISH_SUBSCRIBE -> new Positions(
                buffer.getLongVolatile(capacity + LogBufferDescriptor.TAIL_POSITION_OFFSET), -1,
                buffer.getLongVolatile(capacity + LogBufferDescriptor.NEXT_SEQUENCE_OFFSET));
        };
    }

    /**
     * A channel's positions, as its buffer format keeps them.
     *
     * @param producer     bytes ever written (ring tail position, broadcast tail counter, log tail position).
     * @param consumer     bytes ever consumed (ring head position), or -1 where each subscriber keeps its own.
     * @param messagesSent messages ever sent (broadcast, log), or -1 where the format does not count them.
     */
    public record Positions(long producer, long consumer, long messagesSent)
    {
    }

    /**
     * The Buffer Length of a channel: its data capacity and its kind's trailer.
     *
     * @param kind     the channel kind.
     * @param capacity data capacity.
     * @return bytes.
     */
    public static int bufferLength(final ChannelKind kind, final int capacity)
    {
        return capacity + trailerLength(kind);
    }

    /**
     * The largest message a buffer of this kind and capacity carries.
     *
     * @param capacity data capacity.
     * @return bytes of application payload: Agrona's limit of capacity / 8, the same for every kind.
     */
    public static int maxMessageLength(final int capacity)
    {
        return capacity >> 3;
    }

    /**
     * The endpoint table length for a slot count, page padded.
     *
     * @param slots endpoint slots.
     * @return bytes.
     */
    public static long endpointTableLength(final int slots)
    {
        return BitUtil.align((long)slots * EndpointDescriptor.SLOT_LENGTH, RegionHeaderDescriptor.PAGE_SIZE);
    }

    /**
     * The length of a whole channel area.
     *
     * @param kind     the channel kind.
     * @param capacity data capacity.
     * @param slots    endpoint slots.
     * @return bytes, page aligned.
     */
    public static long channelLength(final ChannelKind kind, final int capacity, final int slots)
    {
        return CONTROL_LENGTH + endpointTableLength(slots) +
            BitUtil.align((long)bufferLength(kind, capacity), RegionHeaderDescriptor.PAGE_SIZE);
    }
}
