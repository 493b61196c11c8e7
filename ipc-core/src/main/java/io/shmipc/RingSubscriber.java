package io.shmipc;

import io.shmipc.layout.ChannelDescriptor;
import io.shmipc.layout.ChannelLayout;
import io.shmipc.layout.CountersDescriptor;
import org.agrona.concurrent.status.AtomicCounter;
import io.shmipc.layout.EndpointDescriptor;
import io.shmipc.liveness.EndpointRegistration;
import io.shmipc.wait.WakeUpWord;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.AtomicBuffer;
import org.agrona.concurrent.ControlledMessageHandler;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.ringbuffer.RecordDescriptor;
import org.agrona.concurrent.ringbuffer.RingBuffer;

/**
 * The subscriber of a {@link ChannelKind#ONE_TO_ONE} or {@link ChannelKind#MANY_TO_ONE} channel. It continues
 * from the head position left in shared memory, so a replacement subscriber picks up where the last one stopped
 * (the batch a dead subscriber was inside is delivered again: at-least-once).
 * <p>
 * When a poll finds nothing although the ring holds data, the record at the head is uncommitted. Once no live
 * publisher has a claim in progress (many-to-one), or the publisher role is free (one-to-one), its owner is dead:
 * the record is turned into padding at once (unblocked), counted, and consumption goes on. A live publisher, even a
 * stopped one, is never unblocked under.
 */
final class RingSubscriber extends SubscriberEndpoint implements Subscriber
{
    /** Least time between two liveness checks of a stuck ring (each check makes system calls). */
    private static final long STUCK_CHECK_INTERVAL_NS = 1_000_000L;
    /** Empty polls between two looks at the producer's tail. */
    private static final int EMPTY_POLLS_PER_STUCK_CHECK = 64;

    private final RingBuffer ring;
    private final AtomicBuffer buffer;
    private final UnsafeBuffer endpointTable;
    private final int maxMessageLength;
    private final int capacity;
    private final ControlledMessageHandler adapter = this::onRecord;
    private final RingUnblocker unblocker;
    private final long publisherRoleLock;
    private int emptyPollsUntilStuckCheck = EMPTY_POLLS_PER_STUCK_CHECK;
    private long nextStuckCheckNs;
    private long unblockedRecords;
    private int batchBytes;
    private UnsafeBuffer leftover;
    private int leftoverOffset;
    private int leftoverEnd;
    private int delivered;
    private final AtomicCounter consumedMessages;
    private final AtomicCounter consumedBytes;
    private final AtomicCounter unblockedCounter;

    RingSubscriber(final Region region, final ChannelLayout layout, final EndpointRegistration registration,
        final RingBuffer ring, final UnsafeBuffer endpointTable, final WakeUpWord wakeUpWord)
    {
        super(region, layout, registration, wakeUpWord);
        this.ring = ring;
        this.buffer = ring.buffer();
        this.endpointTable = endpointTable;
        this.unblocker = new RingUnblocker(ring.buffer(), ring.capacity());
        this.publisherRoleLock = layout.controlOffset() + ChannelDescriptor.PUBLISHER_ROLE_LOCK_OFFSET;
        this.maxMessageLength = layout.maxMessageLength();
        this.capacity = ring.capacity();
        this.consumedMessages = counters.get(CountersDescriptor.CONSUMED_MESSAGES);
        this.consumedBytes = counters.get(CountersDescriptor.CONSUMED_BYTES);
        this.unblockedCounter = counters.get(CountersDescriptor.UNBLOCKED_RECORDS);
    }

    @Override
    int receive(final int limit)
    {
        delivered = 0;
        batchBytes = 0;
        try
        {
            if (leftoverOffset < leftoverEnd)
            {
                deliverBatch(leftover, leftoverOffset, leftoverEnd);
                return delivered;
            }
            if (ring.controlledRead(adapter, limit) > 0)
            {
                return delivered;
            }
        }
        finally
        {
            if (delivered > 0)
            {
                consumedMessages.getAndAddRelease(delivered);
                consumedBytes.getAndAddRelease(batchBytes);
            }
        }
        onEmptyPoll();
        return 0;
    }

    /**
     * Pending when the rest of a batch waits after a handler's exception, or when the head record is committed: a
     * ring stuck on a record being written (or left by a dead publisher) must not keep a blocking wait spinning.
     * The head is always a record boundary whose header is zero until a record is written there (the many-to-one
     * subscriber zeroes what it consumed, the one-to-one producer zeroes the next header when it claims).
     */
    @Override
    boolean hasPending()
    {
        if (leftoverOffset < leftoverEnd)
        {
            return true;
        }
        final int index = (int)ring.consumerPosition() & (capacity - 1);
        return buffer.getIntVolatile(RecordDescriptor.lengthOffset(index)) > 0;
    }

    @Override
    public long lostMessages()
    {
        return 0;
    }

    @Override
    public long unblockedRecords()
    {
        return unblockedRecords;
    }

    @Override
    public int connectedPublishers()
    {
        if (closed)
        {
            return 0;
        }
        return region.countAlive(layout, EndpointDescriptor.ROLE_PUBLISHER);
    }

    /**
     * One ring record. Once the handler has closed this subscriber, the record is left in the ring (ABORT) for the
     * next subscriber, and so is a batch the close happened inside, whole: at-least-once, as for a subscriber that
     * died inside a poll.
     */
    private ControlledMessageHandler.Action onRecord(
        final int typeId, final MutableDirectBuffer buffer, final int offset, final int length)
    {
        if (closed)
        {
            return ControlledMessageHandler.Action.ABORT;
        }
        // Agrona trusts the lengths it reads; shared memory is untrusted, so check before the handler sees them.
        if (length < 0 || length > maxMessageLength || offset + length > capacity)
        {
            throw corruptRecord(offset, length);
        }
        if (typeId == BatchingPublisher.BATCH_TYPE_ID)
        {
            // No leftover here: receive() delivers a leftover first.
            return deliverBatch(buffer, offset, offset + length) ?
                ControlledMessageHandler.Action.CONTINUE : ControlledMessageHandler.Action.ABORT;
        }
        batchBytes += length;
        delivered++;
        deliver(buffer, offset, length);
        return ControlledMessageHandler.Action.CONTINUE;
    }

    /**
     * Deliver the entries of a batch from {@code offset} to {@code end}. When the handler throws, the entries after
     * the one it threw for are copied aside (the ring space is released when this poll returns) and the next poll
     * delivers them first, so a failing handler costs the batch no message but its own.
     *
     * @return false when the handler closed this subscriber before the last entry: the rest is not delivered.
     */
    private boolean deliverBatch(final DirectBuffer buffer, final int offset, final int end)
    {
        int entry = offset;
        int messages = 0;
        while (entry < end)
        {
            final int messageLength = entry + BatchingPublisher.ENTRY_HEADER_LENGTH <= end ?
                buffer.getInt(entry, java.nio.ByteOrder.LITTLE_ENDIAN) : -1;
            final int payload = entry + BatchingPublisher.ENTRY_HEADER_LENGTH;
            if (messageLength < 0 || messageLength > end - payload)
            {
                throw corruptRecord(entry, messageLength);
            }
            entry = payload + messageLength;
            messages++;
            try
            {
                deliver(buffer, payload, messageLength);
            }
            catch (final RuntimeException | InternalError ex)
            {
                countBatch(messages, entry - offset);
                keepLeftover(buffer, entry, end);
                throw ex;
            }
            if (closed && entry < end)
            {
                countBatch(messages, entry - offset);
                return false;
            }
        }
        countBatch(messages, end - offset);
        leftoverOffset = 0;
        leftoverEnd = 0;
        return true;
    }

    /**
     * Count delivered batch entries once, not per entry: the payload bytes are the span minus the entry headers.
     */
    private void countBatch(final int messages, final int span)
    {
        delivered += messages;
        batchBytes += span - messages * BatchingPublisher.ENTRY_HEADER_LENGTH;
    }

    private void keepLeftover(final DirectBuffer buffer, final int offset, final int end)
    {
        final int length = end - offset;
        if (length <= 0)
        {
            leftoverOffset = 0;
            leftoverEnd = 0;
            return;
        }
        if (buffer != leftover)
        {
            if (leftover == null)
            {
                // Allocated on the first failure inside a batch only; a batch record is at most this long.
                leftover = new UnsafeBuffer(new byte[maxMessageLength]);
            }
            leftover.putBytes(0, buffer, offset, length);
            leftoverOffset = 0;
            leftoverEnd = length;
            return;
        }
        leftoverOffset = offset;
        leftoverEnd = end;
    }

    /**
     * The poll found nothing. Every {@link #EMPTY_POLLS_PER_STUCK_CHECK} empty polls (reading the producer's tail
     * on every one would pull its cache line away on every message), and at most every
     * {@link #STUCK_CHECK_INTERVAL_NS}, check whether the ring holds a record nobody alive will commit.
     */
    private void onEmptyPoll()
    {
        if (--emptyPollsUntilStuckCheck > 0)
        {
            return;
        }
        emptyPollsUntilStuckCheck = EMPTY_POLLS_PER_STUCK_CHECK;
        final long now = System.nanoTime();
        if (now - nextStuckCheckNs < 0)
        {
            return;
        }
        // Tail first, liveness second: see RingUnblocker.
        final long tail = ring.producerPosition();
        final long head = ring.consumerPosition();
        if (tail == head)
        {
            return;
        }
        nextStuckCheckNs = now + STUCK_CHECK_INTERVAL_NS;
        final boolean unblocked = kind == ChannelKind.MANY_TO_ONE ?
            !region.anyLiveClaim(layout, endpointTable) && unblocker.unblockManyToOne(head, tail) :
            !region.locks().isHeld(publisherRoleLock) && unblocker.unblockOneToOne(head, tail);
        if (unblocked)
        {
            unblockedRecords++;
            unblockedCounter.incrementRelease();
        }
    }
}
