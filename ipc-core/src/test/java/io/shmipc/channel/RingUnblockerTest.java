package io.shmipc.channel;

import io.shmipc.testing.RecordingBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.ringbuffer.ManyToOneRingBuffer;
import org.agrona.concurrent.ringbuffer.OneToOneRingBuffer;
import org.agrona.concurrent.ringbuffer.RingBuffer;
import org.agrona.concurrent.ringbuffer.RingBufferDescriptor;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

import static org.agrona.concurrent.ringbuffer.RecordDescriptor.*;
import static org.junit.jupiter.api.Assertions.*;

/**
 * Each padding case of docs/layout.md, "Unblocking records left by dead publishers", on a real Agrona ring over
 * direct memory: what is padded, how long the padding is, that the padding's type is stored before its length is
 * released, and that the subscriber then reads what live publishers committed after it.
 */
class RingUnblockerTest
{
    private static final int CAPACITY = 1024;
    private static final int MESSAGE = 1;

    private final UnsafeBuffer buffer =
        new UnsafeBuffer(ByteBuffer.allocateDirect(CAPACITY + RingBufferDescriptor.TRAILER_LENGTH));
    private final ChannelHealth health =
        new ChannelHealth("test", "c", new UnsafeBuffer(ByteBuffer.allocateDirect(4096)), null);
    private final RingUnblocker unblocker = new RingUnblocker(buffer, CAPACITY, health);
    private final List<Integer> read = new ArrayList<>();

    private int readAll(final RingBuffer ring)
    {
        return ring.read((typeId, source, index, length) -> read.add(source.getInt(index)));
    }

    private int paddingAt(final int index)
    {
        assertEquals(RingBuffer.PADDING_MSG_TYPE_ID, buffer.getInt(typeOffset(index)), "padding type at " + index);
        return buffer.getInt(lengthOffset(index));
    }

    private static UnsafeBuffer message(final int value)
    {
        final UnsafeBuffer message = new UnsafeBuffer(new byte[8]);
        message.putInt(0, value);
        return message;
    }

    private void setTail(final long tail)
    {
        buffer.putLong(CAPACITY + RingBufferDescriptor.TAIL_POSITION_OFFSET, tail);
    }

    @Test
    void manyToOneAClaimLeftUncommittedIsPaddedAsItIsAndTheRecordsBehindItAreRead()
    {
        final ManyToOneRingBuffer ring = new ManyToOneRingBuffer(buffer);
        final int dead = ring.tryClaim(MESSAGE, 20); // the publisher dies before commit: the header stays negative
        assertTrue(ring.write(MESSAGE, message(7), 0, 8));
        assertEquals(0, readAll(ring), "stuck behind the uncommitted record");
        final long tail = ring.producerPosition();
        assertTrue(unblocker.unblockManyToOne(ring.consumerPosition(), tail));
        assertEquals(HEADER_LENGTH + 20, paddingAt(dead - HEADER_LENGTH), "the claim's own length");
        assertEquals(1, readAll(ring));
        assertEquals(List.of(7), read);
    }

    @Test
    void manyToOneAZeroHeaderIsPaddedUpToTheNextNonZeroWord()
    {
        final ManyToOneRingBuffer ring = new ManyToOneRingBuffer(buffer);
        setTail(64); // a publisher moved the tail by 64 and died before writing its header
        assertTrue(ring.write(MESSAGE, message(9), 0, 8));
        assertTrue(unblocker.unblockManyToOne(0, ring.producerPosition()));
        assertEquals(64, paddingAt(0));
        assertEquals(1, readAll(ring));
        assertEquals(List.of(9), read);
    }

    @Test
    void manyToOneAZeroHeaderIsPaddedUpToTheTailReadBeforeTheLivenessCheck()
    {
        setTail(96);
        assertTrue(unblocker.unblockManyToOne(0, 96));
        assertEquals(96, paddingAt(0));
    }

    @Test
    void manyToOneAZeroHeaderIsPaddedNoFurtherThanTheEndOfTheBuffer()
    {
        final long head = 2L * CAPACITY + CAPACITY - 64;
        assertTrue(unblocker.unblockManyToOne(head, head + 256));
        assertEquals(64, paddingAt(CAPACITY - 64));
    }

    @Test
    void aCommittedRecordAtTheHeadIsNeverPadded()
    {
        final ManyToOneRingBuffer ring = new ManyToOneRingBuffer(buffer);
        assertTrue(ring.write(MESSAGE, message(1), 0, 8));
        final long tail = ring.producerPosition();
        assertFalse(unblocker.unblockManyToOne(0, tail));
        assertFalse(unblocker.unblockOneToOne(0, tail));
        assertEquals(MESSAGE, buffer.getInt(typeOffset(0)));
        assertEquals(1, readAll(ring));
    }

    @Test
    void nothingIsPaddedWhenTheHeadHasReachedTheTail()
    {
        buffer.putInt(lengthOffset(0), -16);
        assertFalse(unblocker.unblockManyToOne(64, 64));
        assertFalse(unblocker.unblockOneToOne(64, 64));
        assertEquals(-16, buffer.getInt(lengthOffset(0)));
    }

    @Test
    void oneToOneTheDeadPublishersClaimIsEverythingFromTheHeadToTheTail()
    {
        final OneToOneRingBuffer ring = new OneToOneRingBuffer(buffer);
        ring.tryClaim(MESSAGE, 40); // the only publisher dies holding its claim
        final long tail = ring.producerPosition();
        assertTrue(unblocker.unblockOneToOne(ring.consumerPosition(), tail));
        assertEquals(HEADER_LENGTH + 40, paddingAt(0));
        assertEquals(0, readAll(ring));
        assertEquals(tail, ring.consumerPosition(), "the subscriber moved past the padding");
    }

    @Test
    void oneToOneAZeroHeaderIsPaddedToTheTailOrTheEndOfTheBuffer()
    {
        assertTrue(unblocker.unblockOneToOne(128, 128 + 200));
        assertEquals(200, paddingAt(128));
        assertTrue(unblocker.unblockOneToOne(CAPACITY - 32, CAPACITY - 32 + 200));
        assertEquals(32, paddingAt(CAPACITY - 32));
    }

    @Test
    void aNewOneToOnePublisherPadsWhatItsDeadPredecessorLeftAndCountsIt()
    {
        final OneToOneRingBuffer ring = new OneToOneRingBuffer(buffer);
        assertTrue(ring.write(MESSAGE, message(1), 0, 8));
        ring.tryClaim(MESSAGE, 24); // the predecessor dies holding this claim
        assertEquals(1, unblocker.repairOneToOne(ring.consumerPosition(), ring.producerPosition()));
        assertTrue(ring.write(MESSAGE, message(2), 0, 8), "the new publisher writes after the padding");
        assertEquals(2, readAll(ring));
        assertEquals(List.of(1, 2), read);
    }

    @Test
    void aRepairOfCommittedRecordsPadsNothing()
    {
        final OneToOneRingBuffer ring = new OneToOneRingBuffer(buffer);
        assertTrue(ring.write(MESSAGE, message(1), 0, 8));
        assertTrue(ring.write(MESSAGE, message(2), 0, 8));
        assertEquals(0, unblocker.repairOneToOne(ring.consumerPosition(), ring.producerPosition()));
    }

    @Test
    void aRepairRefusesImpossiblePositions()
    {
        assertEquals(-1, unblocker.repairOneToOne(-8, 0), "negative head");
        assertEquals(-1, unblocker.repairOneToOne(64, 0), "tail behind head");
        assertEquals(-1, unblocker.repairOneToOne(0, CAPACITY + 8), "more than a capacity apart");
    }

    @Test
    void aRepairStopsAtARecordChainItCannotFollow()
    {
        buffer.putInt(lengthOffset(0), CAPACITY * 2); // a committed length running past the end of the buffer
        assertEquals(0, unblocker.repairOneToOne(0, 64));
        assertEquals(CAPACITY * 2, buffer.getInt(lengthOffset(0)), "left for the subscriber to report");
    }

    @Test
    void thePaddingTypeIsStoredBeforeItsLengthIsReleased()
    {
        final RecordingBuffer recording = new RecordingBuffer("ring", CAPACITY + RingBufferDescriptor.TRAILER_LENGTH);
        recording.putInt(lengthOffset(0), -32);
        recording.log().clear();
        assertTrue(new RingUnblocker(recording, CAPACITY, health).unblockManyToOne(0, 32));
        assertEquals(List.of("ring:getIntVolatile@" + lengthOffset(0),
            "ring:putInt@" + typeOffset(0) + "=" + RingBuffer.PADDING_MSG_TYPE_ID,
            "ring:putIntRelease@" + lengthOffset(0) + "=32"), recording.log());
    }
}
