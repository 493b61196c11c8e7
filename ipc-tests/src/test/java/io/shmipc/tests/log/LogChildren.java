package io.shmipc.tests.log;

import io.shmipc.ChannelKind;
import io.shmipc.Region;
import io.shmipc.RegionConfig;
import io.shmipc.RegionLocation;
import io.shmipc.layout.DirectoryDescriptor;
import io.shmipc.layout.RegionHeaderDescriptor;
import io.shmipc.tests.support.ChildArguments;
import io.shmipc.tests.support.ChildProcesses;
import io.shmipc.toolkit.ChildProcess;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * The publish-subscribe system tests' region (one {@code PUBLISH_SUBSCRIBE} channel, {@code log}) and their child
 * processes: {@link LogSender}s and {@link LogListener}s started with the arguments every test gives, and the file
 * offsets of the channel a test corrupts.
 */
final class LogChildren implements AutoCloseable
{
    static final int MAX_PAYLOAD = 200;

    private final ChildProcesses children = new ChildProcesses();
    private final RegionLocation location;

    LogChildren(final RegionLocation location)
    {
        this.location = location;
    }

    void createRegion(final int capacity)
    {
        Region.create(RegionConfig.builder(location).channel("log", ChannelKind.PUBLISH_SUBSCRIBE, capacity).build())
            .close();
    }

    ChildProcess listener(final int id, final long count, final String... options)
    {
        return children.start(LogListener.class, arguments(List.of("id=" + id, "count=" + count), options));
    }

    ChildProcess sender(final long count, final String... options)
    {
        return children.start(LogSender.class, arguments(List.of("count=" + count, "seed=" + System.nanoTime()),
            options));
    }

    List<ChildProcess> all()
    {
        return children.all();
    }

    private String[] arguments(final List<String> own, final String... options)
    {
        final List<String> args = new ArrayList<>(List.of("region=" + ChildArguments.format(location),
            "channel=log", "maxPayload=" + MAX_PAYLOAD));
        args.addAll(own);
        args.addAll(List.of(options));
        return args.toArray(new String[0]);
    }

    /**
     * The channel's directory entry, read from the file as another language would.
     */
    ByteBuffer entry(final FileChannel file) throws IOException
    {
        final ByteBuffer entry = ByteBuffer.allocate(DirectoryDescriptor.ENTRY_LENGTH).order(ByteOrder.LITTLE_ENDIAN);
        file.read(entry, RegionHeaderDescriptor.HEADER_LENGTH);
        return entry;
    }

    /**
     * Overwrite a long of the region file, as a hostile writer would.
     */
    void writeLong(final long offset, final long value) throws IOException
    {
        try (FileChannel file = FileChannel.open(location.path(), StandardOpenOption.WRITE))
        {
            final ByteBuffer bytes = ByteBuffer.allocate(Long.BYTES).order(ByteOrder.LITTLE_ENDIAN);
            bytes.putLong(0, value);
            file.write(bytes, offset);
        }
    }

    FileChannel open() throws IOException
    {
        return FileChannel.open(location.path(), StandardOpenOption.READ);
    }

    @Override
    public void close()
    {
        children.close();
    }
}
