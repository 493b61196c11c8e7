package io.shmipc.log;

import io.shmipc.exceptions.CorruptRegionException;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static io.shmipc.layout.LogBufferDescriptor.*;
import static org.junit.jupiter.api.Assertions.*;

/**
 * A subscriber's reads of docs/layout.md, "How a reader knows a record is complete and not stale" and "Reading", on a
 * log an appender writes: in place and validated, across laps, what it refuses, and how a skip is counted.
 */
class LogReaderTest
{
    private static final int CAPACITY = 1024;
    private static final int MAX_MESSAGE = CAPACITY / 8;
    private static final int OLDEST = CAPACITY + OLDEST_POSITION_OFFSET;
    private static final int LOG2 = Integer.numberOfTrailingZeros(CAPACITY);

    private final LogRecordingBuffer buffer = new LogRecordingBuffer(CAPACITY + TRAILER_LENGTH);
    private final LogFailure failure = LogFailure.unmarked("test", "log");
    private final UnsafeBuffer payload = new UnsafeBuffer(new byte[MAX_MESSAGE]);
    private final LogAppender appender = new LogAppender(buffer, CAPACITY, MAX_MESSAGE, failure,
        (tail, extent, end) -> Long.MAX_VALUE);
    private final LogReader reader = new LogReader(buffer, CAPACITY, MAX_MESSAGE, failure);

    private void append(final long value, final int length)
    {
        payload.putLong(0, value);
        assertTrue(appender.append(TYPE_MESSAGE, payload, 0, length, 1) >= 0);
    }

    private List<Long> readAll()
    {
        final List<Long> values = new ArrayList<>();
        int result;
        while ((result = reader.next()) == LogReader.RECORD)
        {
            values.add(reader.recordBuffer().getLong(reader.payloadOffset()));
            reader.consume(1);
        }
        assertEquals(LogReader.NOTHING, result);
        return values;
    }

    @Test
    void aTetheredReaderReadsInPlaceAcrossManyLapsAndNeverSeesAnOlderLap()
    {
        reader.start(0, 0, 0, false);
        final List<Long> read = new ArrayList<>();
        for (long value = 0; value < 1000; value++)
        {
            append(value, 8 + (int)(value % 90));
            if (value % 3 == 2)
            {
                read.addAll(readAll());
            }
        }
        read.addAll(readAll());
        assertEquals(1000, read.size());
        for (int i = 0; i < read.size(); i++)
        {
            assertEquals(i, read.get(i));
        }
        assertEquals(appender.tail(), reader.position());
        assertEquals(1000, reader.expectedSequence());
    }

    @Test
    void inPlaceThePayloadIsTheLogItselfAndValidatedItIsACopy()
    {
        append(42, 8);
        reader.start(0, 0, 0, false);
        assertEquals(LogReader.RECORD, reader.next());
        assertSame(buffer, reader.recordBuffer());
        assertEquals(PAYLOAD_OFFSET, reader.payloadOffset());
        reader.start(0, 0, Long.MAX_VALUE, true);
        assertEquals(LogReader.RECORD, reader.next());
        assertNotSame(buffer, reader.recordBuffer());
        assertEquals(42, reader.recordBuffer().getLong(reader.payloadOffset()));
        assertEquals(8, reader.payloadLength());
    }

    @Test
    void aValidatedReadChecksTheOldestPositionAfterItsCopy()
    {
        append(1, 8);
        reader.start(0, 0, Long.MAX_VALUE, true);
        buffer.clear();
        assertEquals(LogReader.RECORD, reader.next());
        final int copy = buffer.log().indexOf("getLongVolatile@0");
        final int check = buffer.indexOf("getLongVolatile@" + OLDEST);
        assertTrue(copy < check, buffer.log().toString());
    }

    @Test
    void aValidatedReaderOverwrittenByTheNextLapIsToldItWasLappedAndSkipsCountingExactly()
    {
        reader.start(0, 0, Long.MAX_VALUE, true);
        for (long value = 0; value < 100; value++)
        {
            append(value, 8); // 32 bytes each: 3200 bytes, three laps
        }
        assertEquals(LogReader.LAPPED, reader.next());
        final long tail = reader.tail();
        final long sequence = reader.sequenceAt(tail);
        assertEquals(100, sequence, "the sequence prepared at the tail");
        assertEquals(100, reader.skipTo(tail, sequence));
        append(100, 8);
        assertEquals(List.of(100L), readAll());
    }

    @Test
    void aSkipOverMoreMessagesThanTheBytesBetweenCouldHoldIsCorruptionNotALossCount()
    {
        reader.start(0, 0, Long.MAX_VALUE, true);
        for (long value = 0; value < 100; value++)
        {
            append(value, 8);
        }
        assertEquals(LogReader.LAPPED, reader.next());
        final long tail = reader.tail();
        buffer.putLong(((int)tail & (CAPACITY - 1)) + SEQUENCE_OFFSET, 1L << 40); // a hostile prepared sequence
        final long sequence = reader.sequenceAt(tail);
        final CorruptRegionException refused = assertThrows(CorruptRegionException.class,
            () -> reader.skipTo(tail, sequence));
        assertEquals("channel[log].log.record.sequence", refused.field());
        assertEquals(Long.toString(1L << 40), refused.actual());
        assertEquals("from 0 to " + tail / 4 + " at position " + tail, refused.expected());
    }

    @Test
    void aHeaderOfAnotherLapIsCorruptionForAnInPlaceReader()
    {
        append(1, 8);
        buffer.putLong(0, headerWord(24, CAPACITY, LOG2, TYPE_MESSAGE)); // the next lap's tag, at position 0
        reader.start(0, 0, 0, false);
        final CorruptRegionException refused = assertThrows(CorruptRegionException.class, reader::next);
        assertEquals("channel[log].log.record", refused.field());
        assertTrue(refused.actual().contains("at position 0"), refused.actual());
    }

    @Test
    void aLengthBeyondTheLimitOrAPaddingShortOfTheEndIsCorruption()
    {
        append(1, 8);
        buffer.putLong(0, headerWord(HEADER_LENGTH + MAX_MESSAGE + 1, 0, LOG2, TYPE_MESSAGE));
        reader.start(0, 0, 0, false);
        assertThrows(CorruptRegionException.class, reader::next);
        buffer.putLong(0, headerWord(512, 0, LOG2, TYPE_PADDING));
        assertThrows(CorruptRegionException.class, reader::next);
    }

    @Test
    void aSequenceOutOfOrderIsCorruption()
    {
        append(1, 8);
        append(2, 8);
        buffer.putLong(32 + SEQUENCE_OFFSET, 7);
        reader.start(0, 0, 0, false);
        assertEquals(LogReader.RECORD, reader.next());
        reader.consume(1);
        final CorruptRegionException refused = assertThrows(CorruptRegionException.class, reader::next);
        assertEquals("channel[log].log.record.sequence", refused.field());
        assertEquals("7", refused.actual());
    }

    @Test
    void aReaderWritesNothing()
    {
        for (long value = 0; value < 50; value++)
        {
            append(value, 16);
        }
        reader.start(appender.oldest(), reader.sequenceAt(appender.oldest()), Long.MAX_VALUE, true);
        buffer.clear();
        readAll();
        assertTrue(buffer.log().stream().noneMatch(entry -> entry.startsWith("put") || entry.startsWith("compare")),
            buffer.log().toString());
    }
}
