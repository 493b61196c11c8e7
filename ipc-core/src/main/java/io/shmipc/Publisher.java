package io.shmipc;

import io.shmipc.wait.Timeouts;
import io.shmipc.exceptions.MessageTooLargeException;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.IdleStrategy;

/**
 * Publishes messages on one channel. Obtained from {@link Region#publisher(String)}; not thread-safe (use one per
 * thread, several on a {@link ChannelKind#MANY_TO_ONE} channel). Two threads publishing through one publisher at
 * once is not detected, to keep the hot path free of atomic operations: on {@code MANY_TO_ONE} messages can be lost
 * (the subscriber takes one thread's unfinished record for a dead publisher's and skips it, counted in
 * {@link Subscriber#unblockedRecords()}), delivered damaged (two threads' bytes in one record: a subscriber that
 * must not act on such a message checks its own sequence or checksum), or a claim left in the ring can hold the
 * channel; on the other kinds the channel fails as corrupt. Publishing allocates nothing.
 * <p>
 * Results are codes, as in Aeron: {@link #OK}, or a negative value for an expected condition
 * ({@link #BACK_PRESSURED}, {@link #CLOSED}). Misuse, such as a message longer than
 * {@link #maxMessageLength()}, throws.
 */
public sealed interface Publisher extends AutoCloseable
    permits io.shmipc.channel.RingPublisher, io.shmipc.channel.BroadcastPublisher, io.shmipc.channel.LogPublisher
{
    /** The message was published. */
    long OK = 1;
    /**
     * The channel is full: the subscriber (on a {@link ChannelKind#PUBLISH_SUBSCRIBE} channel, the slowest tethered
     * subscriber) has not caught up. Try again later; nothing was written.
     */
    long BACK_PRESSURED = -1;
    /** This publisher or its region is closed. Nothing was written. */
    long CLOSED = -2;

    /**
     * The channel name.
     *
     * @return the name.
     */
    String channel();

    /**
     * The channel kind.
     *
     * @return the kind.
     */
    ChannelKind kind();

    /**
     * The longest message the channel accepts.
     *
     * @return bytes.
     */
    int maxMessageLength();

    /**
     * Copy a message into the channel.
     *
     * @param buffer holding the message.
     * @param offset of the first byte.
     * @param length in bytes, at most {@link #maxMessageLength()}.
     * @return {@link #OK}, {@link #BACK_PRESSURED} or {@link #CLOSED}.
     * @throws MessageTooLargeException  naming the channel, the length and the limit.
     * @throws IndexOutOfBoundsException when {@code offset} and {@code length} are not within {@code buffer}, naming
     *                                   the region, the channel and the values; nothing is written.
     * @throws NullPointerException      when {@code buffer} is null; nothing is written.
     * @throws IllegalStateException     on a {@link ChannelKind#PUBLISH_SUBSCRIBE} channel while this publisher holds
     *                                   a claim: the log appends in order, so commit or abort it first (on the ring
     *                                   kinds the message goes after the claimed one; on {@code BROADCAST} the
     *                                   claim is copied in at its commit).
     */
    long offer(DirectBuffer buffer, int offset, int length);

    /**
     * Copy a message into the channel, waiting with {@code idleStrategy} while back-pressured, up to a timeout or an
     * interrupt of the thread (whose status stays set).
     *
     * @param buffer       holding the message.
     * @param offset       of the first byte.
     * @param length       in bytes.
     * @param idleStrategy how to wait between attempts.
     * @param timeoutNs    longest wait in nanoseconds.
     * @return {@link #OK}, {@link #BACK_PRESSURED} when the timeout passed or the thread was interrupted, or
     *         {@link #CLOSED}.
     */
    default long offer(
        final DirectBuffer buffer, final int offset, final int length, final IdleStrategy idleStrategy,
        final long timeoutNs)
    {
        long result = offer(buffer, offset, length);
        if (result != BACK_PRESSURED)
        {
            return result;
        }
        final long deadline = System.nanoTime() + Timeouts.nanos(timeoutNs);
        idleStrategy.reset();
        while ((result = offer(buffer, offset, length)) == BACK_PRESSURED && System.nanoTime() - deadline < 0 &&
            !Thread.currentThread().isInterrupted())
        {
            idleStrategy.idle();
        }
        return result;
    }

    /**
     * A batching front for this publisher: many small messages per ring record, delivered one by one.
     *
     * @param maxBatchLength the largest record a batch makes, at most {@link #maxMessageLength()}.
     * @return a new batching publisher over this one.
     * @throws UnsupportedOperationException on a {@link ChannelKind#BROADCAST} channel (ring and publish-subscribe
     *                                       channels batch).
     */
    BatchingPublisher batching(int maxBatchLength);

    /**
     * Claim space for a message to write in place (zero copy), then {@link Claim#commit()} or
     * {@link Claim#abort()}. One claim may be held at a time per publisher.
     * <p>
     * On a {@link ChannelKind#BROADCAST} channel the claim is written into a publisher-side buffer and copied into
     * the channel on commit: broadcast receivers read in place, so the transmitter may not expose a half-written
     * record.
     *
     * @param length bytes to claim, at most {@link #maxMessageLength()}.
     * @param claim  filled with the claimed space.
     * @return {@link #OK}, {@link #BACK_PRESSURED} or {@link #CLOSED}.
     * @throws MessageTooLargeException naming the channel, the length and the limit.
     * @throws IllegalArgumentException for a negative length.
     * @throws IllegalStateException    when a claim of this publisher is still held.
     * @throws NullPointerException     when {@code claim} is null (nothing is claimed).
     */
    long tryClaim(int length, Claim claim);

    /**
     * Whether a subscriber of the channel is alive now, in any process. Answered from the kernel's locks, so a
     * subscriber that died a moment ago is already reported dead. Not for the hot path: it makes system calls.
     *
     * @return true when at least one live subscriber is attached.
     */
    boolean isConsumerAlive();

    /**
     * The number of subscribers of the channel alive now, in any process, answered from the kernel's locks (0 or 1
     * on a ring channel, up to 63 on the others). Not for the hot path: it makes system calls.
     *
     * @return live subscribers.
     */
    int connectedSubscribers();

    /**
     * Whether this publisher is closed.
     *
     * @return true after {@link #close()} or after its region closed.
     */
    boolean isClosed();

    /**
     * Release the publisher's role and slot in the channel. A claim still held is aborted. Idempotent.
     */
    @Override
    void close();
}
