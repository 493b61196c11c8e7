package io.shmipc.log;

import io.shmipc.ChannelBacklog;
import io.shmipc.ChannelKind;
import io.shmipc.ChannelSpec;
import io.shmipc.channel.ChannelPeek;
import io.shmipc.exceptions.CorruptRegionException;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

import static io.shmipc.layout.LogBufferDescriptor.*;
import static org.junit.jupiter.api.Assertions.*;

/**
 * A new publisher's start on a log a predecessor left (docs/layout.md, "A new publisher"): the trailer read and
 * validated, every record committed past the tail taken in with its messages counted, and nothing stored when there
 * is nothing to take in; a peek at such a log counts the records past the tail too, as subscribers deliver them. The
 * records are written by a {@link LogAppender}, then the trailer is put back to where a predecessor that died before
 * counting them would have left it.
 */
class AppenderRestartTest
{
    private static final int CAPACITY = 1024;
    private static final int MAX_RECORD = HEADER_LENGTH + CAPACITY / 8;
    private static final int TAIL = CAPACITY + TAIL_POSITION_OFFSET;
    private static final int SEQUENCE = CAPACITY + NEXT_SEQUENCE_OFFSET;
    private static final int OLDEST = CAPACITY + OLDEST_POSITION_OFFSET;

    private final LogRecordingBuffer buffer = new LogRecordingBuffer(CAPACITY + TRAILER_LENGTH);
    private final MarkedFailures failures = new MarkedFailures();
    private final UnsafeBuffer payload = new UnsafeBuffer(new byte[CAPACITY / 8]);

    private LogAppender predecessor()
    {
        return new LogAppender(buffer, CAPACITY, CAPACITY / 8, failures.failure(),
            (tail, extent, end) -> Long.MAX_VALUE);
    }

    private AppenderRestart restart()
    {
        return new AppenderRestart(buffer, CAPACITY, MAX_RECORD, failures.failure());
    }

    /** A batch payload of {@code entries} messages of {@code length} bytes each; returns its length. */
    private int batch(final int entries, final int length)
    {
        int offset = 0;
        for (int i = 0; i < entries; i++)
        {
            payload.putInt(offset, length, ByteOrder.LITTLE_ENDIAN);
            offset += Integer.BYTES + length;
        }
        return offset;
    }

    @Test
    void aCleanLogIsTakenAsItIsAndNothingIsStored()
    {
        final LogAppender first = predecessor();
        first.append(TYPE_MESSAGE, payload, 0, 8, 1);
        first.append(TYPE_MESSAGE, payload, 0, 8, 1);
        buffer.clear();
        final AppenderRestart restart = restart();
        assertEquals(0, restart.recordsTakenIn());
        assertEquals(64, restart.tail());
        assertEquals(2, restart.nextSequence());
        assertEquals(0, restart.oldest());
        assertTrue(buffer.log().stream().noneMatch(step -> step.startsWith("put")), buffer.log().toString());
    }

    @Test
    void everyRecordCommittedPastTheTailIsTakenInWithItsMessagesCounted()
    {
        final LogAppender first = predecessor();
        first.append(TYPE_MESSAGE, payload, 0, 8, 1);
        first.append(TYPE_MESSAGE, payload, 0, 8, 1);
        final int batchLength = batch(3, 4);
        first.append(TYPE_BATCH, payload, 0, batchLength, 3);
        first.append(TYPE_MESSAGE, payload, 0, 8, 1);
        final long tail = first.tail();
        buffer.putLong(TAIL, 32); // the predecessor counted only its first record
        buffer.putLong(SEQUENCE, 1);
        final AppenderRestart restart = restart();
        assertEquals(3, restart.recordsTakenIn());
        assertEquals(tail, restart.tail());
        assertEquals(6, restart.nextSequence(), "1 + 1 + 3 (the batch) + 1");
        assertEquals(tail, buffer.getLongVolatile(TAIL));
        assertEquals(6, buffer.getLongVolatile(SEQUENCE));
    }

    @Test
    void peekCountsTheRecordsCommittedPastTheTailAsSubscribersDeliverThem()
    {
        final LogAppender first = predecessor();
        for (long value = 0; value < 3; value++)
        {
            payload.putLong(0, value);
            first.append(TYPE_MESSAGE, payload, 0, 8, 1);
        }
        buffer.putLong(TAIL, 32); // the predecessor died before counting its last two records in the tail
        buffer.putLong(SEQUENCE, 1);
        final List<Long> shown = new ArrayList<>();
        final ChannelBacklog backlog = new ChannelPeek("test",
            new ChannelSpec("log", ChannelKind.PUBLISH_SUBSCRIBE, CAPACITY, CAPACITY / 8), buffer, 10,
            (copy, offset, length) -> shown.add(copy.getLong(offset))).run();
        assertEquals(3, backlog.messages(), "what a subscriber from the oldest gets");
        assertEquals(List.of(0L, 1L, 2L), shown);
    }

    @Test
    void aPaddingRecordBeforeTheWrapIsTakenInWithoutAMessage()
    {
        final LogAppender first = predecessor();
        for (int i = 0; i < 10; i++)
        {
            first.append(TYPE_MESSAGE, payload, 0, 100, 1); // past one lap, so the buffer is full of records
        }
        final long counted = first.tail();
        final long countedSequence = first.nextSequence();
        final int length = 120;
        assertNotEquals(0, CAPACITY % alignedLength(HEADER_LENGTH + length), "records that do not fit a lap evenly");
        int messages = 0;
        boolean padded = false;
        while (!padded && messages < CAPACITY / alignedLength(HEADER_LENGTH + length) + 1)
        {
            final long before = first.tail();
            padded = first.append(TYPE_MESSAGE, payload, 0, length, 1) != (before & (CAPACITY - 1));
            messages++;
        }
        assertTrue(padded, "a record went after a padding record within a lap");
        final long tail = first.tail();
        assertTrue(tail - counted <= CAPACITY, "what is taken in is still held");
        buffer.putLong(TAIL, counted);
        buffer.putLong(SEQUENCE, countedSequence);
        final AppenderRestart restart = restart();
        assertEquals(messages + 1, restart.recordsTakenIn(), messages + " messages and the padding before the last");
        assertEquals(tail, restart.tail());
        assertEquals(countedSequence + messages, restart.nextSequence());
    }

    @Test
    void aRecordTakenInWithTheWrongSequenceFailsTheChannel()
    {
        final LogAppender first = predecessor();
        first.append(TYPE_MESSAGE, payload, 0, 8, 1);
        first.append(TYPE_MESSAGE, payload, 0, 8, 1);
        buffer.putLong(TAIL, 0);
        buffer.putLong(SEQUENCE, 0);
        buffer.putLong(32 + SEQUENCE_OFFSET, 5); // the second record, after one of sequence 0, carries 5
        final CorruptRegionException refused = assertThrows(CorruptRegionException.class, this::restart);
        assertEquals("channel[log].log.record", refused.field());
        assertEquals(List.of("log.record"), failures.marked());
    }

    /**
     * A predecessor that died between storing Tail Position and Next Sequence left the latter behind by its last
     * record's messages (a batch's too): the Sequence prepared at the tail says where the next message goes, and is
     * stored, so the next message does not reuse a sequence subscribers have delivered.
     */
    @ParameterizedTest
    @CsvSource({"1, 1", "3, 3"})
    void aNextSequenceLeftBehindByTheLastRecordIsTakenFromTheTail(final int lastMessages, final int behind)
    {
        final LogAppender first = predecessor();
        first.append(TYPE_MESSAGE, payload, 0, 8, 1);
        if (lastMessages == 1)
        {
            first.append(TYPE_MESSAGE, payload, 0, 8, 1);
        }
        else
        {
            first.append(TYPE_BATCH, payload, 0, batch(lastMessages, 4), lastMessages);
        }
        final long next = first.nextSequence();
        buffer.putLong(SEQUENCE, next - behind);
        final AppenderRestart restart = restart();
        assertEquals(0, restart.recordsTakenIn());
        assertEquals(first.tail(), restart.tail());
        assertEquals(next, restart.nextSequence());
        assertEquals(next, buffer.getLongVolatile(SEQUENCE), "stored again");
    }

    /** A Next Sequence ahead of the tail's, or further behind than one record can hold, is damage. */
    @ParameterizedTest
    @CsvSource({"1", "50", "-40", "4096", "4611686018427387904"})
    void aNextSequenceFarFromTheTailsFailsTheChannel(final long offset)
    {
        final LogAppender first = predecessor();
        for (int i = 0; i < 45; i++)
        {
            first.append(TYPE_MESSAGE, payload, 0, 8, 1);
        }
        final long wrong = first.nextSequence() + offset;
        buffer.putLong(SEQUENCE, wrong);
        final CorruptRegionException refused = assertThrows(CorruptRegionException.class, this::restart);
        assertEquals("channel[log].log.nextSequence", refused.field());
        assertEquals(Long.toString(wrong), refused.actual());
        assertEquals(List.of("log.nextSequence"), failures.marked());
    }

    @Test
    void aBatchWhoseEntriesDoNotFillItFailsTheChannel()
    {
        final LogAppender first = predecessor();
        first.append(TYPE_MESSAGE, payload, 0, 8, 1);
        final int batchLength = batch(2, 4);
        payload.putInt(Integer.BYTES + 4, 1000, ByteOrder.LITTLE_ENDIAN); // the second entry runs past the record
        first.append(TYPE_BATCH, payload, 0, batchLength, 2);
        buffer.putLong(TAIL, 32);
        buffer.putLong(SEQUENCE, 1);
        final CorruptRegionException refused = assertThrows(CorruptRegionException.class, this::restart);
        assertEquals("channel[log].log.record.batch", refused.field());
    }

    @Test
    void aNegativeNextSequenceFailsTheChannel()
    {
        buffer.putLong(SEQUENCE, -1);
        final CorruptRegionException refused = assertThrows(CorruptRegionException.class, this::restart);
        assertEquals("channel[log].log.nextSequence", refused.field());
        assertEquals("-1", refused.actual());
    }

    /**
     * Positions no publisher could have left: a tail off the record alignment, a tail more than a capacity ahead of
     * the oldest record, an oldest record past the tail, positions past 2^62 (which no channel reaches, and which
     * would overflow once a capacity is added). Each fails the channel for every endpoint, stating the rule.
     */
    @ParameterizedTest
    @CsvSource({"24, 0", "2048, 512", "64, 128", "4611686018427387920, 4611686018427387904",
        "9223372036854775792, 9223372036854775776"})
    void positionsThatCannotBeRightAreRefusedAndFailTheChannel(final long tail, final long oldest)
    {
        buffer.putLong(TAIL, tail);
        buffer.putLong(OLDEST, oldest);
        final CorruptRegionException refused = assertThrows(CorruptRegionException.class, this::restart);
        assertEquals("channel[log].log.positions", refused.field());
        assertEquals("multiples of " + ALIGNMENT + " from 0 to 2^62 with oldest <= tail <= oldest + capacity " +
            CAPACITY, refused.expected());
        assertEquals("tail=" + tail + " oldest=" + oldest, refused.actual());
        assertEquals(List.of("log.positions"), failures.marked(), "the channel is failed for every endpoint");
    }
}
