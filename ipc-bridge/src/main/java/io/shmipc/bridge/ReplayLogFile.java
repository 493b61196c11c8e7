package io.shmipc.bridge;

import org.agrona.BitUtil;
import org.agrona.IoUtil;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

import static io.shmipc.bridge.ReplayLogDescriptor.ALIGNMENT;
import static io.shmipc.bridge.ReplayLogDescriptor.CAPACITY_OFFSET;
import static io.shmipc.bridge.ReplayLogDescriptor.HEADER_LENGTH;
import static io.shmipc.bridge.ReplayLogDescriptor.HEAD_POSITION_OFFSET;
import static io.shmipc.bridge.ReplayLogDescriptor.LOG_ID_OFFSET;
import static io.shmipc.bridge.ReplayLogDescriptor.MAGIC;
import static io.shmipc.bridge.ReplayLogDescriptor.MAGIC_OFFSET;
import static io.shmipc.bridge.ReplayLogDescriptor.TAIL_POSITION_OFFSET;
import static io.shmipc.bridge.ReplayLogDescriptor.VERSION;
import static io.shmipc.bridge.ReplayLogDescriptor.VERSION_OFFSET;

/**
 * A replay log's file (see {@link ReplayLogDescriptor}): created complete under a temporary name and only then given
 * its own, mapped, and its header checked against the file's length before {@link ReplayLog} reads any record. A
 * bad field is a {@link BridgeException} naming it.
 */
final class ReplayLogFile
{
    private static final ByteOrder ORDER = ByteOrder.LITTLE_ENDIAN;

    private ReplayLogFile()
    {
    }

    /**
     * Map the log in {@code file}, creating it when absent, and check its header. An existing log keeps its own
     * capacity.
     *
     * @param file     the file.
     * @param capacity capacity of a new log: a power of two of at least 64 KiB.
     * @return the whole file, mapped, its magic, version, capacity and log id checked.
     */
    static MappedByteBuffer openOrCreate(final Path file, final int capacity)
    {
        if (!Files.exists(file))
        {
            create(file, capacity);
        }
        final MappedByteBuffer mapped = map(file);
        try
        {
            checkHeader(file, new UnsafeBuffer(mapped), mapped.capacity());
            return mapped;
        }
        catch (final RuntimeException ex)
        {
            IoUtil.unmap(mapped);
            throw ex;
        }
    }

    /**
     * Read a log's header without mapping the file (a tool's view of a stopped bridge's log): what it still holds
     * unacknowledged, from its checked head and tail positions.
     *
     * @param file the file.
     * @return bytes between the head and the tail: records not yet acknowledged by the receiving bridge.
     * @throws BridgeException naming the field when the header breaks a rule, or the file cannot be read.
     */
    static long unacknowledgedBytes(final Path file)
    {
        final ByteBuffer bytes = ByteBuffer.allocate(HEADER_LENGTH).order(ORDER);
        final long length;
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ))
        {
            length = channel.size();
            int read;
            do
            {
                read = channel.read(bytes, bytes.position()); // until the header is in, or the file ends
            }
            while (read > 0 && bytes.hasRemaining());
        }
        catch (final IOException ex)
        {
            throw new BridgeException(null, "cannot read replay log: file=" + file + ": " + ex.getMessage(), ex);
        }
        final UnsafeBuffer header = new UnsafeBuffer(bytes.array(), 0, bytes.position());
        checkHeader(file, header, length);
        final long head = header.getLong(HEAD_POSITION_OFFSET, ORDER);
        final long tail = header.getLong(TAIL_POSITION_OFFSET, ORDER);
        checkPositions(file, head, tail, header.getInt(CAPACITY_OFFSET, ORDER));
        return tail - head;
    }

    /**
     * Check a log's magic, version, capacity (against the file's length) and log id.
     *
     * @param file   the file.
     * @param header its first bytes, as many as the file has up to {@link ReplayLogDescriptor#HEADER_LENGTH}.
     * @param length the file's length.
     */
    private static void checkHeader(final Path file, final UnsafeBuffer header, final long length)
    {
        check(file, "length", "at least " + HEADER_LENGTH, length, header.capacity() >= HEADER_LENGTH);
        check(file, "magic", MAGIC, header.getLong(MAGIC_OFFSET, ORDER), header.getLong(MAGIC_OFFSET, ORDER) == MAGIC);
        check(file, "version", VERSION, header.getInt(VERSION_OFFSET, ORDER),
            header.getInt(VERSION_OFFSET, ORDER) == VERSION);
        final int fileCapacity = header.getInt(CAPACITY_OFFSET, ORDER);
        check(file, "capacity", "a power of two of at least " + ReplayLogDescriptor.MIN_CAPACITY +
            " matching the file length " + length, fileCapacity,
            BitUtil.isPowerOfTwo(fileCapacity) && fileCapacity >= ReplayLogDescriptor.MIN_CAPACITY &&
            (long)fileCapacity + HEADER_LENGTH == length);
        check(file, "logId", "not 0", 0, header.getLong(LOG_ID_OFFSET, ORDER) != 0);
    }

    /**
     * Check a log's head and tail positions: the head at or behind the tail, the tail at most a capacity ahead of it,
     * both 8-aligned.
     *
     * @param file     the file.
     * @param head     Head Position.
     * @param tail     Tail Position.
     * @param capacity the log's capacity.
     */
    static void checkPositions(final Path file, final long head, final long tail, final int capacity)
    {
        check(file, "headPosition", "0 <= head <= tail, 8-aligned", head + " tail=" + tail,
            head >= 0 && head <= tail && (head & (ALIGNMENT - 1)) == 0);
        check(file, "tailPosition", "at most capacity " + capacity + " past head " + head + ", 8-aligned", tail,
            tail - head <= capacity && (tail & (ALIGNMENT - 1)) == 0);
    }

    private static void create(final Path file, final int capacity)
    {
        if (!BitUtil.isPowerOfTwo(capacity) || capacity < ReplayLogDescriptor.MIN_CAPACITY)
        {
            throw new IllegalArgumentException("replay capacity must be a power of two of at least " +
                ReplayLogDescriptor.MIN_CAPACITY + ": replayCapacity=" + capacity);
        }
        final Path partial = file.resolveSibling(file.getFileName() + ".new");
        try (FileChannel channel = FileChannel.open(partial, StandardOpenOption.CREATE_NEW, StandardOpenOption.READ,
            StandardOpenOption.WRITE))
        {
            final MappedByteBuffer mapped = channel.map(FileChannel.MapMode.READ_WRITE, 0, HEADER_LENGTH + capacity);
            final UnsafeBuffer header = new UnsafeBuffer(mapped);
            header.putLong(LOG_ID_OFFSET, FrameDescriptor.randomId(), ORDER);
            header.putInt(CAPACITY_OFFSET, capacity, ORDER);
            header.putInt(VERSION_OFFSET, VERSION, ORDER);
            header.putLong(MAGIC_OFFSET, MAGIC, ORDER);
            IoUtil.unmap(mapped);
            // Complete before it has its name: a bridge killed while creating leaves no half-written log.
            Files.move(partial, file);
        }
        catch (final IOException ex)
        {
            throw new BridgeException(null, "cannot create replay log: file=" + file + ": " + ex.getMessage(), ex);
        }
    }

    private static MappedByteBuffer map(final Path file)
    {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE))
        {
            return channel.map(FileChannel.MapMode.READ_WRITE, 0, channel.size());
        }
        catch (final IOException ex)
        {
            throw new BridgeException(null, "cannot open replay log: file=" + file + ": " + ex.getMessage(), ex);
        }
    }

    /**
     * Refuse a field of the file that breaks its rule.
     *
     * @param file     the file.
     * @param field    the field.
     * @param expected what the rule wants.
     * @param actual   what the file holds.
     * @param valid    whether the rule holds.
     * @throws BridgeException naming the field when it does not.
     */
    static void check(final Path file, final String field, final Object expected, final Object actual,
        final boolean valid)
    {
        if (!valid)
        {
            throw BridgeException.corrupt(file, field, expected, actual);
        }
    }
}
