package io.shmipc.bridge;

import io.shmipc.RegionLocation;
import org.agrona.IoUtil;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.status.CountersReader;

import java.io.IOException;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;
import java.util.function.Predicate;
import java.util.stream.Stream;

import static io.shmipc.bridge.BridgeCountersDescriptor.HEADER_LENGTH;

/**
 * A read-only view of a running bridge's counters file, for tools ({@code shm-ipc stat}) and tests. Every header
 * field is checked against the file's length before use, and a file truncated under the view is reported as a
 * {@link BridgeException} naming {@code file.size}, never as a fault of the JVM.
 */
public final class BridgeInspector implements AutoCloseable
{
    private final Path file;
    private final MappedByteBuffer mapped;
    private final UnsafeBuffer header;
    private final CountersReader reader;

    private BridgeInspector(final Path file, final MappedByteBuffer mapped)
    {
        this.file = file;
        this.mapped = mapped;
        final UnsafeBuffer whole = new UnsafeBuffer(mapped);
        this.header = new UnsafeBuffer(mapped, 0, Math.min(HEADER_LENGTH, whole.capacity()));
        final ByteOrder order = ByteOrder.LITTLE_ENDIAN;
        check(whole.capacity() >= HEADER_LENGTH, "length", "at least " + HEADER_LENGTH, whole.capacity());
        check(header.getLong(BridgeCountersDescriptor.MAGIC_OFFSET, order) == BridgeCountersDescriptor.MAGIC,
            "magic", BridgeCountersDescriptor.MAGIC, header.getLong(BridgeCountersDescriptor.MAGIC_OFFSET, order));
        final int version = header.getIntVolatile(BridgeCountersDescriptor.VERSION_OFFSET);
        check(version == BridgeCountersDescriptor.VERSION, "version", BridgeCountersDescriptor.VERSION +
            " (0 while the bridge starts)", version);
        final int metadataLength = header.getInt(BridgeCountersDescriptor.METADATA_LENGTH_OFFSET, order);
        final int valuesLength = header.getInt(BridgeCountersDescriptor.VALUES_LENGTH_OFFSET, order);
        check(valuesLength > 0 && valuesLength % 128 == 0 && metadataLength == valuesLength * 4 &&
            (long)HEADER_LENGTH + metadataLength + valuesLength <= whole.capacity(), "counters lengths",
            "metadata = 4 x values, within the file of " + whole.capacity() + " bytes",
            "metadata=" + metadataLength + " values=" + valuesLength);
        this.reader = new CountersReader(new UnsafeBuffer(mapped, HEADER_LENGTH, metadataLength),
            new UnsafeBuffer(mapped, HEADER_LENGTH + metadataLength, valuesLength));
    }

    /**
     * Open a bridge's counters file.
     *
     * @param home the bridge's home directory.
     * @return the inspector.
     * @throws BridgeException when the file is missing or invalid, naming the field.
     */
    public static BridgeInspector open(final Path home)
    {
        final Path file = home.resolve("counters");
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ))
        {
            final MappedByteBuffer mapped = channel.map(FileChannel.MapMode.READ_ONLY, 0, channel.size());
            try
            {
                return new BridgeInspector(file, mapped);
            }
            catch (final RuntimeException ex)
            {
                IoUtil.unmap(mapped);
                throw ex;
            }
            catch (final InternalError fault)
            {
                IoUtil.unmap(mapped);
                throw truncatedOr(file, mapped.capacity(), fault);
            }
        }
        catch (final IOException ex)
        {
            throw new BridgeException(null, "cannot open bridge counters: file=" + file + ": " + ex.getMessage(), ex);
        }
    }

    /**
     * The home directories of the bridges of a region that have a counters file: the siblings of the region
     * named {@code <region>.bridge-<name>} (see {@link BridgeConfig#defaultHome}).
     *
     * @param region the region.
     * @return directories, sorted by name.
     */
    public static List<Path> homesOf(final RegionLocation region)
    {
        return homes(region, home -> Files.isRegularFile(home.resolve("counters")));
    }

    /**
     * The home directories of the bridges of a region that are not running but left replay logs behind: no counters
     * file (a bridge deletes it when it stops), one or more {@code *.replay} files.
     *
     * @param region the region.
     * @return directories, sorted by name.
     */
    public static List<Path> stoppedHomesOf(final RegionLocation region)
    {
        return homes(region, home -> !Files.exists(home.resolve("counters")) && !replayLogs(home).isEmpty());
    }

    /**
     * What each replay log in a bridge's home holds unacknowledged, read from its header (checked) without mapping
     * it: a stopped bridge's messages that a bridge of the same name started again sends first.
     *
     * @param home the bridge's home directory.
     * @return the log's file name to the bytes of its records not yet acknowledged, by file name.
     * @throws BridgeException naming the file and field when a log's header is invalid or cannot be read.
     */
    public static Map<String, Long> unacknowledgedBytes(final Path home)
    {
        final Map<String, Long> logs = new LinkedHashMap<>();
        for (final Path log : replayLogs(home))
        {
            logs.put(log.getFileName().toString(), ReplayLogFile.unacknowledgedBytes(log));
        }
        return logs;
    }

    private static List<Path> replayLogs(final Path home)
    {
        try (Stream<Path> entries = Files.list(home))
        {
            return entries.filter(path -> path.getFileName().toString().endsWith(".replay"))
                .filter(Files::isRegularFile)
                .sorted()
                .toList();
        }
        catch (final IOException ex)
        {
            throw new BridgeException(null, "cannot list replay logs: directory=" + home + ": " + ex.getMessage(),
                ex);
        }
    }

    private static List<Path> homes(final RegionLocation region, final Predicate<Path> wanted)
    {
        final Path parent = region.path().getParent();
        final String prefix = region.path().getFileName() + ".bridge-";
        final List<Path> homes = new ArrayList<>();
        if (parent == null || !Files.isDirectory(parent))
        {
            return homes;
        }
        try (Stream<Path> entries = Files.list(parent))
        {
            entries.filter(path -> path.getFileName().toString().startsWith(prefix))
                .filter(Files::isDirectory)
                .filter(wanted)
                .sorted()
                .forEach(homes::add);
        }
        catch (final IOException ex)
        {
            throw new BridgeException(region.toString(), "cannot list bridges: directory=" + parent + ": " +
                ex.getMessage(), ex);
        }
        return homes;
    }

    /**
     * The counters file.
     *
     * @return the path.
     */
    public Path file()
    {
        return file;
    }

    /**
     * The bridge's process id.
     *
     * @return the pid.
     * @throws BridgeException naming {@code file.size} when the file was truncated under this view.
     */
    public long pid()
    {
        return read(() -> header.getInt(BridgeCountersDescriptor.PID_OFFSET, ByteOrder.LITTLE_ENDIAN));
    }

    /**
     * When the bridge last showed it runs (every 100 ms while it does).
     *
     * @return ms since the epoch.
     * @throws BridgeException naming {@code file.size} when the file was truncated under this view.
     */
    public long heartbeatMs()
    {
        return read(() -> header.getLongVolatile(BridgeCountersDescriptor.HEARTBEAT_OFFSET));
    }

    /**
     * Every counter, by label, in allocation order.
     *
     * @return label to value.
     * @throws BridgeException naming {@code file.size} when the file was truncated under this view.
     */
    public Map<String, Long> counters()
    {
        try
        {
            final Map<String, Long> counters = new LinkedHashMap<>();
            reader.forEach((value, counterId, label) -> counters.put(label, value));
            // Asked after the reads, a system call: a fault they met that HotSpot reports late is raised by then.
            MappedFiles.checkWhole(file, mapped.capacity());
            return counters;
        }
        catch (final InternalError fault)
        {
            throw truncatedOr(file, mapped.capacity(), fault);
        }
    }

    /**
     * One read of the header, then the file's length asked (see {@link #counters()}).
     */
    private long read(final LongSupplier field)
    {
        try
        {
            final long value = field.getAsLong();
            MappedFiles.checkWhole(file, mapped.capacity());
            return value;
        }
        catch (final InternalError fault)
        {
            throw truncatedOr(file, mapped.capacity(), fault);
        }
    }

    /**
     * A fault reading the mapping: the typed error naming the file's truncation when it is shorter than the mapping,
     * else one naming the fault.
     */
    private static BridgeException truncatedOr(final Path file, final long mappedLength, final InternalError fault)
    {
        MappedFiles.checkWhole(file, mappedLength);
        return new BridgeException(null, "a fault reading bridge counters, the file whole: file=" + file + ": " +
            fault, fault);
    }

    /**
     * One counter by label.
     *
     * @param label e.g. {@code "out orders: sent messages"}.
     * @return its value.
     * @throws IllegalArgumentException when there is no such counter.
     */
    public long counter(final String label)
    {
        final Long value = counters().get(label);
        if (value == null)
        {
            throw new IllegalArgumentException("no bridge counter: label=" + label + " file=" + file);
        }
        return value;
    }

    @Override
    public void close()
    {
        IoUtil.unmap(mapped);
    }

    private void check(final boolean valid, final String field, final Object expected, final Object actual)
    {
        if (!valid)
        {
            throw BridgeException.corrupt(file, field, expected, actual);
        }
    }
}
