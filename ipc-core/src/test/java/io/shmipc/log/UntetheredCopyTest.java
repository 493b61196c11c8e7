package io.shmipc.log;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicBoolean;

import static io.shmipc.layout.LogBufferDescriptor.*;
import static org.junit.jupiter.api.Assertions.*;

/**
 * An untethered reader racing a publisher that laps it all the time, in two threads over one small log: every
 * record it returns is intact (each payload byte is its message's number), because a copy the publisher overwrote
 * while it was being made fails the Oldest Position check and is never returned.
 */
class UntetheredCopyTest
{
    private static final int CAPACITY = 1024;
    private static final int MAX_MESSAGE = CAPACITY / 8;
    private static final int LENGTH = MAX_MESSAGE - 16;

    @Test
    @Timeout(60)
    void aReaderLappedWhileCopyingNeverReturnsATornRecord() throws InterruptedException
    {
        final UnsafeBuffer log = new UnsafeBuffer(ByteBuffer.allocateDirect(CAPACITY + TRAILER_LENGTH));
        final LogFailure failure = LogFailure.unmarked("test", "log");
        final LogAppender appender = new LogAppender(log, CAPACITY, MAX_MESSAGE, failure,
            (tail, extent, end) -> Long.MAX_VALUE);
        final LogReader reader = new LogReader(log, CAPACITY, MAX_MESSAGE, failure);
        final AtomicBoolean stop = new AtomicBoolean();
        final Thread publisher = new Thread(() ->
        {
            final UnsafeBuffer payload = new UnsafeBuffer(new byte[LENGTH]);
            for (long sequence = 0; !stop.get(); sequence++)
            {
                payload.setMemory(0, LENGTH, (byte)sequence);
                appender.append(TYPE_MESSAGE, payload, 0, LENGTH, 1);
            }
        }, "publisher");
        publisher.start();
        long records = 0;
        long lapped = 0;
        long torn = 0;
        reader.start(0, 0, Long.MAX_VALUE, true);
        final long start = System.nanoTime();
        final long deadline = start + 2_000_000_000L;
        final long giveUp = start + 40_000_000_000L; // a loaded machine may give the threads little time
        try
        {
            while (records < 2_000_000 && System.nanoTime() - giveUp < 0 &&
                (System.nanoTime() - deadline < 0 || records <= 1000 || lapped == 0))
            {
                final int result = reader.next();
                if (result == LogReader.LAPPED)
                {
                    lapped++;
                    final long tail = reader.tail();
                    final long sequence = reader.sequenceAt(tail);
                    if (sequence >= 0)
                    {
                        reader.skipTo(tail, sequence);
                    }
                    continue;
                }
                if (result == LogReader.RECORD)
                {
                    final byte expected = (byte)reader.recordSequence();
                    for (int i = 0; i < reader.payloadLength(); i++)
                    {
                        if (reader.recordBuffer().getByte(reader.payloadOffset() + i) != expected)
                        {
                            torn++;
                            break;
                        }
                    }
                    records++;
                    reader.consume(1);
                }
            }
        }
        finally
        {
            stop.set(true);
            publisher.join();
        }
        assertTrue(records > 1000 && lapped > 0, "records=" + records + " lapped=" + lapped);
        assertEquals(0, torn, "torn records among " + records + " (lapped " + lapped + " times)");
    }
}
