package io.shmipc.examples.bench;

import io.shmipc.ChannelKind;
import io.shmipc.Region;
import io.shmipc.toolkit.ChildProcess;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One one-way throughput run: a channel kind, a message length, producer and consumer processes, optionally
 * batched; run through the library ({@link LibraryRoles}) or over bare Agrona buffers ({@link BareRingRoles}).
 */
final class ThroughputCase
{
    /** Data capacity of the channel or bare buffer. */
    static final int CAPACITY = BareRingRoles.CAPACITY;
    /** Capacity of the acknowledgement channel of broadcast runs. */
    static final int ACK_CAPACITY = 1 << 16;
    /** Longest batch record of the batched case. */
    static final int BATCH_LENGTH = 4096;

    private final ChannelKind kind;
    private final int length;
    private final int producers;
    private final int consumers;
    private final int batch;
    private final boolean parkWhenBlocked;

    ThroughputCase(final ChannelKind kind, final int length, final int producers, final int consumers,
        final int batch)
    {
        this(kind, length, producers, consumers, batch, false);
    }

    private ThroughputCase(final ChannelKind kind, final int length, final int producers, final int consumers,
        final int batch, final boolean parkWhenBlocked)
    {
        this.kind = kind;
        this.length = length;
        this.producers = producers;
        this.consumers = consumers;
        this.batch = batch;
        this.parkWhenBlocked = parkWhenBlocked;
    }

    /**
     * The same case with a producer refused by back-pressure and a consumer finding nothing backing off, through
     * yielding to parking ({@link Keys#PARK_WHEN_BLOCKED}), instead of spinning: what processes that outnumber the
     * cores need.
     *
     * @return the case.
     */
    ThroughputCase parkingWhenBlocked()
    {
        return new ThroughputCase(kind, length, producers, consumers, batch, true);
    }

    /**
     * The cases run through the library and over bare buffers: one-to-one at three sizes, many-to-one with 1, 2
     * and 4 producers, broadcast to 1 and 3 receivers.
     *
     * @return the cases.
     */
    static List<ThroughputCase> common()
    {
        return List.of(
            new ThroughputCase(ChannelKind.ONE_TO_ONE, 32, 1, 1, 0),
            new ThroughputCase(ChannelKind.ONE_TO_ONE, 256, 1, 1, 0),
            new ThroughputCase(ChannelKind.ONE_TO_ONE, 4096, 1, 1, 0),
            new ThroughputCase(ChannelKind.MANY_TO_ONE, 32, 1, 1, 0),
            new ThroughputCase(ChannelKind.MANY_TO_ONE, 32, 2, 1, 0),
            new ThroughputCase(ChannelKind.MANY_TO_ONE, 32, 4, 1, 0),
            new ThroughputCase(ChannelKind.BROADCAST, 32, 1, 1, 0),
            new ThroughputCase(ChannelKind.BROADCAST, 32, 1, 3, 0));
    }

    /**
     * The batched case, beside the unbatched one-to-one 32-byte case.
     *
     * @return the case.
     */
    static ThroughputCase batched()
    {
        return new ThroughputCase(ChannelKind.ONE_TO_ONE, 32, 1, 1, BATCH_LENGTH);
    }

    int length()
    {
        return length;
    }

    String name()
    {
        final StringBuilder name = new StringBuilder(Rows.label(kind)).append(' ').append(length).append('B');
        if (producers > 1)
        {
            name.append(", ").append(producers).append(" producers");
        }
        if (kind == ChannelKind.BROADCAST)
        {
            name.append(", ").append(consumers).append(consumers == 1 ? " receiver" : " receivers");
        }
        if (kind == ChannelKind.PUBLISH_SUBSCRIBE)
        {
            name.append(", ").append(consumers).append(consumers == 1 ? " subscriber" : " subscribers");
        }
        if (batch > 0)
        {
            name.append(", batched (").append(batch).append("B records)");
        }
        if (parkWhenBlocked)
        {
            name.append(Rows.PARKED_LABEL);
        }
        return name.toString();
    }

    /**
     * The key of the bare-buffer row this case compares with (batching compares with unbatched bare rings).
     *
     * @return the key.
     */
    String ringsKey()
    {
        return Rows.throughputKey("rings", kind, length, producers, consumers);
    }

    /**
     * The case through the library, paired with its bare-ring case.
     *
     * @param scenario the scenario naming the row.
     * @return the case.
     */
    BenchCase libraryCase(final String scenario)
    {
        return new BenchCase(scenario, libraryKey(), ringsKey(), context -> List.of(runLibrary(context, scenario)));
    }

    String libraryKey()
    {
        return Rows.throughputKey(batch > 0 ? "shm-batched" : "shm", kind, length, producers, consumers) +
            (parkWhenBlocked ? Rows.PARKED_SUFFIX : "");
    }

    /**
     * Run through the library.
     *
     * @param context  the context.
     * @param scenario the scenario naming the row.
     * @return the row.
     */
    BenchResult runLibrary(final ScenarioContext context, final String scenario)
    {
        return context.runCase(scenario, name(), BenchResult.Metric.THROUGHPUT, () ->
        {
            try (Region region = context.createRegion(builder -> kind == ChannelKind.BROADCAST ?
                builder.channel(LibraryRoles.DATA_CHANNEL, kind, CAPACITY)
                    .channel(LibraryRoles.ACK_CHANNEL, ChannelKind.MANY_TO_ONE, ACK_CAPACITY) :
                builder.channel(LibraryRoles.DATA_CHANNEL, kind, CAPACITY));
                ChildGroup group = context.group())
            {
                final Map<String, String> common = Map.of(Keys.REGION, region.location().shmName(),
                    Keys.PARK_WHEN_BLOCKED, Boolean.toString(parkWhenBlocked));
                final BenchResult row = new BenchResult(scenario, name(), BenchResult.Metric.THROUGHPUT)
                    .key(libraryKey())
                    .referenceKey(ringsKey());
                return run(group, "shm", common, row);
            }
        });
    }

    /**
     * Run over bare Agrona buffers in a shared file.
     *
     * @param context  the context.
     * @param scenario the scenario naming the row.
     * @return the row.
     */
    BenchResult runRings(final ScenarioContext context, final String scenario)
    {
        return context.runCase(scenario, name(), BenchResult.Metric.THROUGHPUT, () ->
        {
            final Path file = context.createSharedFile(BareRingRoles.fileLength(2));
            try (ChildGroup group = context.group())
            {
                final Map<String, String> common = Map.of(Keys.FILE, file.toString(), Keys.KIND, kind.name());
                final BenchResult row = new BenchResult(scenario, name(), BenchResult.Metric.THROUGHPUT)
                    .key(ringsKey())
                    .referenceKey(ringsKey());
                return run(group, "rings", common, row);
            }
        });
    }

    private BenchResult run(
        final ChildGroup group, final String family, final Map<String, String> common, final BenchResult row)
        throws java.io.IOException
    {
        final long burst = kind == ChannelKind.BROADCAST ? FlowControl.burst(CAPACITY, length) : 0;
        final List<ChildProcess> consumerProcesses = new ArrayList<>();
        for (int i = 0; i < consumers; i++)
        {
            final Map<String, String> arguments = new LinkedHashMap<>(common);
            arguments.put(Keys.PRODUCERS, Integer.toString(producers));
            arguments.put(Keys.CONSUMER, Integer.toString(i));
            arguments.put(Keys.BURST, Long.toString(burst));
            consumerProcesses.add(group.start(family + "-consumer", arguments));
        }
        final List<ChildProcess> producerProcesses = new ArrayList<>();
        for (int producer = 0; producer < producers; producer++)
        {
            final Map<String, String> arguments = new LinkedHashMap<>(common);
            arguments.put(Keys.PRODUCER, Integer.toString(producer));
            arguments.put(Keys.LENGTH, Integer.toString(length));
            arguments.put(Keys.BATCH, Integer.toString(batch));
            arguments.put(Keys.BURST, Long.toString(burst));
            arguments.put(Keys.CONSUMERS, Integer.toString(consumers));
            producerProcesses.add(group.start(family + "-producer", arguments));
        }
        group.run();
        final List<Map<String, String>> producerResults = new ArrayList<>();
        for (final ChildProcess producer : producerProcesses)
        {
            producerResults.add(group.result(producer));
        }
        final List<Map<String, String>> consumerResults = new ArrayList<>();
        for (final ChildProcess consumer : consumerProcesses)
        {
            consumerResults.add(group.result(consumer));
        }
        return Rows.throughput(row, length, producerResults, consumerResults, !kind.hasSingleSubscriber());
    }
}
