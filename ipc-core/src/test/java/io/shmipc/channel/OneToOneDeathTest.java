package io.shmipc.channel;

import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.ringbuffer.OneToOneRingBuffer;
import org.agrona.concurrent.ringbuffer.RingBufferDescriptor;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.*;

/**
 * A one-to-one publisher killed at every store of a claim, over a ring whose free space still holds the records of
 * an earlier lap (the one-to-one subscriber does not zero what it consumed). Once the subscriber has padded the dead
 * claim (the unblock rule, the publisher role being free), it must read exactly what was committed, never a stale
 * record of the earlier lap. Agrona's own one-to-one ring moves the tail before it zeroes the next header, so a death
 * between the two leaves a stale header right at the tail; {@link OneToOneRingWriter} zeroes first.
 */
class OneToOneDeathTest
{
    private static final int CAPACITY = 1024;
    private static final int STALE = -1;
    private static final int COMMITTED = 5;

    /** The process dying: thrown by the buffer at a chosen store. */
    private static final class Death extends RuntimeException
    {
        private static final long serialVersionUID = 1L;
    }

    /** A buffer over the ring's memory whose writes stop, as if the process died, after a number of stores. */
    private static final class DyingBuffer extends UnsafeBuffer
    {
        private int storesLeft = Integer.MAX_VALUE;

        DyingBuffer(final UnsafeBuffer memory)
        {
            super(memory.addressOffset(), memory.capacity());
        }

        private void store()
        {
            if (storesLeft-- == 0)
            {
                throw new Death();
            }
        }

        @Override
        public void putLong(final int index, final long value)
        {
            store();
            super.putLong(index, value);
        }

        @Override
        public void putLongRelease(final int index, final long value)
        {
            store();
            super.putLongRelease(index, value);
        }

        @Override
        public void putInt(final int index, final int value)
        {
            store();
            super.putInt(index, value);
        }

        @Override
        public void putIntRelease(final int index, final int value)
        {
            store();
            super.putIntRelease(index, value);
        }
    }

    /** A claim of 20 payload bytes by one publisher implementation over a buffer. */
    private interface Claimer
    {
        void claim();
    }

    private final ChannelHealth health =
        new ChannelHealth("test", "c", new UnsafeBuffer(ByteBuffer.allocateDirect(4096)), null);

    /**
     * Fill a lap with stale records and consume them, commit {@link #COMMITTED} records, then die at store
     * {@code deathAt} of the next claim; recover as the subscriber does and return what it reads.
     */
    private List<Integer> dieAt(final int deathAt, final Function<UnsafeBuffer, Claimer> publisher)
    {
        final UnsafeBuffer memory =
            new UnsafeBuffer(ByteBuffer.allocateDirect(CAPACITY + RingBufferDescriptor.TRAILER_LENGTH));
        final OneToOneRingWriter lap = new OneToOneRingWriter(memory, CAPACITY, health);
        final RingReader reader = new RingReader(memory, CAPACITY, CAPACITY / 8, false, health, () -> true);
        final UnsafeBuffer message = new UnsafeBuffer(new byte[20]);
        message.putInt(0, STALE);
        while (lap.tail() < CAPACITY) // a whole lap of 32-byte records, so the next lap writes over stale ones
        {
            assertTrue(lap.write(1, message, 0, 20));
            reader.read((typeId, index, length) -> true, Integer.MAX_VALUE);
        }
        assertEquals(CAPACITY, reader.head());
        final DyingBuffer dying = new DyingBuffer(memory);
        final OneToOneRingWriter writer = new OneToOneRingWriter(dying, CAPACITY, health);
        for (int i = 0; i < COMMITTED; i++)
        {
            message.putInt(0, i);
            assertTrue(writer.write(1, message, 0, 20));
        }
        dying.storesLeft = deathAt;
        try
        {
            publisher.apply(dying).claim();
        }
        catch (final Death ex)
        {
            // killed
        }
        final RingUnblocker unblocker = new RingUnblocker(memory, CAPACITY, health);
        final long tail = memory.getLongVolatile(CAPACITY + RingBufferDescriptor.TAIL_POSITION_OFFSET);
        final List<Integer> read = new ArrayList<>();
        for (int round = 0; round < 10 && reader.head() < tail; round++)
        {
            reader.read((typeId, index, length) -> read.add(memory.getInt(index)), Integer.MAX_VALUE);
            unblocker.unblockOneToOne(reader.head(), tail);
        }
        reader.read((typeId, index, length) -> read.add(memory.getInt(index)), Integer.MAX_VALUE);
        if (reader.head() > tail)
        {
            read.add(STALE); // read past the tail: whatever it read there was stale
        }
        return read;
    }

    @Test
    void aPublisherKilledAtAnyStoreOfAClaimLeavesNoStaleRecordToRead()
    {
        for (int deathAt = 0; deathAt < 12; deathAt++)
        {
            final List<Integer> read = dieAt(deathAt, buffer -> () ->
                new OneToOneRingWriter(buffer, CAPACITY, health).claim(1, 20));
            assertEquals(List.of(0, 1, 2, 3, 4), read, "killed at store " + deathAt);
        }
    }

    @Test
    void agronasOrderLeavesAStaleHeaderAtTheTailForSomeDeath()
    {
        boolean staleSeen = false;
        for (int deathAt = 0; deathAt < 12; deathAt++)
        {
            final List<Integer> read = dieAt(deathAt, buffer -> () -> new OneToOneRingBuffer(buffer).tryClaim(1, 20));
            staleSeen |= read.contains(STALE);
        }
        assertTrue(staleSeen, "Agrona's one-to-one ring zeroes the next header after moving the tail");
    }
}
