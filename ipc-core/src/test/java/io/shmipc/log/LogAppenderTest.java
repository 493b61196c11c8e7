package io.shmipc.log;

import io.shmipc.exceptions.CorruptRegionException;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;


import static io.shmipc.layout.LogBufferDescriptor.*;
import static org.junit.jupiter.api.Assertions.*;

/**
 * The publisher's steps of docs/layout.md, "Publishing" and "A new publisher", on a log over direct memory: what is
 * written where, in which order, and what a restart takes in or refuses.
 */
class LogAppenderTest
{
    private static final int CAPACITY = 1024;
    private static final int MAX_MESSAGE = CAPACITY / 8;
    private static final int TAIL = CAPACITY + TAIL_POSITION_OFFSET;
    private static final int SEQUENCE = CAPACITY + NEXT_SEQUENCE_OFFSET;
    private static final int OLDEST = CAPACITY + OLDEST_POSITION_OFFSET;
    private static final int LIMIT = CAPACITY + PUBLISHER_LIMIT_OFFSET;
    private static final int LOG2 = Integer.numberOfTrailingZeros(CAPACITY);

    private final LogRecordingBuffer buffer = new LogRecordingBuffer(CAPACITY + TRAILER_LENGTH);
    private final MarkedFailures failures = new MarkedFailures();
    private final LogFailure failure = failures.failure();
    private final UnsafeBuffer payload = new UnsafeBuffer(new byte[MAX_MESSAGE]);
    private long limit = Long.MAX_VALUE;
    private int scans;

    private LogAppender appender()
    {
        return new LogAppender(buffer, CAPACITY, MAX_MESSAGE, failure, (tail, extent, end) ->
        {
            scans++;
            buffer.putLongVolatile(LIMIT, limit); // as a scan stores it (not recorded)
            return limit;
        });
    }

    @Test
    void aRecordPreparesTheNextHeaderThenReleasesItsHeaderWordThenTheTail()
    {
        final LogAppender appender = appender();
        buffer.clear();
        assertEquals(0, appender.append(TYPE_MESSAGE, payload, 0, 20, 1));
        final int next = alignedLength(HEADER_LENGTH + 20);
        assertEquals(64, next, "36 bytes take two 32-byte slots");
        final int clean = buffer.indexOf("setMemory@" + ALIGNMENT + "+" + (CAPACITY / 8 - ALIGNMENT) + "=0");
        final int prepare = buffer.indexOf("putLong@" + next + "=0");
        final int prepareSequence = buffer.indexOf("putLong@" + (next + SEQUENCE_OFFSET) + "=1");
        final int copy = buffer.indexOf("putBytes@" + PAYLOAD_OFFSET + "+20");
        final int header = buffer.indexOf("putLongRelease@0=" + headerWord(36, 0, LOG2, TYPE_MESSAGE));
        final int tail = buffer.indexOf("putLongRelease@" + TAIL + "=64");
        final int sequence = buffer.indexOf("putLongRelease@" + SEQUENCE + "=1");
        assertTrue(clean < prepare && clean < copy, "cleaned up to the first chunk's end first: " + buffer.log());
        assertTrue(prepare < header && prepareSequence < header && copy < header, buffer.log().toString());
        assertTrue(header < tail && tail < sequence, buffer.log().toString());
        assertEquals(0, buffer.getLong(SEQUENCE_OFFSET), "the record's own sequence");
        assertEquals(64, appender.tail());
        assertEquals(1, appender.nextSequence());
    }

    @Test
    void aRecordThatDoesNotFitBeforeTheEndFollowsAPaddingRecordWhoseNextHeaderIsPreparedFirst()
    {
        final LogAppender appender = appender();
        for (int i = 0; i < 7; i++)
        {
            appender.append(TYPE_MESSAGE, payload, 0, 128 - HEADER_LENGTH, 1); // 7 x 128 = 896
        }
        buffer.clear();
        assertEquals(0, appender.append(TYPE_MESSAGE, payload, 0, 128, 1), "160 bytes do not fit in 128");
        final long padding = headerWord(128, 896, LOG2, TYPE_PADDING);
        final int paddingRelease = buffer.indexOf("putLongRelease@896=" + padding);
        assertTrue(buffer.indexOf("putLong@0=0") < paddingRelease, "index 0 prepared before the padding");
        assertTrue(buffer.indexOf("putLong@8=7") < paddingRelease, "with the next sequence");
        assertEquals(7, buffer.getLong(896 + SEQUENCE_OFFSET), "the padding's sequence is the next message's");
        assertEquals(headerWord(144, 1024, LOG2, TYPE_MESSAGE), buffer.getLongVolatile(0), "next lap's tag");
        assertEquals(1024 + 160, appender.tail());
    }

    @Test
    void theOldestPositionMovesPastWhatIsOverwrittenBeforeItIsOverwritten()
    {
        final LogAppender appender = appender();
        for (int i = 0; i < 8; i++)
        {
            appender.append(TYPE_MESSAGE, payload, 0, 128 - HEADER_LENGTH, 1);
        }
        assertEquals(128, appender.oldest(), "the eighth record's next header is in the chunk cleaned over the first");
        buffer.clear();
        appender.append(TYPE_MESSAGE, payload, 0, 128 - HEADER_LENGTH, 1); // writes 0..128, its next header at 128
        assertEquals(256, appender.oldest(), "the records at 0 and 128 are no longer intact");
        final int oldest = buffer.indexOf("putLongRelease@" + OLDEST + "=256");
        assertTrue(oldest < buffer.indexOf("setMemory@128+128=0") && oldest < buffer.indexOf("putLong@128=0") &&
            oldest < buffer.indexOf("putBytes@16"), buffer.log().toString());
        assertFalse(buffer.log().stream().anyMatch(entry -> entry.startsWith("getLong@")),
            "its own records are freed by what it remembers, not by reading their headers: " + buffer.log());
        assertEquals(256, buffer.getLongVolatile(OLDEST));
    }

    @Test
    void aRecordBeyondTheLimitIsBackPressuredAndWritesNothing()
    {
        limit = 64;
        final LogAppender appender = appender();
        buffer.clear();
        assertEquals(LogAppender.BACK_PRESSURED, appender.append(TYPE_MESSAGE, payload, 0, 40, 1),
            "64 bytes of record and the 32-byte slot of the next header reach 96");
        assertEquals(1, scans);
        assertFalse(buffer.log().stream().anyMatch(entry -> entry.startsWith("put") || entry.startsWith("set")),
            buffer.log().toString());
        assertEquals(0, appender.append(TYPE_MESSAGE, payload, 0, 16, 1), "32 + 32 fit exactly");
        assertEquals("setMemory@32+32=0", buffer.log().stream().filter(entry -> entry.startsWith("set")).findFirst()
            .orElseThrow(), "cleaned up to the limit, not to the chunk's end");
        assertEquals(1, scans, "under the cached limit: no scan");
    }

    /**
     * A subscriber joining to replay history sets bit 0 of Publisher Limit: the next append scans before it writes,
     * though its record fits under the limit held.
     */
    @Test
    void aScanRequestedInPublisherLimitIsTakenBeforeTheNextAppendWrites()
    {
        limit = 1L << 40;
        final LogAppender appender = appender();
        assertEquals(0, appender.append(TYPE_MESSAGE, payload, 0, 8, 1));
        assertEquals(1, scans, "the first append has no limit yet");
        assertEquals(32, appender.append(TYPE_MESSAGE, payload, 0, 8, 1));
        assertEquals(1, scans);
        buffer.putLongVolatile(LIMIT, limit | SCAN_REQUESTED);
        limit = 64;
        buffer.clear();
        assertEquals(LogAppender.BACK_PRESSURED, appender.append(TYPE_MESSAGE, payload, 0, 8, 1),
            "the scan found the limit lowered to 64, below the record's end");
        assertEquals(2, scans);
        assertFalse(buffer.log().stream().anyMatch(entry -> entry.startsWith("put")), buffer.log().toString());
    }

    @Test
    void anAbortedClaimLeavesTheTailSoTheNextRecordTakesItsPlace()
    {
        final LogAppender appender = appender();
        final int claimed = appender.claim(8);
        assertEquals(PAYLOAD_OFFSET, claimed);
        assertTrue(appender.isClaimHeld());
        buffer.putLong(claimed, 99);
        appender.abortClaim();
        assertEquals(0, buffer.getLongVolatile(0), "never delivered: the header word stays 0");
        assertEquals(0, appender.append(TYPE_MESSAGE, payload, 0, 8, 1));
        final int committed = appender.claim(8);
        appender.commitClaim();
        assertEquals(32 + PAYLOAD_OFFSET, committed);
        assertEquals(2, appender.nextSequence());
    }

    @Test
    void aNewPublisherTakesInARecordItsPredecessorCommittedButDidNotCount()
    {
        final LogAppender first = appender();
        first.append(TYPE_MESSAGE, payload, 0, 8, 1);
        first.append(TYPE_MESSAGE, payload, 0, 8, 1);
        buffer.putLong(TAIL, 32); // the predecessor died after releasing the second header, before the tail
        buffer.putLong(SEQUENCE, 1);
        final LogAppender next = appender();
        assertEquals(1, next.recordsTakenIn());
        assertEquals(64, next.tail());
        assertEquals(2, next.nextSequence());
        assertEquals(64, buffer.getLongVolatile(TAIL));
        assertEquals(2, buffer.getLongVolatile(SEQUENCE));
        next.append(TYPE_MESSAGE, payload, 0, 8, 1);
        assertEquals(2, buffer.getLong(64 + SEQUENCE_OFFSET));
    }

    @Test
    void aHalfWrittenRecordOfADeadPublisherIsOverwrittenNotTakenIn()
    {
        final LogAppender first = appender();
        first.append(TYPE_MESSAGE, payload, 0, 8, 1);
        first.claim(100); // dies holding the claim: its header word stays 0
        final LogAppender next = appender();
        assertEquals(0, next.recordsTakenIn());
        assertEquals(32, next.tail());
        assertEquals(32, next.append(TYPE_MESSAGE, payload, 0, 8, 1));
    }

    /**
     * A predecessor's records are freed by their header words: one that cannot be right fails the channel.
     */
    @Test
    void aGarbageHeaderAtTheOldestPositionIsCorruptionNotAStall()
    {
        final LogAppender first = appender();
        for (int i = 0; i < 8; i++)
        {
            first.append(TYPE_MESSAGE, payload, 0, 128 - HEADER_LENGTH, 1);
        }
        buffer.putLong(128, headerWord(5000, 128, LOG2, TYPE_MESSAGE));
        final LogAppender next = appender();
        final CorruptRegionException refused = assertThrows(CorruptRegionException.class,
            () -> next.append(TYPE_MESSAGE, payload, 0, 128 - HEADER_LENGTH, 1));
        assertEquals("channel[log].log.record", refused.field());
    }

    /**
     * Records of every length, paddings, aborted claims and a restart, over many laps: after every append the
     * Oldest Position is a record boundary from which the records run intact up to the tail, and the log holds its
     * capacity less at most a cleaning chunk and the record being written.
     */
    @Test
    void fromTheOldestPositionTheRecordsRunIntactToTheTail()
    {
        buffer.recording(false);
        final java.util.Random random = new java.util.Random(42);
        LogAppender appender = appender();
        for (int i = 0; i < 5_000; i++)
        {
            if (i == 2_500)
            {
                appender = appender(); // a restart: what the first one wrote is freed by its headers
            }
            final int length = random.nextInt(MAX_MESSAGE + 1);
            if (random.nextInt(10) == 0)
            {
                appender.claim(length);
                appender.abortClaim();
                continue;
            }
            assertTrue(appender.append(TYPE_MESSAGE, payload, 0, length, 1) >= 0);
            final long tail = appender.tail();
            long position = appender.oldest();
            assertEquals(position, buffer.getLongVolatile(OLDEST));
            assertTrue(tail < CAPACITY ||
                tail - position >= CAPACITY - CAPACITY / 8 - 2 * alignedLength(HEADER_LENGTH + MAX_MESSAGE),
                "held " + (tail - position) + " bytes after append " + i);
            while (position < tail)
            {
                final long word = buffer.getLongVolatile((int)position & (CAPACITY - 1));
                assertTrue(LogRecords.isRecordFor(word, position, LOG2, CAPACITY, HEADER_LENGTH + MAX_MESSAGE),
                    "append " + i + ": " + LogRecords.describe(word, position) + ", oldest " + appender.oldest() +
                    ", tail " + tail);
                position += LogRecords.span(word);
            }
            assertEquals(tail, position, "append " + i);
        }
    }

    @Test
    void thePublisherNoticesAPositionSomeoneElseWrote()
    {
        final LogAppender appender = appender();
        appender.append(TYPE_MESSAGE, payload, 0, 8, 1);
        appender.checkPositions();
        buffer.putLong(OLDEST, 16);
        final CorruptRegionException refused = assertThrows(CorruptRegionException.class, appender::checkPositions);
        assertEquals("channel[log].log.oldestPosition", refused.field());
        assertEquals("16", refused.actual());
    }
}
