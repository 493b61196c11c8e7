package io.shmipc.channel;

import io.shmipc.BatchingPublisher;
import io.shmipc.ChannelKind;
import io.shmipc.Subscriber;
import io.shmipc.layout.CountersDescriptor;
import io.shmipc.layout.EndpointDescriptor;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.AtomicBuffer;
import org.agrona.concurrent.ControlledMessageHandler;
import org.agrona.concurrent.ringbuffer.RecordDescriptor;
import org.agrona.concurrent.ringbuffer.RingBuffer;
import org.agrona.concurrent.status.AtomicCounter;

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
public final class RingSubscriber extends SubscriberEndpoint implements Subscriber
{
    /** Least time between two liveness checks of a stuck ring (each check makes system calls). */
    private static final long STUCK_CHECK_INTERVAL_NS = 1_000_000L;
    /** Empty polls between two looks at the producer's tail. */
    private static final int EMPTY_POLLS_PER_STUCK_CHECK = 64;

    private final RingBuffer ring;
    private final AtomicBuffer buffer;
    private final int maxMessageLength;
    private final int capacity;
    private final ControlledMessageHandler adapter = this::onRecord;
    private final RingUnblocker unblocker;
    private int emptyPollsUntilStuckCheck = EMPTY_POLLS_PER_STUCK_CHECK;
    private long nextStuckCheckNs;
    private long unblockedRecords;
    private int batchBytes;
    private int delivered;
    /** Entries of the batch record at the head that a poll whose handler threw has delivered already. */
    private int entriesToSkip;
    /** What the handler threw inside a batch, thrown again once the ring read has returned. */
    private Throwable batchFailure;
    private final AtomicCounter consumedMessages;
    private final AtomicCounter consumedBytes;
    private final AtomicCounter unblockedCounter;

    RingSubscriber(final ChannelContext context)
    {
        super(context);
        this.ring = RingPublisher.ring(context);
        this.buffer = ring.buffer();
        this.unblocker = new RingUnblocker(ring.buffer(), ring.capacity());
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
            final int records = ring.controlledRead(adapter, limit);
            if (batchFailure != null)
            {
                throwBatchFailure();
            }
            if (records > 0 || delivered > 0)
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
     * Pending when the head record is committed (the rest of a batch whose handler threw is such a record): a ring
     * stuck on a record being written (or left by a dead publisher) must not keep a blocking wait spinning. The
     * head is always a record boundary whose header is zero until a record is written there (the many-to-one
     * subscriber zeroes what it consumed, the one-to-one producer zeroes the next header when it claims).
     */
    @Override
    boolean hasPending()
    {
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
    public long position()
    {
        return ring.consumerPosition();
    }

    @Override
    public boolean isTethered()
    {
        return true;
    }

    @Override
    public int connectedPublishers()
    {
        if (closed)
        {
            return 0;
        }
        return context.countAlive(EndpointDescriptor.ROLE_PUBLISHER);
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
        final int skip = entriesToSkip;
        entriesToSkip = 0;
        if (typeId == BatchingPublisher.BATCH_TYPE_ID)
        {
            // A poll whose handler threw left this record at the head: skip what it delivered.
            return deliverBatch(buffer, offset, offset + length, skip);
        }
        batchBytes += length;
        delivered++;
        deliver(buffer, offset, length);
        return ControlledMessageHandler.Action.CONTINUE;
    }

    /**
     * Deliver the entries of a batch from {@code offset} to {@code end}, after the first {@code skip}. When the
     * handler throws, the record stays in the ring (ABORT) with the entries delivered so far noted, the exception
     * is thrown once the ring read has returned, and the next poll delivers the rest first: a failing handler costs
     * the batch no message but its own, and if this subscriber closes or dies first, the next one gets the whole
     * batch again (at-least-once). Likewise when the handler closes this subscriber before the last entry.
     */
    private ControlledMessageHandler.Action deliverBatch(
        final DirectBuffer buffer, final int offset, final int end, final int skip)
    {
        int entry = offset;
        int entries = 0;
        int messages = 0;
        int payloadBytes = 0;
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
            if (entries++ < skip)
            {
                continue;
            }
            messages++;
            payloadBytes += messageLength;
            try
            {
                deliver(buffer, payload, messageLength);
            }
            catch (final RuntimeException | Error ex)
            {
                countBatch(messages, payloadBytes);
                if (entry == end)
                {
                    throw ex; // the last entry: the record is consumed, as a single message would be
                }
                entriesToSkip = entries;
                batchFailure = ex;
                return ControlledMessageHandler.Action.ABORT;
            }
            if (closed && entry < end)
            {
                countBatch(messages, payloadBytes);
                return ControlledMessageHandler.Action.ABORT;
            }
        }
        countBatch(messages, payloadBytes);
        return ControlledMessageHandler.Action.CONTINUE;
    }

    /**
     * Count delivered batch entries once, not per entry.
     */
    private void countBatch(final int messages, final int payloadBytes)
    {
        delivered += messages;
        batchBytes += payloadBytes;
    }

    private void throwBatchFailure()
    {
        final Throwable failure = batchFailure;
        batchFailure = null;
        if (failure instanceof RuntimeException runtime)
        {
            throw runtime;
        }
        throw (Error)failure;
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
            !context.anyLiveClaim() && unblocker.unblockManyToOne(head, tail) :
            !context.isRoleHeld(true) && unblocker.unblockOneToOne(head, tail);
        if (unblocked)
        {
            unblockedRecords++;
            unblockedCounter.incrementRelease();
        }
    }
}
