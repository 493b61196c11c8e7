package io.shmipc.channel;

import io.shmipc.testing.RecordingBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.ringbuffer.ManyToOneRingBuffer;
import org.agrona.concurrent.ringbuffer.OneToOneRingBuffer;
import org.agrona.concurrent.ringbuffer.RingBuffer;
import org.agrona.concurrent.ringbuffer.RingBufferDescriptor;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The ring writers and reader against Agrona's rings on the same memory: the layout is Agrona's, so what one side
 * writes the other reads, through wraps and padding; and the order of the one-to-one writer's stores, which differs
 * from Agrona's where a dead publisher would otherwise leave a stale header at the tail.
 */
class RingWriterTest
{
    private static final int CAPACITY = 1024;
    private static final int MAX = CAPACITY / 8;

    private final UnsafeBuffer buffer =
        new UnsafeBuffer(ByteBuffer.allocateDirect(CAPACITY + RingBufferDescriptor.TRAILER_LENGTH));
    private final ChannelHealth health =
        new ChannelHealth("test", "c", new UnsafeBuffer(ByteBuffer.allocateDirect(4096)), null);

    private static UnsafeBuffer message(final int value, final int length)
    {
        final UnsafeBuffer message = new UnsafeBuffer(new byte[length]);
        message.putInt(0, value);
        return message;
    }

    private RingWriter writer(final boolean manyToOne, final UnsafeBuffer buffer)
    {
        return manyToOne ? new ManyToOneRingWriter(buffer, CAPACITY, health, () -> false) :
            new OneToOneRingWriter(buffer, CAPACITY, health);
    }

    private RingBuffer agrona(final boolean manyToOne)
    {
        return manyToOne ? new ManyToOneRingBuffer(buffer) : new OneToOneRingBuffer(buffer);
    }

    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void agronaReadsWhatTheWriterWritesThroughManyLaps(final boolean manyToOne)
    {
        final RingWriter writer = writer(manyToOne, buffer);
        final RingBuffer reader = agrona(manyToOne);
        final List<Integer> read = new ArrayList<>();
        int written = 0;
        for (int i = 0; i < 5_000; i++)
        {
            final int length = 4 + (i * 7) % (MAX - 4);
            int attempts = 0;
            while (!writer.write(1, message(i, length), 0, length))
            {
                reader.read((typeId, source, index, size) -> read.add(source.getInt(index)));
                assertTrue(++attempts < 4, "room after reading");
            }
            written++;
        }
        while (reader.consumerPosition() < reader.producerPosition())
        {
            reader.read((typeId, source, index, size) -> read.add(source.getInt(index)), Integer.MAX_VALUE);
        }
        assertEquals(written, read.size());
        for (int i = 0; i < read.size(); i++)
        {
            assertEquals(i, read.get(i));
        }
    }

    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void theReaderReadsWhatAgronaWritesThroughManyLaps(final boolean manyToOne)
    {
        final RingBuffer writer = agrona(manyToOne);
        final RingReader reader = new RingReader(buffer, CAPACITY, MAX, manyToOne, health, () -> true);
        final List<Integer> read = new ArrayList<>();
        final RingReader.RecordSink sink = (typeId, index, length) -> read.add(buffer.getInt(index));
        int written = 0;
        for (int i = 0; i < 5_000; i++)
        {
            final int length = 4 + (i * 7) % (MAX - 4);
            int attempts = 0;
            while (!writer.write(1, message(i, length), 0, length))
            {
                reader.read(sink, Integer.MAX_VALUE);
                assertTrue(reader.head() <= writer.producerPosition());
                assertTrue(++attempts < 4, "room after reading");
            }
            written++;
        }
        while (reader.head() < writer.producerPosition())
        {
            reader.read(sink, Integer.MAX_VALUE);
        }
        assertEquals(written, read.size());
        for (int i = 0; i < read.size(); i++)
        {
            assertEquals(i, read.get(i));
        }
        assertEquals(writer.producerPosition(), reader.head());
    }

    @Test
    void oneToOneZeroesTheNextHeaderBeforeTheTailMoves()
    {
        final RecordingBuffer recording = new RecordingBuffer("ring", CAPACITY + RingBufferDescriptor.TRAILER_LENGTH);
        final RingWriter writer = writer(false, recording);
        recording.log().clear();
        final int index = writer.claim(1, 20);
        final int tail = CAPACITY + RingBufferDescriptor.TAIL_POSITION_OFFSET;
        assertTrue(recording.indexOf("ring:putLong@32=0") < recording.indexOf("ring:putLongRelease@" + tail + "=32"),
            "the header after the record is zero before the tail includes the record: " + recording.log());
        assertTrue(recording.indexOf("ring:putLongRelease@" + tail + "=32") <
            recording.indexOf("ring:putIntRelease@0=-28"), "the claim's header after the tail: " + recording.log());
        writer.commit(index, 20);
    }

    @Test
    void oneToOneWrapZeroesTheStartBeforeTheTailMoves()
    {
        final RecordingBuffer recording = new RecordingBuffer("ring", CAPACITY + RingBufferDescriptor.TRAILER_LENGTH);
        final RingWriter writer = writer(false, recording);
        final RingReader reader = new RingReader(recording, CAPACITY, MAX, false, health, () -> true);
        final UnsafeBuffer payload = message(1, 100);
        for (int i = 0; i < 9; i++)
        {
            assertTrue(writer.write(1, payload, 0, 100)); // 9 records of 112 bytes: the tail at 1008
        }
        assertEquals(9, reader.read((typeId, index, length) -> true, Integer.MAX_VALUE));
        // 16 bytes to the end: the next claim pads them and writes at 0.
        recording.log().clear();
        final int index = writer.claim(1, 100);
        assertEquals(8, index, "written at the start");
        final int tail = CAPACITY + RingBufferDescriptor.TAIL_POSITION_OFFSET;
        final int tailStore = recording.indexOf("ring:putLongRelease@" + tail);
        assertTrue(recording.indexOf("ring:putLong@0=0") < tailStore, recording.log().toString());
        assertTrue(recording.indexOf("ring:putLong@112=0") < tailStore, recording.log().toString());
    }

    /**
     * A many-to-one claim whose publisher was closed by another thread after it moved the tail writes nothing there,
     * neither a header nor the padding of a wrap: the close may have let the subscriber skip and zero the space
     * already, and a late header would stand in memory it consumed, to be read a lap later as a record.
     */
    @Test
    void aManyToOneClaimThatFindsItsPublisherClosedAfterMovingTheTailWritesNothing()
    {
        final ManyToOneRingWriter writer = new ManyToOneRingWriter(buffer, CAPACITY, health, () -> true);
        final int tail = CAPACITY + RingBufferDescriptor.TAIL_POSITION_OFFSET;
        assertEquals(RingWriter.WITHDRAWN, writer.claim(1, 40));
        assertEquals(48, buffer.getLong(tail), "the space is taken");
        assertEquals(0, buffer.getLong(0), "and holds no header");
        buffer.putLong(tail, CAPACITY - 16); // a claim of 40 bytes then pads the last 16 and starts again at 0
        buffer.putLong(CAPACITY + RingBufferDescriptor.HEAD_POSITION_OFFSET, CAPACITY - 16);
        buffer.putLong(CAPACITY + RingBufferDescriptor.HEAD_CACHE_POSITION_OFFSET, CAPACITY - 16);
        assertEquals(RingWriter.WITHDRAWN, writer.claim(1, 40));
        assertEquals(CAPACITY + 48, buffer.getLong(tail));
        assertEquals(0, buffer.getLong(CAPACITY - 16), "no padding");
        assertEquals(0, buffer.getLong(0), "no header");
    }

    /**
     * A close waits for a many-to-one claim between its compare-and-set of the tail and its headers (here held at
     * its read of the closed flag): once the wait returns, the claim has either written its headers or seen the
     * close, so the publisher's slot can go.
     */
    @Test
    void aCloseWaitsForAManyToOneClaimInFlight() throws InterruptedException
    {
        final CountDownLatch inFlight = new CountDownLatch(1);
        final CountDownLatch proceed = new CountDownLatch(1);
        final ManyToOneRingWriter writer = new ManyToOneRingWriter(buffer, CAPACITY, health, () ->
        {
            inFlight.countDown();
            try
            {
                proceed.await();
            }
            catch (final InterruptedException ex)
            {
                Thread.currentThread().interrupt();
            }
            return false;
        });
        final int[] index = new int[1];
        final Thread claiming = new Thread(() -> index[0] = writer.claim(1, 40));
        claiming.start();
        assertTrue(inFlight.await(10, TimeUnit.SECONDS), "the claim reads whether its publisher was closed");
        final Thread closing = new Thread(writer::awaitClaimInFlight);
        closing.start();
        try
        {
            closing.join(200);
            assertTrue(closing.isAlive(), "the close waits while the claim is in flight");
        }
        finally
        {
            proceed.countDown();
        }
        closing.join();
        claiming.join();
        assertEquals(8, index[0]);
        assertEquals(-48, buffer.getInt(0), "the claim wrote its header before the close went on");
    }
}
