package io.shmipc.examples.bench;

import io.shmipc.ChannelKind;
import io.shmipc.Region;
import io.shmipc.toolkit.ChildProcess;
import org.HdrHistogram.Histogram;
import io.aeron.driver.ThreadingMode;
import org.agrona.CloseHelper;
import org.agrona.IoUtil;

import java.util.ArrayList;
import java.io.File;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code strict}: the ring kinds against bare Agrona rings by a method the VM cannot bend. Every candidate runs the
 * same loops ({@link StrictLoops}): each side a separate JVM, busy spin without {@code Thread.onSpinWait}, every poll
 * to the end of what is readable, 300,000 warm-up and 200,000 measured round trips (throughput: the warm-up, then 2 s),
 * and the one-word floor probed by the same two processes in slices interleaved with the candidate's own, so each row
 * carries the floor of its own minutes. A row whose floor slices differ by more than {@link #FLOOR_DRIFT_LIMIT} is
 * flagged: the machine changed speed during it. Library rows are divided by the bare-ring row of the same round; with
 * {@code --rounds} the cases rotate every round, and the medians keep every round's ratio.
 */
final class StrictScenario extends Scenario
{
    static final String NAME = "strict";
    static final int LENGTH = 32;
    /** Floor slices whose p50s differ by more than this fraction flag the row. */
    static final double FLOOR_DRIFT_LIMIT = 0.20;

    private static final int WARMUP_ROUND_TRIPS = 300_000;
    private static final int MEASURED_ROUND_TRIPS = 200_000;
    private static final int SLICES = 10;
    private static final int THROUGHPUT_SLICES = 4;
    private static final int FLOOR_WARMUP = 50_000;
    private static final int FLOOR_SLICE = 10_000;
    private static final int QUICK_DIVISOR = 10;
    private static final long THROUGHPUT_NS = 2_000_000_000L;
    private static final String PING_PONG = "pingpong";
    private static final String THROUGHPUT = "throughput";
    private static final String PAIRED = "paired";
    private static final List<ChannelKind> PAIRED_KINDS =
        List.of(ChannelKind.ONE_TO_ONE, ChannelKind.MANY_TO_ONE, ChannelKind.PUBLISH_SUBSCRIBE);

    StrictScenario()
    {
        super(NAME, "ring kinds vs bare Agrona rings, 32B: no spin hint, poll to the end, floor slices in every case");
    }

    @Override
    public List<BenchCase> cases()
    {
        final List<BenchCase> cases = new ArrayList<>();
        for (final String measure : List.of(PING_PONG, THROUGHPUT))
        {
            for (final ChannelKind kind : List.of(ChannelKind.ONE_TO_ONE, ChannelKind.MANY_TO_ONE))
            {
                final String bare = key(measure, StrictRoles.BARE, kind);
                cases.add(new BenchCase(NAME, bare, null, context -> run(context, measure, kind, StrictRoles.BARE)));
                cases.add(new BenchCase(NAME, key(measure, StrictRoles.LIBRARY, kind), bare,
                    context -> run(context, measure, kind, StrictRoles.LIBRARY)));
            }
        }
        for (final String measure : List.of(PING_PONG, THROUGHPUT))
        {
            for (final ChannelKind kind : PAIRED_KINDS)
            {
                cases.add(new BenchCase(NAME, key(measure, PAIRED, kind), null,
                    context -> run(context, measure, kind, StrictRoles.BARE, StrictRoles.LIBRARY, StrictRoles.AERON)));
            }
        }
        return cases;
    }

    static String key(final String measure, final String transport, final ChannelKind kind)
    {
        return NAME + ":" + measure + ":" + transport + ":" + kind;
    }

    /**
     * One case: the candidates named, in the same two processes (one candidate: the method as first described; two:
     * bare rings and the library in alternating slices, each slice's ratio its own).
     */
    private static List<BenchResult> run(final ScenarioContext context, final String measure, final ChannelKind kind,
        final String... transports)
    {
        final boolean paired = transports.length > 1;
        final String scenario = paired ? NAME + "-" + PAIRED : NAME;
        final String caseName = paired ? Rows.label(kind) + " beside bare rings and Aeron IPC" + suffix(measure) :
            name(transports[0], kind, measure);
        final BenchResult.Metric metric = PING_PONG.equals(measure) ? BenchResult.Metric.ROUND_TRIP :
            BenchResult.Metric.THROUGHPUT;
        final List<BenchResult> rows = new ArrayList<>();
        final BenchResult outcome = context.runCase(scenario, caseName, metric, () ->
        {
            final Map<String, String> arguments = arguments(context, String.join(",", transports), kind);
            final Region region = List.of(transports).contains(StrictRoles.LIBRARY) ?
                region(context, kind, arguments, measure) : null;
            try (ChildGroup group = PING_PONG.equals(measure) ? context.group() :
                context.group(context.settings().warmup(), throughputDuration(context)))
            {
                final boolean pingPong = PING_PONG.equals(measure);
                if (!pingPong)
                {
                    arguments.put(Keys.SLICES, Integer.toString(THROUGHPUT_SLICES));
                }
                final ChildProcess receiving = group.start(pingPong ? "strict-pong" : "strict-consumer", arguments);
                final ChildProcess sending = group.start(pingPong ? "strict-ping" : "strict-producer", arguments);
                group.run();
                final Map<String, String> sent = group.result(sending);
                final Map<String, String> received = group.result(receiving);
                for (int i = 0; i < transports.length; i++)
                {
                    final String transport = transports[i];
                    final String name = paired ? pairedName(transport, kind, measure) : name(transport, kind, measure);
                    final String key = key(measure, paired ? PAIRED + "-" + transport : transport, kind);
                    final Map<String, String> ours = candidate(sent, i);
                    final Map<String, String> theirs = candidate(received, i);
                    final BenchResult row = pingPong ?
                        Rows.roundTrip(scenario, name, key, LENGTH, ours, theirs).referenceKey(null) :
                        Rows.throughput(new BenchResult(scenario, name, metric).key(key), LENGTH, List.of(ours),
                            List.of(theirs), false).extra("sliceRates", theirs.get(Keys.SLICE_RATES));
                    rows.add(withFloor(row, sent));
                    if (!paired && StrictRoles.LIBRARY.equals(transport))
                    {
                        final String bareKey = key(measure, StrictRoles.BARE, kind);
                        row.referenceKey(bareKey).bareKey(bareKey);
                    }
                }
                if (paired)
                {
                    final Map<String, String> slicesSide = pingPong ? sent : received;
                    for (int i = 1; i < transports.length; i++)
                    {
                        pairSlices(rows.get(i), candidate(slicesSide, 0), candidate(slicesSide, i), pingPong);
                    }
                    rows.get(1).extra("vsAeronSameSlices", sliceRatio(candidate(slicesSide, 2),
                        candidate(slicesSide, 1), pingPong));
                }
                return rows.get(0);
            }
            finally
            {
                CloseHelper.close(region);
                if (arguments.containsKey(Keys.AERON_DIR))
                {
                    IoUtil.delete(new File(arguments.get(Keys.AERON_DIR)), true);
                }
            }
        });
        return rows.isEmpty() || !outcome.ok() && rows.stream().allMatch(BenchResult::ok) ? List.of(outcome) : rows;
    }

    /**
     * The values of one candidate in a side's result: keys ending with its index, without it; the rest of what the
     * row builders expect, zero.
     */
    private static Map<String, String> candidate(final Map<String, String> result, final int index)
    {
        final String suffix = Integer.toString(index);
        final Map<String, String> values = new LinkedHashMap<>();
        values.put(Keys.MEASURED_SENT, "0");
        values.put(Keys.MEASURED_SEND_NS, "0");
        values.put(Keys.SKIPPED_ENDS, "0");
        values.put(Keys.HISTOGRAM, HistogramCodec.encode(RoleContext.newHistogram()));
        result.forEach((key, value) ->
        {
            if (key.endsWith(suffix))
            {
                values.put(key.substring(0, key.length() - suffix.length()), value);
            }
        });
        return values;
    }

    /**
     * The paired ratio: for every slice, the library's p50 (rate) over bare rings' in the same slice; the row's ratio
     * is their median.
     */
    static void pairSlices(final BenchResult library, final Map<String, String> bare,
        final Map<String, String> ours, final boolean pingPong)
    {
        final double[] ratios = sliceRatios(bare, ours, pingPong);
        library.ratio(RoundMedian.median(ratios), pingPong ? "bare rings p50, same slices" :
            "bare rings rate, same slices");
        final StringBuilder text = new StringBuilder();
        for (final double ratio : ratios)
        {
            text.append(text.length() == 0 ? "" : " ").append(String.format(Locale.ROOT, "%.2f", ratio));
        }
        library.extra("sliceRatios", text.toString());
    }

    /**
     * For every slice, a candidate's p50 (rate) over the reference's in the same slice.
     */
    private static double[] sliceRatios(final Map<String, String> reference, final Map<String, String> candidate,
        final boolean pingPong)
    {
        final String key = pingPong ? Keys.SLICE_P50S : Keys.SLICE_RATES;
        final double[] referenceSlices = CaseSlices.numbers(reference.get(key));
        final double[] candidateSlices = CaseSlices.numbers(candidate.get(key));
        final double[] ratios = new double[Math.min(referenceSlices.length, candidateSlices.length)];
        for (int i = 0; i < ratios.length; i++)
        {
            ratios[i] = candidateSlices[i] / referenceSlices[i];
        }
        return ratios;
    }

    private static double sliceRatio(final Map<String, String> reference, final Map<String, String> candidate,
        final boolean pingPong)
    {
        return RoundMedian.median(sliceRatios(reference, candidate, pingPong));
    }

    private static String suffix(final String measure)
    {
        return PING_PONG.equals(measure) ? "" : ", one way";
    }

    private static String pairedName(final String transport, final ChannelKind kind, final String measure)
    {
        final String candidate = StrictRoles.BARE.equals(transport) ? "bare rings" :
            StrictRoles.AERON.equals(transport) ? "aeron-ipc" : "shm-ipc";
        return Rows.label(kind) + ": " + candidate + " " + LENGTH + "B" + suffix(measure);
    }

    private static String name(final String transport, final ChannelKind kind, final String measure)
    {
        return (StrictRoles.BARE.equals(transport) ? "bare " : "") + Rows.label(kind) + " " + LENGTH + "B" +
            (PING_PONG.equals(measure) ? "" : " one way");
    }

    private static java.time.Duration throughputDuration(final ScenarioContext context)
    {
        return context.settings().quick() ? context.settings().duration() : java.time.Duration.ofNanos(THROUGHPUT_NS);
    }

    /**
     * What both sides are given: the candidates, the counts, the floor's file, and the bare rings' file when bare
     * rings are a candidate.
     */
    private static Map<String, String> arguments(final ScenarioContext context, final String transports,
        final ChannelKind kind) throws java.io.IOException
    {
        final int divisor = context.settings().quick() ? QUICK_DIVISOR : 1;
        final Map<String, String> arguments = new LinkedHashMap<>();
        arguments.put(Keys.TRANSPORT, transports);
        arguments.put(Keys.KIND, kind.name());
        arguments.put(Keys.LENGTH, Integer.toString(LENGTH));
        arguments.put(Keys.FLOOR_FILE, context.createSharedFile(SharedFile.PAGE).toString());
        arguments.put(Keys.WARMUP_ROUND_TRIPS, Integer.toString(WARMUP_ROUND_TRIPS / divisor));
        arguments.put(Keys.MEASURED_ROUND_TRIPS, Integer.toString(MEASURED_ROUND_TRIPS / divisor));
        arguments.put(Keys.SLICES, Integer.toString(SLICES));
        arguments.put(Keys.FLOOR_WARMUP, Integer.toString(FLOOR_WARMUP / divisor));
        arguments.put(Keys.FLOOR_SLICE, Integer.toString(FLOOR_SLICE / divisor));
        if (List.of(transports.split(",")).contains(StrictRoles.BARE))
        {
            arguments.put(Keys.FILE, context.createSharedFile(BareRingRoles.fileLength(2)).toString());
        }
        if (List.of(transports.split(",")).contains(StrictRoles.AERON))
        {
            arguments.putAll(AeronIpcRoles.arguments(PublishSubscribeScenario.newDirectory(), ThreadingMode.INVOKER));
        }
        return arguments;
    }

    /**
     * The library's region: two channels of the kind for a ping-pong, one for throughput, as large as the bare
     * rings; its name is added to the arguments.
     */
    private static Region region(final ScenarioContext context, final ChannelKind kind,
        final Map<String, String> arguments, final String measure)
    {
        final Region region = context.createRegion(builder -> PING_PONG.equals(measure) ?
            builder.channel(LibraryRoles.PING_CHANNEL, kind, BareRingRoles.CAPACITY)
                .channel(LibraryRoles.PONG_CHANNEL, kind, BareRingRoles.CAPACITY) :
            builder.channel(LibraryRoles.DATA_CHANNEL, kind, BareRingRoles.CAPACITY));
        arguments.put(Keys.REGION, region.location().shmName());
        return region;
    }

    /**
     * Add the floor the case's own processes measured between its slices: its p50, each slice's p50, and a flag
     * when they moved more than {@link #FLOOR_DRIFT_LIMIT} during the case.
     */
    static BenchResult withFloor(final BenchResult row, final Map<String, String> result)
    {
        final Histogram floor = Rows.histogram(result, Keys.FLOOR_HISTOGRAM);
        final long[] sliceP50s = Arrays.stream(result.get(Keys.FLOOR_SLICE_P50S).split(","))
            .mapToLong(Long::parseLong).toArray();
        final long lowest = Arrays.stream(sliceP50s).min().orElse(0);
        final long highest = Arrays.stream(sliceP50s).max().orElse(0);
        final double drift = lowest > 0 ? (double)highest / lowest - 1 : Double.NaN;
        row.extra("floorP50Ns", floor.getValueAtPercentile(50))
            .extra("floorSliceP50sNs", Arrays.toString(sliceP50s))
            .extra("floorDrift", drift);
        if (!(drift <= FLOOR_DRIFT_LIMIT))
        {
            row.flag(String.format(Locale.ROOT, "floor moved %.0f%% during the case (slice p50s %d..%d ns)",
                drift * 100, lowest, highest));
        }
        return row;
    }
}
