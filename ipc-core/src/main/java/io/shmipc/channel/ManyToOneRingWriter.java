package io.shmipc.channel;

import io.shmipc.layout.ChannelDescriptor;
import org.agrona.BitUtil;
import org.agrona.concurrent.UnsafeBuffer;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.function.BooleanSupplier;

/**
 * The claim of a {@link io.shmipc.ChannelKind#MANY_TO_ONE} publisher (docs/layout.md, "MANY_TO_ONE publish"):
 * publishers race for space with a compare-and-set on the tail, keeping a shared cache of the head so that they read
 * the subscriber's head only when the cached one says the ring is full. The subscriber zeroes what it consumed, so a
 * claim moves the tail first and writes its header after.
 * <p>
 * A publisher closed by another thread lets the subscriber skip its claims as a dead publisher's. Between moving the
 * tail and writing the headers there, a claim must not be overtaken by that: the subscriber would skip and zero the
 * space first, and the late headers (a committed padding record above all) would then stand in memory it consumed,
 * to be read a lap later as records, ahead of the tail. So a claim marks itself in flight before its compare-and-set,
 * reads whether the publisher was closed after it (the compare-and-set orders the two, a full fence), and then
 * writes nothing if it was ({@link #WITHDRAWN}); the close waits for a claim in flight to end
 * ({@link #awaitClaimInFlight()}) before the publisher's slot is released.
 */
final class ManyToOneRingWriter extends RingWriter
{
    /** What {@link #readHeadBehind} returns when the tail read before the head is out of date. */
    private static final long STALE_TAIL = -1;
    /** What {@link #claimAfterPadding} returns when the claim must start again. */
    private static final int RETRY = -3;
    private static final VarHandle IN_FLIGHT;

    static
    {
        try
        {
            IN_FLIGHT = MethodHandles.lookup().findVarHandle(ManyToOneRingWriter.class, "inFlight", boolean.class);
        }
        catch (final ReflectiveOperationException ex)
        {
            throw new ExceptionInInitializerError(ex);
        }
    }

    private final BooleanSupplier closed;
    /** A claim of this writer is between its compare-and-set of the tail and writing what it claimed. */
    private volatile boolean inFlight;

    /**
     * A writer for one publisher.
     *
     * @param buffer   the ring and its trailer.
     * @param capacity the ring's capacity.
     * @param health   the channel's health.
     * @param closed   whether the publisher is closed, read after each compare-and-set of the tail.
     */
    ManyToOneRingWriter(final UnsafeBuffer buffer, final int capacity, final ChannelHealth health,
        final BooleanSupplier closed)
    {
        super(buffer, capacity, health);
        this.closed = closed;
    }

    @Override
    int claim(final int typeId, final int length)
    {
        try
        {
            IN_FLIGHT.setRelease(this, true); // before the compare-and-set, which makes it visible to the close
            return claimInFlight(typeId, length);
        }
        finally
        {
            try
            {
                IN_FLIGHT.setRelease(this, false); // after the headers
            }
            catch (final InternalError late)
            {
                // HotSpot may raise a fault of an earlier access to the mapping on entry to a method while it runs
                // in the interpreter, here to the store's: a mark left set would hold a close forever.
                inFlight = false;
                throw late;
            }
        }
    }

    /**
     * A claim in flight, once this returns, either saw the close and wrote nothing, or has written its headers.
     */
    @Override
    void awaitClaimInFlight()
    {
        while (inFlight)
        {
            Thread.yield(); // a few instructions away from its end, unless its thread is descheduled
        }
    }

    private int claimInFlight(final int typeId, final int length)
    {
        final int recordLength = length + HEADER_LENGTH;
        final int required = BitUtil.align(recordLength, ALIGNMENT);
        final long headCache = buffer.getLongVolatile(headCacheIndex);
        long head = headCache;
        while (true)
        {
            final long tail = buffer.getLongVolatile(this.tailIndex);
            // Unsigned: a tail behind the cached head, or more than a capacity ahead of it, takes the slow path.
            if (Long.compareUnsigned(tail - head, capacity - required) > 0 || (tail & (ALIGNMENT - 1)) != 0)
            {
                head = readHeadBehind(tail, headCache);
                if (head == STALE_TAIL)
                {
                    head = headCache;
                    continue;
                }
                if (required > capacity - (tail - head))
                {
                    return FULL;
                }
                buffer.putLongRelease(headCacheIndex, head);
            }
            final int tailIndex = (int)tail & mask;
            if (required > capacity - tailIndex)
            {
                final int index = claimAfterPadding(typeId, recordLength, required, tail, head, headCache);
                if (index != RETRY)
                {
                    return index;
                }
                head = headCache;
            }
            else if (buffer.compareAndSetLong(this.tailIndex, tail, tail + required))
            {
                if (closed.getAsBoolean())
                {
                    return WITHDRAWN; // the close may have let the subscriber skip the space already
                }
                writeHeader(tailIndex, typeId, recordLength);
                return tailIndex + HEADER_LENGTH;
            }
        }
    }

    /**
     * The record does not fit before the end of the buffer: claim the padding to the end and the record at the
     * start, when there is room there (else only the padding, and report the ring full). Kept apart so the common
     * claim stays small enough to be inlined.
     *
     * @return the payload index, {@link #FULL}, or {@link #RETRY} when another publisher moved the tail first.
     */
    private int claimAfterPadding(final int typeId, final int recordLength, final int required, final long tail,
        final long knownHead, final long headCache)
    {
        final int tailIndex = (int)tail & mask;
        final int padding = capacity - tailIndex;
        long head = knownHead;
        boolean fits = required <= ((int)head & mask);
        if (!fits)
        {
            head = readHeadBehind(tail, headCache);
            if (head == STALE_TAIL)
            {
                return RETRY;
            }
            fits = required <= ((int)head & mask);
            buffer.putLongRelease(headCacheIndex, head);
        }
        final long newTail = tail + padding + (fits ? required : 0); // no room at the start: only pad to the end
        if (!buffer.compareAndSetLong(this.tailIndex, tail, newTail))
        {
            return RETRY;
        }
        if (closed.getAsBoolean())
        {
            return WITHDRAWN; // the close may have let the subscriber skip the space already
        }
        writePadding(tailIndex, padding);
        if (!fits)
        {
            return FULL;
        }
        writeHeader(0, typeId, recordLength);
        return HEADER_LENGTH;
    }

    /**
     * The head, read after {@code tail} and checked against it: other publishers may have claimed, committed, and
     * the subscriber consumed past a tail this publisher read a moment ago, so a head beyond it is only corrupt when
     * the tail has not moved since.
     *
     * @return the head, or {@link #STALE_TAIL} when the tail moved: read it again.
     */
    private long readHeadBehind(final long tail, final long headCache)
    {
        final long head = buffer.getLongVolatile(headIndex);
        if (head > tail && ChannelDescriptor.isPosition(head) && buffer.getLongVolatile(this.tailIndex) != tail)
        {
            return STALE_TAIL;
        }
        return readHead(tail, headCache, head);
    }

    /**
     * Check the positions a publisher starts from, while other publishers may be claiming.
     *
     * @throws io.shmipc.exceptions.CorruptRegionException when they are impossible.
     */
    void checkPositions()
    {
        final long headCache = buffer.getLongVolatile(headCacheIndex);
        long head;
        do
        {
            head = readHeadBehind(buffer.getLongVolatile(tailIndex), headCache);
        }
        while (head == STALE_TAIL);
    }
}
