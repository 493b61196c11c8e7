package io.shmipc.bridge;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A replay log on a real file: created complete, found again with its records after a restart, freed from the head
 * by acknowledgements, and refused with a message naming the field when its header or records are damaged.
 */
class ReplayLogTest
{
    private static final int CAPACITY = ReplayLogDescriptor.MIN_CAPACITY;
    private static final int MAX_MESSAGE = 1024;

    @TempDir
    Path directory;

    private final UnsafeBuffer message = new UnsafeBuffer(new byte[MAX_MESSAGE]);

    @Test
    void keepsRecordsAcrossReopenAndFreesAcknowledgedOnes()
    {
        final Path file = directory.resolve("out.replay");
        final long logId;
        try (ReplayLog log = ReplayLog.openOrCreate(file, CAPACITY, MAX_MESSAGE))
        {
            assertFalse(Files.exists(directory.resolve("out.replay.new")));
            assertEquals(CAPACITY, log.capacity());
            logId = log.logId();
            for (int i = 0; i < 5; i++)
            {
                log.append(message, 0, 100 + i);
            }
            assertEquals(5, log.nextSequence());
            assertEquals(2, log.release(2));
            assertEquals(2, log.headSequence());
        }
        try (ReplayLog log = ReplayLog.openOrCreate(file, 2 * CAPACITY, MAX_MESSAGE))
        {
            assertEquals(CAPACITY, log.capacity(), "an existing log keeps its capacity");
            assertEquals(logId, log.logId());
            assertEquals(5, log.nextSequence());
            assertEquals(2, log.headSequence());
            assertEquals(102 + FrameDescriptor.DATA_HEADER_LENGTH, log.frameLength(log.headPosition()));
            assertEquals(log.tailPosition() - log.headPosition(), ReplayLogFile.unacknowledgedBytes(file));
        }
    }

    @Test
    void anEmptyLogTakesTheCapacityAskedForAndARefusedNewOneLeavesNoFile()
    {
        final Path file = directory.resolve("out.replay");
        try (ReplayLog log = ReplayLog.openOrCreate(file, CAPACITY, MAX_MESSAGE))
        {
            log.append(message, 0, 100);
            assertEquals(1, log.release(1));
        }
        try (ReplayLog log = ReplayLog.openOrCreate(file, 2 * CAPACITY, MAX_MESSAGE))
        {
            assertEquals(2 * CAPACITY, log.capacity(), "nothing unacknowledged: made again with the new capacity");
        }
        final Path refused = directory.resolve("refused.replay");
        final BridgeException tooSmall = assertThrows(BridgeException.class,
            () -> ReplayLog.openOrCreate(refused, CAPACITY, CAPACITY / 2));
        assertTrue(tooSmall.getMessage().endsWith("raise the replay capacity)"), tooSmall.getMessage());
        assertFalse(Files.exists(refused), "a log refused as it was made is not left behind");
        try (ReplayLog log = ReplayLog.openOrCreate(refused, 16 * CAPACITY, CAPACITY / 2))
        {
            assertEquals(16 * CAPACITY, log.capacity(), "the capacity asked for next time is the one it gets");
        }
    }

    @Test
    void wrapsWithAPaddingRecord()
    {
        try (ReplayLog log = ReplayLog.openOrCreate(directory.resolve("wrap.replay"), CAPACITY, MAX_MESSAGE))
        {
            long appended = 0;
            while (log.tailPosition() <= CAPACITY)
            {
                if (log.ringRecordsThatFit(1) == 0)
                {
                    log.release(log.headSequence() + 1);
                }
                log.append(message, 0, MAX_MESSAGE - 8);
                appended++;
            }
            assertEquals(appended, log.nextSequence());
            long position = log.headPosition();
            boolean padded = false;
            while (position < log.tailPosition())
            {
                padded |= log.recordType(position) == ReplayLogDescriptor.TYPE_PADDING;
                position = log.nextPosition(position);
            }
            assertTrue(padded, "a record crossing the end is preceded by padding");
            assertTrue(log.headPosition() > 0, "acknowledged records made room");
        }
    }

    @Test
    void refusesDamagedHeaders() throws IOException
    {
        assertDamaged(ReplayLogDescriptor.MAGIC_OFFSET, 7L, "field=magic expected=" + ReplayLogDescriptor.MAGIC +
            " actual=7");
        assertDamaged(ReplayLogDescriptor.VERSION_OFFSET, 9, "field=version expected=1 actual=9");
        assertDamaged(ReplayLogDescriptor.CAPACITY_OFFSET, 4096, "field=capacity expected=a power of two of at least " +
            "65536 matching the file length " + (CAPACITY + ReplayLogDescriptor.HEADER_LENGTH) + " actual=4096");
        assertDamaged(ReplayLogDescriptor.LOG_ID_OFFSET, 0L, "field=logId expected=not 0 actual=0");
        assertDamaged(ReplayLogDescriptor.TAIL_POSITION_OFFSET, 12L, "field=tailPosition expected=at most capacity " +
            CAPACITY + " past head 0, 8-aligned actual=12");
        assertDamaged(ReplayLogDescriptor.HEAD_POSITION_OFFSET, 8L, "field=headPosition expected=0 <= head <= tail, " +
            "8-aligned actual=8 tail=0");
    }

    @Test
    void refusesDamagedRecordsAndShortFiles() throws IOException
    {
        final Path file = directory.resolve("record.replay");
        try (ReplayLog log = ReplayLog.openOrCreate(file, CAPACITY, MAX_MESSAGE))
        {
            log.append(message, 0, 10);
        }
        write(file, ReplayLogDescriptor.HEADER_LENGTH + ReplayLogDescriptor.RECORD_TYPE_OFFSET, 3);
        assertEquals("invalid bridge file: file=" + file + " field=record type at position 0 expected=1 or 2 " +
            "actual=3", assertThrows(BridgeException.class,
            () -> ReplayLog.openOrCreate(file, CAPACITY, MAX_MESSAGE)).getMessage());

        final Path shortFile = directory.resolve("short.replay");
        Files.write(shortFile, new byte[100]);
        assertEquals("invalid bridge file: file=" + shortFile + " field=length expected=at least 192 actual=100",
            assertThrows(BridgeException.class,
            () -> ReplayLog.openOrCreate(shortFile, CAPACITY, MAX_MESSAGE)).getMessage());
        assertEquals("invalid bridge file: file=" + shortFile + " field=length expected=at least 192 actual=100",
            assertThrows(BridgeException.class, () -> ReplayLogFile.unacknowledgedBytes(shortFile)).getMessage());

        final Path small = directory.resolve("small.replay");
        final BridgeException tooSmall = assertThrows(BridgeException.class,
            () -> ReplayLog.openOrCreate(small, CAPACITY, CAPACITY / 2));
        assertTrue(tooSmall.getMessage().startsWith("replay log too small for the channel's messages: file=" + small +
            " capacity=" + CAPACITY + " maxMessageLength=" + CAPACITY / 2), tooSmall.getMessage());
        assertEquals("replay capacity must be a power of two of at least 65536: replayCapacity=1000",
            assertThrows(IllegalArgumentException.class,
            () -> ReplayLog.openOrCreate(directory.resolve("odd.replay"), 1000, MAX_MESSAGE)).getMessage());
    }

    @Test
    void aRecordDamagedWhileOpenIsRefusedByTheNextReadOfIt()
    {
        final Path file = directory.resolve("live.replay");
        try (ReplayLog log = ReplayLog.openOrCreate(file, CAPACITY, MAX_MESSAGE))
        {
            for (int i = 0; i < 3; i++)
            {
                log.append(message, 0, 100);
            }
            final long second = log.nextPosition(log.headPosition());
            final int frameLengthAt = ReplayLogDescriptor.HEADER_LENGTH + (int)second +
                ReplayLogDescriptor.FRAME_LENGTH_OFFSET;
            log.buffer().putInt(frameLengthAt, 5000, ByteOrder.LITTLE_ENDIAN);
            assertEquals("invalid bridge file: file=" + file + " field=frame length at position " + second +
                " expected=16 to " + (16 + MAX_MESSAGE) + " within the buffer actual=5000",
                assertThrows(BridgeException.class, () -> log.release(3)).getMessage());
            assertEquals(0, log.headPosition(), "nothing freed past a record that cannot be right");
            log.buffer().putInt(frameLengthAt, 116, ByteOrder.LITTLE_ENDIAN);
            log.buffer().putInt(ReplayLogDescriptor.HEADER_LENGTH + (int)second, 7, ByteOrder.LITTLE_ENDIAN);
            assertEquals("invalid bridge file: file=" + file + " field=record type at position " + second +
                " expected=1 or 2 actual=7", assertThrows(BridgeException.class, () -> log.release(3)).getMessage());
            log.buffer().putInt(ReplayLogDescriptor.HEADER_LENGTH + (int)second, ReplayLogDescriptor.TYPE_MESSAGE,
                ByteOrder.LITTLE_ENDIAN);
            final int sequenceAt = log.frameOffset(second) + FrameDescriptor.SEQUENCE_OFFSET;
            log.checkFrame(second, 1);
            log.buffer().putLong(sequenceAt, 9L, ByteOrder.LITTLE_ENDIAN);
            assertEquals("invalid bridge file: file=" + file + " field=record sequence at position " + second +
                " expected=1 actual=9", assertThrows(BridgeException.class, () -> log.checkFrame(second, 1))
                .getMessage());
            log.buffer().putLong(sequenceAt, 1L, ByteOrder.LITTLE_ENDIAN);
            log.buffer().putLong(log.frameOffset(second) + FrameDescriptor.LOG_ID_OFFSET, 5L, ByteOrder.LITTLE_ENDIAN);
            assertEquals("invalid bridge file: file=" + file + " field=record log id at position " + second +
                " expected=" + log.logId() + " actual=5", assertThrows(BridgeException.class,
                () -> log.checkFrame(second, 1)).getMessage());
            assertEquals(3, log.release(3), "repaired, every message is freed");
            assertEquals(3, log.headSequence());
            assertEquals(log.tailPosition(), log.headPosition());
        }
    }

    private void assertDamaged(final int offset, final Number value, final String expected) throws IOException
    {
        final Path file = directory.resolve("damaged-" + offset + ".replay");
        ReplayLog.openOrCreate(file, CAPACITY, MAX_MESSAGE).close();
        write(file, offset, value);
        final BridgeException ex = assertThrows(BridgeException.class,
            () -> ReplayLog.openOrCreate(file, CAPACITY, MAX_MESSAGE));
        assertEquals("invalid bridge file: file=" + file + " " + expected, ex.getMessage());
        assertEquals(ex.getMessage(), assertThrows(BridgeException.class,
            () -> ReplayLogFile.unacknowledgedBytes(file)).getMessage(), "the header read by a tool, not mapped");
    }

    private static void write(final Path file, final int offset, final Number value) throws IOException
    {
        final ByteBuffer bytes = ByteBuffer.allocate(value instanceof Long ? 8 : 4).order(ByteOrder.LITTLE_ENDIAN);
        if (value instanceof Long)
        {
            bytes.putLong(0, value.longValue());
        }
        else
        {
            bytes.putInt(0, value.intValue());
        }
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE))
        {
            channel.write(bytes, offset);
        }
    }
}
