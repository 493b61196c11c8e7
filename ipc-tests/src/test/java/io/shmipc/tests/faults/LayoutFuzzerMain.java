package io.shmipc.tests.faults;

import io.shmipc.ChannelSpec;
import io.shmipc.ChannelKind;
import io.shmipc.Claim;
import io.shmipc.Publisher;
import io.shmipc.Region;
import io.shmipc.RegionConfig;
import io.shmipc.RegionInspector;
import io.shmipc.RegionLocation;
import io.shmipc.Regions;
import io.shmipc.Subscriber;
import io.shmipc.exceptions.ShmIpcException;
import io.shmipc.layout.ChannelDescriptor;
import io.shmipc.layout.ChannelLayout;
import io.shmipc.layout.EndpointDescriptor;
import io.shmipc.layout.LayoutReader;
import io.shmipc.layout.RegionHeaderDescriptor;
import io.shmipc.layout.RegionLayout;
import io.shmipc.tests.support.ChildSupport;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * Random-mutation fuzz of region files: a template region with traffic in all three channel kinds (wrapped rings,
 * a lapped broadcast buffer, a consumed head, an uncommitted claim of a dead publisher) is copied, corrupted in
 * its header, directory, control blocks, endpoint tables, Agrona trailers or records (or resized), and then
 * attached, polled, published to and inspected. Each attempt must either work or throw a
 * {@link ShmIpcException}; anything else is counted as bad and printed with its seed, iteration and mutations.
 * A watchdog halts the JVM (exit status 3) when one iteration takes longer than {@link #HANG_SECONDS}.
 * <p>
 * Arguments: work directory, seed, iterations. Prints {@code SEED <seed>}, {@code BAD ...} lines and
 * {@code FUZZ DONE iterations=.. worked=.. typed=.. bad=.. elapsedMs=.. outcomes={...}}; exit status 0 when
 * nothing was bad, 1 otherwise.
 */
public final class LayoutFuzzerMain
{
    private static final int HANG_SECONDS = 10;
    private static final int MAX_BAD_REPORTS = 10;
    private static final int CAPACITY = 4096;
    private static final int[] INTERESTING_INTS = {
        0, 1, -1, 2, 3, 7, 8, 9, 16, 64, 127, 128, 255, 4095, 4096, 4097, CAPACITY - 8, CAPACITY + 8,
        CAPACITY * 2, 1 << 20, Integer.MAX_VALUE, Integer.MIN_VALUE, Integer.MAX_VALUE - 7, -8, -4096 };
    private static final long[] INTERESTING_LONGS = {
        0, 1, -1, 8, CAPACITY, CAPACITY - 8, 1L << 32, (1L << 32) - 8, Long.MAX_VALUE, Long.MIN_VALUE,
        Long.MAX_VALUE - 7, -CAPACITY };

    private final Random random;
    private final Path file;
    private final RegionLocation location;
    private final byte[] template;
    private final List<int[]> areas = new ArrayList<>();
    private final List<String> areaNames = new ArrayList<>();
    private final UnsafeBuffer message = new UnsafeBuffer(new byte[64]);
    private final Claim claim = new Claim();
    private final Map<String, Integer> outcomes = new TreeMap<>();
    private volatile long iteration;
    private volatile String mutations = "";
    private long checksum;

    private LayoutFuzzerMain(final Path directory, final long seed) throws IOException
    {
        this.random = new Random(seed);
        this.file = directory.resolve("fuzzed");
        this.location = RegionLocation.file(file);
        this.template = buildTemplate(RegionLocation.file(directory.resolve("template")));
        planAreas();
    }

    public static void main(final String[] args) throws IOException
    {
        final Path directory = Path.of(args[0]);
        final long seed = Long.parseLong(args[1]);
        final long iterations = Long.parseLong(args[2]);
        ChildSupport.println("SEED " + seed);
        final LayoutFuzzerMain fuzzer = new LayoutFuzzerMain(directory, seed);
        fuzzer.startWatchdog();
        final long start = System.nanoTime();
        int bad = 0;
        int worked = 0;
        for (long i = 0; i < iterations; i++)
        {
            fuzzer.iteration = i;
            final String outcome = fuzzer.runOnce();
            fuzzer.outcomes.merge(outcome, 1, Integer::sum);
            if (outcome.equals("worked"))
            {
                worked++;
            }
            else if (outcome.startsWith("BAD "))
            {
                bad++;
            }
        }
        final long typed = iterations - worked - bad;
        ChildSupport.println("FUZZ DONE iterations=" + iterations + " worked=" + worked + " typed=" + typed + " bad=" +
            bad + " elapsedMs=" + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start) + " checksum=" +
            fuzzer.checksum + " outcomes=" + fuzzer.outcomes);
        System.exit(bad == 0 ? 0 : 1);
    }

    private String runOnce()
    {
        final byte[] bytes = template.clone();
        final StringBuilder description = new StringBuilder();
        int length = bytes.length;
        final int count = 1 + random.nextInt(4);
        for (int i = 0; i < count; i++)
        {
            if (random.nextInt(20) == 0)
            {
                length = random.nextBoolean() ? random.nextInt(bytes.length) : bytes.length + 4096;
                description.append("fileLength=").append(length).append("; ");
            }
            else
            {
                mutate(bytes, description);
            }
        }
        mutations = description.toString();
        try
        {
            write(bytes, length);
            exercise();
            return "worked";
        }
        catch (final ShmIpcException ex)
        {
            return ex.getClass().getSimpleName();
        }
        catch (final Throwable ex)
        {
            final String outcome = "BAD " + ex.getClass().getName();
            if (outcomes.getOrDefault(outcome, 0) < MAX_BAD_REPORTS)
            {
                ChildSupport.println("BAD iteration=" + iteration + " mutations=[" + mutations + "] " + ex);
                ex.printStackTrace(System.out);
            }
            return outcome;
        }
    }

    private void exercise()
    {
        try (Region region = Region.attach(location, Duration.ZERO))
        {
            for (final ChannelSpec channel : region.channels())
            {
                try (Subscriber subscriber = region.subscriber(channel.name());
                    Publisher publisher = region.publisher(channel.name()))
                {
                    for (int i = 0; i < 3; i++)
                    {
                        subscriber.poll(this::onMessage, 8);
                    }
                    publisher.offer(message, 0, Math.min(message.capacity(), publisher.maxMessageLength()));
                    if (publisher.tryClaim(8, claim) == Publisher.OK)
                    {
                        claim.buffer().putLong(claim.offset(), iteration);
                        claim.commit();
                    }
                    subscriber.poll(this::onMessage, 8);
                    checksum += subscriber.unblockedRecords() + subscriber.lostMessages() +
                        subscriber.connectedPublishers() + (publisher.isConsumerAlive() ? 1 : 0);
                }
            }
        }
        try (RegionInspector inspector = RegionInspector.open(location))
        {
            checksum += inspector.channels().size();
        }
        checksum += Regions.summarize(location).size();
    }

    /**
     * A handler as an application writes one: it reads every byte it is given.
     */
    private void onMessage(final DirectBuffer buffer, final int offset, final int length)
    {
        for (int i = 0; i < length; i++)
        {
            checksum += buffer.getByte(offset + i);
        }
    }

    private void mutate(final byte[] bytes, final StringBuilder description)
    {
        final int area = random.nextInt(areas.size());
        final int start = areas.get(area)[0];
        final int end = areas.get(area)[1];
        final UnsafeBuffer buffer = new UnsafeBuffer(bytes);
        int offset = start + random.nextInt(end - start);
        description.append(areaNames.get(area)).append('@').append(offset);
        switch (random.nextInt(5))
        {
            case 0:
                final int bit = random.nextInt(8);
                bytes[offset] ^= (byte)(1 << bit);
                description.append(" flip bit ").append(bit);
                break;
            case 1:
                bytes[offset] = (byte)random.nextInt(256);
                description.append(" byte=").append(bytes[offset]);
                break;
            case 2:
                offset = Math.min(offset & ~3, bytes.length - Integer.BYTES);
                final int intValue = random.nextBoolean() ?
                    INTERESTING_INTS[random.nextInt(INTERESTING_INTS.length)] : random.nextInt();
                buffer.putInt(offset, intValue);
                description.append(" int@").append(offset).append('=').append(intValue);
                break;
            case 3:
                offset = Math.min(offset & ~7, bytes.length - Long.BYTES);
                final long longValue = random.nextBoolean() ?
                    INTERESTING_LONGS[random.nextInt(INTERESTING_LONGS.length)] : random.nextLong();
                buffer.putLong(offset, longValue);
                description.append(" long@").append(offset).append('=').append(longValue);
                break;
            default:
                offset = Math.min(offset & ~7, bytes.length - Long.BYTES);
                final long delta = (random.nextInt(17) - 8) * 8L * (random.nextBoolean() ? 1 : CAPACITY / 8);
                buffer.putLong(offset, buffer.getLong(offset) + delta);
                description.append(" long@").append(offset).append("+=").append(delta);
                break;
        }
        description.append("; ");
    }

    private void write(final byte[] bytes, final int length) throws IOException
    {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
            StandardOpenOption.TRUNCATE_EXISTING))
        {
            final ByteBuffer content = ByteBuffer.wrap(bytes, 0, Math.min(length, bytes.length));
            while (content.hasRemaining())
            {
                channel.write(content);
            }
            if (length > bytes.length)
            {
                channel.write(ByteBuffer.allocate(1), length - 1);
            }
        }
    }

    private static byte[] buildTemplate(final RegionLocation location) throws IOException
    {
        final RegionConfig config = RegionConfig.builder(location)
            .channel("o2o", ChannelKind.ONE_TO_ONE, CAPACITY)
            .channel("m2o", ChannelKind.MANY_TO_ONE, CAPACITY)
            .channel("bc", ChannelKind.BROADCAST, CAPACITY)
            .build();
        final UnsafeBuffer source = new UnsafeBuffer(new byte[256]);
        final Claim held = new Claim();
        try (Region region = Region.create(config);
            Publisher oneToOne = region.publisher("o2o");
            Subscriber oneToOneSubscriber = region.subscriber("o2o");
            Publisher manyToOne = region.publisher("m2o");
            Subscriber manyToOneSubscriber = region.subscriber("m2o");
            Publisher broadcast = region.publisher("bc");
            Subscriber broadcastSubscriber = region.subscriber("bc"))
        {
            // Enough traffic of varied lengths for the rings to wrap (padding records) and the broadcast to lap.
            for (int i = 0; i < 200; i++)
            {
                final int length = 1 + (i * 37) % 200;
                source.putInt(0, i);
                oneToOne.offer(source, 0, length);
                manyToOne.offer(source, 0, length);
                broadcast.offer(source, 0, length);
                if (i < 190)
                {
                    oneToOneSubscriber.poll((buffer, offset, messageLength) -> { }, 1);
                    manyToOneSubscriber.poll((buffer, offset, messageLength) -> { }, 1);
                }
            }
            broadcastSubscriber.poll((buffer, offset, messageLength) -> { }, 100);
            // An uncommitted claim whose owner is gone in every copy: the subscriber unblocks it.
            if (manyToOne.tryClaim(32, held) != Publisher.OK)
            {
                throw new IllegalStateException("template claim failed");
            }
            final byte[] bytes = Files.readAllBytes(location.path());
            held.abort();
            return bytes;
        }
        finally
        {
            Region.delete(location);
        }
    }

    private void planAreas()
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(template);
        final LayoutReader.Header header = LayoutReader.validateHeader(buffer, template.length, "template");
        final RegionLayout layout = LayoutReader.readDirectory(
            new UnsafeBuffer(template, 0, header.metadataLength()), header, "template");
        addArea("header", 0, RegionHeaderDescriptor.DIRECTORY_CHANGE_COUNT_OFFSET + Integer.BYTES);
        addArea("directory", RegionHeaderDescriptor.HEADER_LENGTH,
            RegionHeaderDescriptor.HEADER_LENGTH + layout.channels().size() * 128);
        for (final ChannelLayout channel : layout.channels())
        {
            final int control = (int)channel.controlOffset();
            final int table = (int)channel.endpointTableOffset();
            final int data = (int)channel.bufferOffset();
            addArea(channel.name() + ".control", control, control + 512);
            addArea(channel.name() + ".endpoints", table, table + 4 * EndpointDescriptor.SLOT_LENGTH);
            addArea(channel.name() + ".trailer", data + channel.capacity(),
                data + channel.capacity() + ChannelDescriptor.trailerLength(channel.kind()));
            addArea(channel.name() + ".records", data, data + channel.capacity());
            // Records get more attention: twice the weight.
            addArea(channel.name() + ".records", data, data + channel.capacity());
        }
    }

    private void addArea(final String name, final int start, final int end)
    {
        areas.add(new int[]{ start, end });
        areaNames.add(name);
    }

    private void startWatchdog()
    {
        final Thread main = Thread.currentThread();
        final Thread watchdog = new Thread(() ->
        {
            long seen = -1;
            long seenAt = System.nanoTime();
            while (true)
            {
                try
                {
                    Thread.sleep(500);
                }
                catch (final InterruptedException ex)
                {
                    return;
                }
                if (iteration != seen)
                {
                    seen = iteration;
                    seenAt = System.nanoTime();
                }
                else if (System.nanoTime() - seenAt > TimeUnit.SECONDS.toNanos(HANG_SECONDS))
                {
                    final StringBuilder stack = new StringBuilder();
                    for (final StackTraceElement element : main.getStackTrace())
                    {
                        stack.append("\n\tat ").append(element);
                    }
                    ChildSupport.println("HANG iteration=" + seen + " mutations=[" + mutations + "]" + stack);
                    Runtime.getRuntime().halt(3);
                }
            }
        }, "fuzz-watchdog");
        watchdog.setDaemon(true);
        watchdog.start();
    }
}
