package io.shmipc.channel;

import io.shmipc.BatchingPublisher;
import io.shmipc.ChannelKind;
import io.shmipc.Subscriber;
import io.shmipc.SubscriberOptions;
import io.shmipc.exceptions.ShmIpcException;
import io.shmipc.layout.CountersDescriptor;
import io.shmipc.layout.EndpointDescriptor;
import io.shmipc.layout.LogBufferDescriptor;
import io.shmipc.log.LogFailure;
import io.shmipc.log.LogReader;
import io.shmipc.log.SubscriberSlot;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.status.AtomicCounter;

import java.nio.ByteOrder;

/**
 * A subscriber of a {@link ChannelKind#PUBLISH_SUBSCRIBE} channel: reads every message of the log from its own
 * position, which it stores in its endpoint slot once per poll. A tethered subscriber past its gate reads in place
 * (the publisher cannot overwrite what it has not read); an untethered one, one that may be demoted, and a joiner
 * reading history below its gate read each record copied and checked, and move forward counting what they skipped
 * when the publisher overwrote it. It joins the log, once when it opens, through {@link LogJoin}.
 */
public final class LogSubscriber extends SubscriberEndpoint implements Subscriber
{
    private final LogFailure failure;
    private final LogReader reader;
    private final SubscriberSlot slot;
    private final int capacity;
    private final boolean demotable;
    private final AtomicCounter consumedMessages;
    private final AtomicCounter consumedBytes;
    private final AtomicCounter lostCounter;
    private boolean tethered;
    private int lagWindow;
    private long gate;
    /** The tail when this subscriber joined: history below it is replayed whatever the lag window says. */
    private long historyEnd;
    private long storedPosition;
    private long deliveredTotal;
    private long pendingMessages;
    private long pendingBytes;
    private long skipped;
    private int entriesToSkip;

    LogSubscriber(final ChannelContext context, final SubscriberOptions options)
    {
        super(context);
        this.capacity = layout.capacity();
        this.failure = logFailure();
        this.reader = new LogReader(context.buffer, capacity, layout.maxMessageLength(), failure);
        this.slot = new SubscriberSlot(context.endpointTable, registration.slot(), registration.endpointId(),
            context.buffer, capacity, failure);
        this.tethered = options.isTethered();
        this.demotable = options.demoteAfterMs() > 0;
        this.lagWindow = tethered ? 0 : options.lagWindow() == 0 ? capacity / 2 : options.lagWindow();
        this.consumedMessages = counters.get(CountersDescriptor.CONSUMED_MESSAGES);
        this.consumedBytes = counters.get(CountersDescriptor.CONSUMED_BYTES);
        this.lostCounter = counters.get(CountersDescriptor.LOST_MESSAGES);
        try
        {
            gate = new LogJoin(context, failure, reader, slot).join(options, lagWindow);
            storedPosition = reader.position();
            historyEnd = reader.tail();
        }
        catch (final ShmIpcException ex)
        {
            slot.leave();
            throw ex;
        }
        catch (final RuntimeException | InternalError ex)
        {
            slot.leave();
            throw corruption(ex);
        }
    }

    @Override
    int receive(final int limit)
    {
        if (!tethered || demotable)
        {
            checkLag();
        }
        int records = 0;
        int delivered = 0;
        try
        {
            while (records < limit && !closed)
            {
                final int result = reader.next();
                if (result == LogReader.NOTHING)
                {
                    break;
                }
                records++;
                if (result == LogReader.LAPPED)
                {
                    skipAfterLapped();
                    continue;
                }
                if (reader.recordType() == LogBufferDescriptor.TYPE_BATCH)
                {
                    delivered += deliverBatch();
                    continue;
                }
                reader.consume(1);
                delivered++;
                count(1, reader.payloadLength());
                deliver(reader.recordBuffer(), reader.payloadOffset(), reader.payloadLength());
            }
        }
        finally
        {
            storeProgress();
        }
        return delivered;
    }

    /**
     * Deliver a batch's entries after those a failed poll delivered already; the record is consumed only once every
     * entry was delivered, so a handler that throws, or closes this subscriber, leaves the rest for the next poll.
     */
    private int deliverBatch()
    {
        final DirectBuffer buffer = reader.recordBuffer();
        final int start = reader.payloadOffset();
        final int end = start + reader.payloadLength();
        final int messages = reader.recordMessages();
        int entry = start;
        int entries = 0;
        int delivered = 0;
        while (entry < end)
        {
            final int length = buffer.getInt(entry, ByteOrder.LITTLE_ENDIAN);
            final int payload = entry + BatchingPublisher.ENTRY_HEADER_LENGTH;
            entry = payload + length;
            if (entries++ < entriesToSkip)
            {
                continue;
            }
            if (closed)
            {
                return delivered;
            }
            entriesToSkip = entries;
            delivered++;
            count(1, length);
            if (entry == end)
            {
                entriesToSkip = 0;
                reader.consume(messages);
            }
            deliver(buffer, payload, length);
        }
        return delivered;
    }

    private void count(final int messages, final int bytes)
    {
        deliveredTotal += messages;
        pendingMessages += messages;
        pendingBytes += bytes;
    }

    /**
     * An untethered (or demoted) subscriber further behind than its window moves to the tail, once it has read the
     * history it joined to replay (what it misses of that, overwritten before it read it, is counted as skipped);
     * a tethered one that may be demoted looks whether it was.
     */
    private void checkLag()
    {
        if (tethered)
        {
            lookWhetherDemoted();
            return;
        }
        final long position = reader.position();
        if (position >= historyEnd && reader.tail() - position > lagWindow)
        {
            skipToTail();
        }
    }

    /**
     * The publisher overwrote the record at the position. A subscriber still replaying the history the log held when
     * it joined goes on from the oldest record still held (for a tethered one, nothing at or past its gate can be
     * overwritten); anyone else, from the tail. A tethered subscriber that may be demoted is lapped past its gate only
     * once the publisher has demoted it (its slot says so before the record is overwritten): it goes on untethered.
     */
    private void skipAfterLapped()
    {
        if (tethered && demotable)
        {
            lookWhetherDemoted();
        }
        if (reader.position() < (tethered ? gate : historyEnd) && skip(true))
        {
            return;
        }
        skipToTail();
    }

    /**
     * Whether this subscriber is still JOINING in its slot: tethered, and the position it stored last is below its
     * gate (the store that reaches the gate tethers it).
     */
    private boolean isJoining()
    {
        return tethered && storedPosition < gate;
    }

    /**
     * A tethered subscriber that may be demoted goes on untethered, with half the capacity as its lag window, once its
     * slot says the publisher demoted it (during its join too).
     */
    private void lookWhetherDemoted()
    {
        if (slot.state() == EndpointDescriptor.LOG_STATE_DEMOTED)
        {
            tethered = false;
            lagWindow = capacity / 2;
        }
    }

    private void skipToTail()
    {
        skip(false);
    }

    /**
     * Move to the oldest record still held, or to the tail, counting the messages in between as skipped.
     *
     * @return false when the publisher moved the target under every attempt to read its sequence.
     */
    private boolean skip(final boolean toOldest)
    {
        for (int attempt = 0; attempt < LogJoin.ATTEMPTS; attempt++)
        {
            final long target = toOldest ? reader.oldest() : reader.tail();
            final long sequence = reader.sequenceAt(target);
            if (sequence >= 0)
            {
                countSkipped(reader.skipTo(target, sequence));
                return true;
            }
        }
        return false;
    }

    private void countSkipped(final long count)
    {
        final long messages = Math.max(0, count - entriesToSkip);
        entriesToSkip = 0;
        if (messages > 0)
        {
            skipped += messages;
            lostCounter.getAndAdd(messages);
            slot.storeSkipped(skipped);
        }
    }

    /**
     * Once per poll that moved it: the position, and the end of the join for one that has read up to its gate. Not
     * once the role is given up (closed by another thread, or its region, while the handler ran): the slot may be
     * another's by now.
     */
    private void storeProgress()
    {
        final long position = reader.position();
        if (position != storedPosition && holdsRole())
        {
            final boolean tethers = isJoining() && position >= gate;
            storedPosition = position;
            if (tethers)
            {
                slot.tether(position);
            }
            else
            {
                slot.storeProgress(position);
            }
        }
    }

    @Override
    void onHeartbeat()
    {
        flushCounts();
        slot.checkAndStoreCounts(deliveredTotal);
        reader.checkPositions();
        slot.checkState(isJoining() ? EndpointDescriptor.LOG_STATE_JOINING : tethered ?
            EndpointDescriptor.LOG_STATE_TETHERED : EndpointDescriptor.LOG_STATE_UNTETHERED, demotable || !tethered);
        reader.checkRecordBelowTail();
        if (tethered && !demotable && reader.position() >= gate)
        {
            // The publisher frees nothing at or above the position this subscriber stored, which is at most this.
            final long oldest = reader.oldest();
            if (oldest > reader.position())
            {
                throw failure.corrupt("log.positions", "oldest <= this tethered subscriber's position " +
                    reader.position(), "oldest=" + oldest);
            }
        }
    }

    private void flushCounts()
    {
        if (pendingMessages > 0)
        {
            consumedMessages.getAndAdd(pendingMessages);
            consumedBytes.getAndAdd(pendingBytes);
            pendingMessages = 0;
            pendingBytes = 0;
        }
    }

    @Override
    void onClose()
    {
        super.onClose();
        flushCounts();
        // The close may run on another thread while this subscriber's poll is still storing its position: it stores
        // the count for tools without checking the position, which only the polling thread's rounds can.
        slot.storeCounts(deliveredTotal);
        slot.leave();
    }

    /**
     * A record at the position, or, untethered, a tail ahead of the position (the record there may have been
     * overwritten: a poll moves on). A tail behind the position is no work: a publisher that wraps releases its padding
     * record before it stores the tail, so a subscriber that read the padding is ahead of the tail until that publisher
     * publishes, or its successor does; it used to be reported ready, and a wait set spun on it, while a publisher
     * stopped or died there.
     */
    @Override
    boolean hasPending()
    {
        return reader.hasRecord() || (!tethered && reader.tail() - reader.position() > 0);
    }

    /**
     * Messages skipped because the publisher overwrote them, or because this subscriber fell further behind than
     * its lag window (untethered or demoted); a tethered subscriber reading history while joining may skip what the
     * publisher overwrote before it knew of it.
     *
     * @return messages skipped so far.
     */
    @Override
    public long lostMessages()
    {
        return skipped;
    }

    /**
     * A log's publisher that dies mid-claim leaves nothing to pad: its successor overwrites the claim, and its first
     * message wakes this subscriber. Nothing to look after before a sleep.
     */
    @Override
    long beforeSleep()
    {
        return Long.MAX_VALUE;
    }

    @Override
    public long unblockedRecords()
    {
        return 0;
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

    @Override
    public long position()
    {
        return reader.position();
    }

    @Override
    public boolean isTethered()
    {
        return tethered;
    }
}
