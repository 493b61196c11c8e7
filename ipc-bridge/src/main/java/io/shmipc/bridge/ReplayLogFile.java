package io.shmipc.bridge;

import org.agrona.BitUtil;
import org.agrona.IoUtil;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.IOException;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

import static io.shmipc.bridge.ReplayLogDescriptor.CAPACITY_OFFSET;
import static io.shmipc.bridge.ReplayLogDescriptor.HEADER_LENGTH;
import static io.shmipc.bridge.ReplayLogDescriptor.LOG_ID_OFFSET;
import static io.shmipc.bridge.ReplayLogDescriptor.MAGIC;
import static io.shmipc.bridge.ReplayLogDescriptor.MAGIC_OFFSET;
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
        final UnsafeBuffer header = new UnsafeBuffer(mapped);
        final int fileCapacity = header.capacity() < HEADER_LENGTH ? -1 : header.getInt(CAPACITY_OFFSET, ORDER);
        try
        {
            check(file, "length", "at least " + HEADER_LENGTH, header.capacity(), header.capacity() >= HEADER_LENGTH);
            check(file, "magic", MAGIC, header.getLong(MAGIC_OFFSET, ORDER),
                header.getLong(MAGIC_OFFSET, ORDER) == MAGIC);
            check(file, "version", VERSION, header.getInt(VERSION_OFFSET, ORDER),
                header.getInt(VERSION_OFFSET, ORDER) == VERSION);
            check(file, "capacity", "a power of two of at least " + ReplayLogDescriptor.MIN_CAPACITY +
                " matching the file length " + header.capacity(), fileCapacity,
                BitUtil.isPowerOfTwo(fileCapacity) && fileCapacity >= ReplayLogDescriptor.MIN_CAPACITY &&
                (long)fileCapacity + HEADER_LENGTH == header.capacity());
            check(file, "logId", "not 0", 0, header.getLong(LOG_ID_OFFSET, ORDER) != 0);
            return mapped;
        }
        catch (final RuntimeException ex)
        {
            IoUtil.unmap(mapped);
            throw ex;
        }
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
