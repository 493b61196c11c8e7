package io.shmipc.channel;

import io.shmipc.SubscriberOptions;
import io.shmipc.exceptions.PositionNotHeldException;
import io.shmipc.layout.LogBufferDescriptor;
import io.shmipc.log.LogFailure;
import io.shmipc.log.LogReader;
import io.shmipc.log.SubscriberSlot;

/**
 * How a {@link LogSubscriber} joins its log (docs/layout.md, "Joining"): its slot's fields set, the start resolved
 * from its options (the tail, the oldest record, or a position the log still holds, where a record starts), its
 * reader walked there validated, and for a tethered subscriber the gate taken under the publisher's limit. A tethered
 * subscriber that replays history asks the publisher for a scan first, so the publisher holds back from the moment
 * it has chosen its start; it stays joining, reading validated, until it has read up to its gate. Runs once, when
 * the subscriber opens; a start the publisher overwrites meanwhile is chosen again, up to {@link #ATTEMPTS} times.
 */
final class LogJoin
{
    /** Tries at a position the publisher may overwrite meanwhile, before giving up. */
    static final int ATTEMPTS = 8;

    private final String region;
    private final String channel;
    private final int capacity;
    private final LogFailure failure;
    private final LogReader reader;
    private final SubscriberSlot slot;

    LogJoin(final ChannelContext context, final LogFailure failure, final LogReader reader, final SubscriberSlot slot)
    {
        this.region = context.region;
        this.channel = context.layout.name();
        this.capacity = context.layout.capacity();
        this.failure = failure;
        this.reader = reader;
        this.slot = slot;
    }

    /**
     * Join: set the slot's fields, choose the start, and move the reader there.
     *
     * @param options   the subscriber's options.
     * @param lagWindow the subscriber's lag window, 0 when tethered.
     * @return the gate: the position below which a tethered subscriber reads history validated, still joining (its
     *         start when untethered).
     * @throws PositionNotHeldException when the start asked for is not held, or the log was overwritten faster than
     *                                  the join could follow.
     */
    long join(final SubscriberOptions options, final int lagWindow)
    {
        slot.init(lagWindow, (int)options.demoteAfterMs());
        if (!options.isTethered())
        {
            final long start = startAt(options);
            slot.joinUntethered(start);
            return start;
        }
        final long limit = slot.beginTetheredJoin();
        // Every limit the publisher stores is at most its tail then plus the capacity, and the tail only grows: a
        // limit above the tail read after it, plus the capacity, was not stored by a publisher.
        final long tailAfter = reader.tail();
        if ((limit & (LogBufferDescriptor.ALIGNMENT - 1)) != 0 || limit < 0 || limit - capacity > tailAfter)
        {
            throw failure.corrupt("log.publisherLimit", "a multiple of " + LogBufferDescriptor.ALIGNMENT +
                " from 0 to the tail plus the capacity, " + (tailAfter + capacity), Long.toString(limit));
        }
        if (options.start() != SubscriberOptions.Start.NEXT)
        {
            slot.requestScan();
        }
        final long start = startAt(options);
        final long gate = Math.max(start, limit - capacity);
        if (gate == start)
        {
            slot.tether(start);
        }
        else
        {
            slot.storeProgress(start); // still JOINING: it tethers once it has read up to the gate
        }
        reader.start(start, reader.expectedSequence(), gate, options.demoteAfterMs() > 0);
        return gate;
    }

    /**
     * Choose the start, a record boundary the log holds, and start the reader there (validated); retried when the
     * publisher overwrites it meanwhile.
     */
    private long startAt(final SubscriberOptions options)
    {
        for (int attempt = 0; attempt < ATTEMPTS; attempt++)
        {
            reader.checkPositions();
            // Oldest first: the tail read after it is never below it. A start read here is checked again below.
            final long oldest = reader.oldest();
            final long tail = reader.tail();
            final long start = switch (options.start())
            {
                case NEXT -> tail;
                case OLDEST -> oldest;
                case POSITION -> checkHeld(options.startPosition(), oldest, tail);
            };
            final long from = options.start() == SubscriberOptions.Start.POSITION ? oldest : start;
            final long sequence = reader.sequenceAt(from);
            if (sequence < 0)
            {
                continue;
            }
            reader.start(from, sequence, Long.MAX_VALUE, true);
            if (walkTo(start))
            {
                return start;
            }
        }
        throw new PositionNotHeldException(region, "the log was overwritten faster than this subscriber " +
            "could join: region=" + region + " channel=" + channel + " start=" + options.start() +
            " attempts=" + ATTEMPTS);
    }

    private long checkHeld(final long position, final long oldest, final long tail)
    {
        if (position < oldest || position > tail)
        {
            throw new PositionNotHeldException(region, "position not held: region=" + region +
                " channel=" + channel + " position=" + position + " oldest=" + oldest + " tail=" + tail);
        }
        if ((position & (LogBufferDescriptor.ALIGNMENT - 1)) != 0)
        {
            throw new PositionNotHeldException(region, "not a position where a message starts: region=" + region +
                " channel=" + channel + " position=" + position + " (messages start at multiples of " +
                LogBufferDescriptor.ALIGNMENT + ")");
        }
        return position;
    }

    /**
     * Read validated from the reader's position up to {@code target}, which must be where a record starts.
     *
     * @return false when the publisher overwrote the way meanwhile.
     */
    private boolean walkTo(final long target)
    {
        while (reader.position() < target)
        {
            final int result = reader.next();
            if (result == LogReader.LAPPED)
            {
                return false;
            }
            if (result == LogReader.NOTHING || reader.position() >= target) // at: a padding before it was skipped
            {
                break;
            }
            reader.consume(reader.recordMessages());
        }
        if (reader.position() != target)
        {
            throw new PositionNotHeldException(region, "not a position where a message starts: region=" +
                region + " channel=" + channel + " position=" + target + " nearest=" +
                reader.position());
        }
        return true;
    }
}
