package io.shmipc;

import io.shmipc.exceptions.ShmIpcException;
import io.shmipc.layout.ChannelLayout;
import io.shmipc.layout.EndpointDescriptor;
import io.shmipc.liveness.EndpointRegistration;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.AtomicBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.ringbuffer.ManyToOneRingBuffer;
import org.agrona.concurrent.ringbuffer.RecordDescriptor;
import org.agrona.concurrent.ringbuffer.RingBuffer;

/**
 * The subscriber of a {@link ChannelKind#ONE_TO_ONE} or {@link ChannelKind#MANY_TO_ONE} channel. It continues
 * from the head position left in shared memory, so a replacement subscriber picks up where the last one stopped
 * (the batch a dead subscriber was inside is delivered again: at-least-once).
 * <p>
 * When a poll finds nothing although the ring holds data, the record at the head is uncommitted. Once no live
 * publisher has a claim in progress, its owner is dead: the record is turned into padding at once (unblocked),
 * counted, and consumption goes on. A live publisher, even a stopped one, is never unblocked under.
 */
final class RingSubscriber extends ChannelEndpoint implements Subscriber
{
    /** Least time between two liveness checks of a stuck ring (each check makes system calls). */
    private static final long STUCK_CHECK_INTERVAL_NS = 1_000_000L;

    private final RingBuffer ring;
    private final AtomicBuffer buffer;
    private final UnsafeBuffer endpointTable;
    private final int maxMessageLength;
    private final int capacity;
    private final org.agrona.concurrent.MessageHandler adapter = this::onRecord;
    private MessageHandler handler;
    private boolean inHandler;
    private long nextStuckCheckNs;
    private long unblockedRecords;

    RingSubscriber(final Region region, final ChannelLayout layout, final EndpointRegistration registration,
        final RingBuffer ring, final UnsafeBuffer endpointTable)
    {
        super(region, layout, registration);
        this.ring = ring;
        this.buffer = ring.buffer();
        this.endpointTable = endpointTable;
        this.maxMessageLength = layout.maxMessageLength();
        this.capacity = ring.capacity();
    }

    @Override
    public int poll(final MessageHandler handler, final int limit)
    {
        if (closed)
        {
            throw closedException();
        }
        this.handler = handler;
        try
        {
            tick();
            final int read = ring.read(adapter, limit);
            if (read == 0 && ring.producerPosition() != ring.consumerPosition())
            {
                onStuck();
            }
            return read;
        }
        catch (final ShmIpcException ex)
        {
            inHandler = false;
            throw ex;
        }
        catch (final RuntimeException | InternalError ex)
        {
            if (inHandler)
            {
                inHandler = false;
                throw ex;
            }
            throw corruption(ex);
        }
        finally
        {
            this.handler = null;
        }
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

    private void onRecord(final int typeId, final MutableDirectBuffer buffer, final int offset, final int length)
    {
        if (length < 0 || length > maxMessageLength || offset + length > capacity)
        {
            throw corruptRecord(offset, length);
        }
        inHandler = true;
        handler.onMessage(buffer, offset, length);
        inHandler = false;
    }

    private void onStuck()
    {
        final long now = System.nanoTime();
        if (now - nextStuckCheckNs < 0)
        {
            return;
        }
        nextStuckCheckNs = now + STUCK_CHECK_INTERVAL_NS;
        if (!region.anyLiveClaim(layout, endpointTable) && unblock())
        {
            unblockedRecords++;
        }
    }

    /**
     * Turn the uncommitted record at the head into padding. Agrona's many-to-one ring does this itself; the
     * one-to-one ring has no such call, but its single producer writes a record's negative length before it moves
     * the tail, so a stuck head always holds one.
     */
    private boolean unblock()
    {
        if (ring instanceof ManyToOneRingBuffer)
        {
            return ring.unblock();
        }
        final int index = (int)ring.consumerPosition() & (ring.capacity() - 1);
        final int length = buffer.getIntVolatile(RecordDescriptor.lengthOffset(index));
        if (length < 0)
        {
            buffer.putInt(RecordDescriptor.typeOffset(index), RingBuffer.PADDING_MSG_TYPE_ID);
            buffer.putIntRelease(RecordDescriptor.lengthOffset(index), -length);
            return true;
        }
        return false;
    }
}
