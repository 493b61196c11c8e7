package io.shmipc.channel;

import io.shmipc.BatchingPublisher;
import io.shmipc.ChannelKind;
import io.shmipc.Subscriber;
import io.shmipc.layout.ChannelDescriptor;
import io.shmipc.layout.CountersDescriptor;
import io.shmipc.layout.EndpointDescriptor;
import io.shmipc.posix.MappedBuffer;
import org.agrona.DirectBuffer;
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
    /** Empty polls between two looks at the clock, to see whether the producer's tail is due a look. */
    private static final int EMPTY_POLLS_PER_STUCK_CHECK = 16;

    private final RingReader ring;
    private final MappedBuffer buffer;
    private final RingUnblocker unblocker;
    private final RingReader.RecordSink sink = this::onRecord;
    private int emptyPollsUntilStuckCheck = EMPTY_POLLS_PER_STUCK_CHECK;
    private long nextStuckCheckNs;
    private long nextTailLookNs;
    private long unblockedRecords;
    private int batchBytes;
    private int delivered;
    /** Entries of the batch record at the head that a poll whose handler threw has delivered already. */
    private int entriesToSkip;
    /** What the handler threw inside a batch, thrown again once the ring read has returned. */
    private Throwable batchFailure;
    private final AtomicCounter consumedMessages;
    private final AtomicCounter consumedBytes;
    private long consumedMessagesTotal;
    private long consumedBytesTotal;
    private final AtomicCounter unblockedCounter;

    RingSubscriber(final ChannelContext context)
    {
        super(context);
        this.buffer = context.buffer;
        final int capacity = layout.capacity();
        this.ring = new RingReader(buffer, capacity, layout.maxMessageLength(), kind == ChannelKind.MANY_TO_ONE,
            health, this::holdsRole);
        this.unblocker = new RingUnblocker(buffer, capacity, health);
        this.consumedMessages = counters.get(CountersDescriptor.CONSUMED_MESSAGES);
        this.consumedBytes = counters.get(CountersDescriptor.CONSUMED_BYTES);
        // The only subscriber keeps the totals, continuing its predecessor's: a store each, no read, per poll.
        this.consumedMessagesTotal = consumedMessages.get();
        this.consumedBytesTotal = consumedBytes.get();
        this.unblockedCounter = counters.get(CountersDescriptor.UNBLOCKED_RECORDS);
    }

    @Override
    int receive(final int limit)
    {
        if (!ring.hasRecordAtHead())
        {
            onEmptyPoll(); // most polls of a busy-spinning subscriber: two loads, and no call into the read
            return 0;
        }
        delivered = 0;
        batchBytes = 0;
        try
        {
            int records = ring.read(sink, limit);
            if (records == 0 && delivered == 0 && batchFailure == null && ring.isCommittedAtHead())
            {
                records = ring.read(sink, limit); // only the padding at the end was read: on from the start
            }
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
            if (delivered > 0 && holdsRole()) // else what it delivered stays in the ring, to be counted again
            {
                consumedMessagesTotal += delivered;
                consumedBytesTotal += batchBytes;
                consumedMessages.setRelease(consumedMessagesTotal);
                consumedBytes.setRelease(consumedBytesTotal);
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
        return ring.isCommittedAtHead();
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
        return ring.head();
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
     * One ring record, its length checked by the reader. Once the handler has closed this subscriber, the record is
     * left in the ring for the next subscriber, and so is a batch the close happened inside, whole: at-least-once, as
     * for a subscriber that died inside a poll.
     */
    private boolean onRecord(final int typeId, final int offset, final int length)
    {
        if (closed)
        {
            return false;
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
        return true;
    }

    /**
     * Deliver the entries of a batch from {@code offset} to {@code end}, after the first {@code skip}. When the
     * handler throws, the record stays in the ring (ABORT) with the entries delivered so far noted, the exception
     * is thrown once the ring read has returned, and the next poll delivers the rest first: a failing handler costs
     * the batch no message but its own, and if this subscriber closes or dies first, the next one gets the whole
     * batch again (at-least-once). Likewise when the handler closes this subscriber before the last entry.
     */
    private boolean deliverBatch(final DirectBuffer buffer, final int offset, final int end, final int skip)
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
                throw health.fail(ChannelDescriptor.FAILURE_RECORD, "record",
                    "batch entries whose lengths fill the record's payload exactly",
                    "entry length=" + messageLength + " at offset " + entry + ", payload ends at " + end);
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
            catch (final Throwable ex) // checked ones too: a handler in another JVM language may throw them
            {
                countBatch(messages, payloadBytes);
                if (entry == end)
                {
                    throw ex; // the last entry: the record is consumed, as a single message would be
                }
                entriesToSkip = entries;
                batchFailure = ex;
                return false;
            }
            if (closed && entry < end)
            {
                countBatch(messages, payloadBytes);
                return false;
            }
        }
        countBatch(messages, payloadBytes);
        return true;
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
        RingSubscriber.<RuntimeException>throwAsIs(failure);
    }

    /** Throw what the handler threw, checked or not, without wrapping it (the compiler takes it as {@code T}). */
    @SuppressWarnings("unchecked")
    private static <T extends Throwable> void throwAsIs(final Throwable failure) throws T
    {
        throw (T)failure;
    }

    /**
     * The poll found nothing. Every {@link #EMPTY_POLLS_PER_STUCK_CHECK} empty polls, look at the clock; at most
     * every {@link #STUCK_CHECK_INTERVAL_NS}, check whether the ring is stuck. Reading the producer's tail on every
     * empty poll would pull its cache line away on every message; counting polls alone would make the cadence
     * depend on how long the application idles between polls.
     */
    private void onEmptyPoll()
    {
        if (--emptyPollsUntilStuckCheck > 0)
        {
            return;
        }
        emptyPollsUntilStuckCheck = EMPTY_POLLS_PER_STUCK_CHECK;
        final long now = System.nanoTime();
        if (now - nextTailLookNs >= 0)
        {
            nextTailLookNs = now + STUCK_CHECK_INTERVAL_NS;
            checkStuck();
        }
    }

    /**
     * A blocking wait is about to sleep: check whether the ring is stuck now, and while it holds data this
     * subscriber cannot read, sleep in slices, so that a publisher's death is noticed during the sleep.
     */
    @Override
    long beforeSleep()
    {
        return checkStuck() ? STUCK_SLICE_NS : Long.MAX_VALUE;
    }

    /**
     * Whether the ring holds data this subscriber cannot read (Tail != Head); if so, and at most every
     * {@link #STUCK_CHECK_INTERVAL_NS}, pad the record at the head when nobody alive can still commit it. The clock is
     * read only then: an empty ring, what a wait on many channels finds in all but one of them, costs two loads.
     *
     * @return true while the ring holds data beyond the head.
     */
    private boolean checkStuck()
    {
        // Tail first, liveness second: see RingUnblocker.
        final long tail = ring.readTail();
        final long head = ring.head();
        if (tail == head)
        {
            return false;
        }
        final long now = System.nanoTime();
        if (now - nextStuckCheckNs < 0)
        {
            return true;
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
        return true;
    }
}
