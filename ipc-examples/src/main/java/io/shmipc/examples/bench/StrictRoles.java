package io.shmipc.examples.bench;

import org.HdrHistogram.Histogram;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The roles of the strict method ({@link StrictScenario}): the candidate is bare Agrona rings on a shared file
 * ({@link #BARE}), the library's channels ({@link #LIBRARY}) or Aeron IPC ({@link #AERON}), or several taking turns,
 * opened by {@link StrictCandidates} the same way as the default method's roles; the loops ({@link StrictLoops}) are
 * the same for all. Each side maps the floor word too and probes it in slices between the candidate's own, so every
 * row carries the floor of its own minutes.
 */
final class StrictRoles
{
    /** {@link Keys#TRANSPORT}: bare Agrona rings. */
    static final String BARE = "bare";
    /** {@link Keys#TRANSPORT}: the library's channels. */
    static final String LIBRARY = "shm";
    /** {@link Keys#TRANSPORT}: Aeron IPC, the driver embedded in the sending side and invoked by it. */
    static final String AERON = "aeron";

    private StrictRoles()
    {
    }

    static void ping(final RoleContext context) throws Exception
    {
        final Plan plan = new Plan(context);
        try (SharedFile floorFile = SharedFile.map(Path.of(context.string(Keys.FLOOR_FILE)));
            StrictCandidates candidates = new StrictCandidates(context, LibraryRoles.PING_CHANNEL,
                LibraryRoles.PONG_CHANNEL))
        {
            final StrictLoops.Floor floor = new StrictLoops.Floor(floorFile.buffer());
            final int length = context.integer(Keys.LENGTH);
            final int count = candidates.size();
            final StrictLoops.Pinger[] pingers = new StrictLoops.Pinger[count];
            for (int i = 0; i < count; i++)
            {
                pingers[i] = new StrictLoops.Pinger(candidates.get(i),
                    new UnsafeBuffer(ByteBuffer.allocateDirect(length)), length);
                candidates.get(i).receiver(pingers[i]);
            }
            final Slices floorSlices = new Slices(plan.slices + 1);
            final Slices[] slices = Slices.of(count, plan.slices);
            context.ready();
            floor.ping(plan.floorWarmup, null);
            for (final StrictLoops.Pinger pinger : pingers)
            {
                pinger.run(plan.warmup, null);
            }
            for (int slice = 0; slice < plan.slices; slice++)
            {
                floor.ping(plan.floorSlice, floorSlices.next());
                for (int turn = 0; turn < count; turn++)
                {
                    final int candidate = Plan.candidate(slice, turn, count);
                    pingers[candidate].run(plan.measured / plan.slices, slices[candidate].next());
                }
            }
            floor.ping(plan.floorSlice, floorSlices.next());

            final Map<String, String> result = new LinkedHashMap<>();
            for (int i = 0; i < count; i++)
            {
                result.put(Keys.SENT + i, Long.toString(pingers[i].sent()));
                result.put(Keys.RECEIVED + i, Long.toString(pingers[i].sent()));
                result.put(Keys.DISORDERED + i, Long.toString(pingers[i].disordered()));
                slices[i].into(result, Keys.HISTOGRAM + i, Keys.SLICE_P50S + i);
            }
            floorSlices.into(result, Keys.FLOOR_HISTOGRAM, Keys.FLOOR_SLICE_P50S);
            context.result(result);
        }
    }

    static void pong(final RoleContext context) throws Exception
    {
        final Plan plan = new Plan(context);
        try (SharedFile floorFile = SharedFile.map(Path.of(context.string(Keys.FLOOR_FILE)));
            StrictCandidates candidates = new StrictCandidates(context, LibraryRoles.PONG_CHANNEL,
                LibraryRoles.PING_CHANNEL))
        {
            final StrictLoops.Floor floor = new StrictLoops.Floor(floorFile.buffer());
            final int count = candidates.size();
            final StrictLoops.Echo[] echoes = new StrictLoops.Echo[count];
            for (int i = 0; i < count; i++)
            {
                echoes[i] = new StrictLoops.Echo(candidates.get(i));
                candidates.get(i).receiver(echoes[i]);
            }
            context.ready();
            floor.pong(plan.floorWarmup);
            for (final StrictLoops.Echo echo : echoes)
            {
                echo.run(plan.warmup);
            }
            for (int slice = 0; slice < plan.slices; slice++)
            {
                floor.pong(plan.floorSlice);
                for (int turn = 0; turn < count; turn++)
                {
                    echoes[Plan.candidate(slice, turn, count)].run(plan.measured / plan.slices);
                }
            }
            floor.pong(plan.floorSlice);
            final Map<String, String> result = new LinkedHashMap<>();
            for (int i = 0; i < count; i++)
            {
                result.put(Keys.RECEIVED + i, Long.toString(echoes[i].echoed()));
            }
            context.result(result);
        }
    }

    static void producer(final RoleContext context) throws Exception
    {
        final Plan plan = new Plan(context);
        try (SharedFile floorFile = SharedFile.map(Path.of(context.string(Keys.FLOOR_FILE)));
            StrictCandidates candidates = new StrictCandidates(context, LibraryRoles.DATA_CHANNEL, null))
        {
            final StrictLoops.Floor floor = new StrictLoops.Floor(floorFile.buffer());
            final int length = context.integer(Keys.LENGTH);
            final int count = candidates.size();
            final StrictLoops.Producer[] producers = new StrictLoops.Producer[count];
            for (int i = 0; i < count; i++)
            {
                producers[i] = new StrictLoops.Producer(candidates.get(i),
                    new UnsafeBuffer(ByteBuffer.allocateDirect(length)), length);
            }
            final Slices floorSlices = new Slices(plan.slices + 1);
            context.ready();
            floor.ping(plan.floorWarmup, null);
            for (final StrictLoops.Producer producer : producers)
            {
                producer.slice(context.warmupNs() / count);
            }
            final long sliceNs = context.durationNs() / plan.slices;
            for (int slice = 0; slice < plan.slices; slice++)
            {
                floor.ping(plan.floorSlice, floorSlices.next());
                for (int turn = 0; turn < count; turn++)
                {
                    producers[Plan.candidate(slice, turn, count)].slice(sliceNs);
                }
            }
            floor.ping(plan.floorSlice, floorSlices.next());

            final Map<String, String> result = new LinkedHashMap<>();
            for (int i = 0; i < count; i++)
            {
                result.put(Keys.SENT + i, Long.toString(producers[i].sent()));
                result.put(Keys.BACK_PRESSURED + i, Long.toString(producers[i].backPressured()));
            }
            floorSlices.into(result, Keys.FLOOR_HISTOGRAM, Keys.FLOOR_SLICE_P50S);
            context.result(result);
        }
    }

    static void consumer(final RoleContext context) throws Exception
    {
        final Plan plan = new Plan(context);
        try (SharedFile floorFile = SharedFile.map(Path.of(context.string(Keys.FLOOR_FILE)));
            StrictCandidates candidates = new StrictCandidates(context, null, LibraryRoles.DATA_CHANNEL))
        {
            final StrictLoops.Floor floor = new StrictLoops.Floor(floorFile.buffer());
            final int count = candidates.size();
            final StrictLoops.Consumer[] consumers = new StrictLoops.Consumer[count];
            final long[] measured = new long[count];
            final long[] measuredNs = new long[count];
            final StringBuilder[] sliceRates = new StringBuilder[count];
            for (int i = 0; i < count; i++)
            {
                consumers[i] = new StrictLoops.Consumer(candidates.get(i));
                candidates.get(i).receiver(consumers[i]);
                sliceRates[i] = new StringBuilder();
            }
            context.ready();
            floor.pong(plan.floorWarmup);
            for (final StrictLoops.Consumer consumer : consumers)
            {
                consumer.slice();
            }
            for (int slice = 0; slice < plan.slices; slice++)
            {
                floor.pong(plan.floorSlice);
                for (int turn = 0; turn < count; turn++)
                {
                    final int candidate = Plan.candidate(slice, turn, count);
                    final long start = System.nanoTime();
                    final long received = consumers[candidate].slice();
                    final long sliceNs = System.nanoTime() - start;
                    measured[candidate] += received;
                    measuredNs[candidate] += sliceNs;
                    sliceRates[candidate].append(sliceRates[candidate].length() == 0 ? "" : ",")
                        .append(Math.round(received * 1e9 / sliceNs));
                }
            }
            floor.pong(plan.floorSlice);

            final Map<String, String> result = new LinkedHashMap<>();
            for (int i = 0; i < count; i++)
            {
                result.put(Keys.SENT + i, Long.toString(consumers[i].expected()));
                result.put(Keys.RECEIVED + i, Long.toString(consumers[i].received()));
                result.put(Keys.LOST + i, Long.toString(consumers[i].lost()));
                result.put(Keys.DISORDERED + i, Long.toString(consumers[i].disordered()));
                result.put(Keys.MEASURED_RECEIVED + i, Long.toString(measured[i]));
                result.put(Keys.MEASURED_RECEIVE_NS + i, Long.toString(measuredNs[i]));
                result.put(Keys.SLICE_RATES + i, sliceRates[i].toString());
            }
            context.result(result);
        }
    }

    /**
     * How many round trips and floor exchanges a case makes, as the coordinator gave them to both sides.
     */
    private static final class Plan
    {
        final int warmup;
        final int measured;
        final int slices;
        final int floorWarmup;
        final int floorSlice;

        Plan(final RoleContext context)
        {
            warmup = context.integer(Keys.WARMUP_ROUND_TRIPS);
            measured = context.integer(Keys.MEASURED_ROUND_TRIPS);
            slices = context.integer(Keys.SLICES);
            floorWarmup = context.integer(Keys.FLOOR_WARMUP);
            floorSlice = context.integer(Keys.FLOOR_SLICE);
        }

        /**
         * Which candidate takes a turn of a slice: in order in even slices, in reverse in odd ones, so that no
         * candidate always runs first after the floor.
         */
        static int candidate(final int slice, final int turn, final int count)
        {
            return (slice & 1) == 0 ? turn : count - 1 - turn;
        }
    }

    /**
     * Round trips measured in slices: one histogram per slice, all made before the run starts.
     */
    private static final class Slices
    {
        private final List<Histogram> slices = new ArrayList<>();
        private int next;

        Slices(final int count)
        {
            for (int i = 0; i < count; i++)
            {
                slices.add(RoleContext.newHistogram());
            }
        }

        static Slices[] of(final int candidates, final int slices)
        {
            final Slices[] all = new Slices[candidates];
            for (int i = 0; i < candidates; i++)
            {
                all[i] = new Slices(slices);
            }
            return all;
        }

        Histogram next()
        {
            return slices.get(next++);
        }

        /**
         * Put the slices' sum and each slice's p50 into a result.
         */
        void into(final Map<String, String> result, final String histogramKey, final String p50sKey)
        {
            final Histogram all = RoleContext.newHistogram();
            final StringBuilder medians = new StringBuilder();
            for (final Histogram slice : slices)
            {
                all.add(slice);
                medians.append(medians.length() == 0 ? "" : ",").append(slice.getValueAtPercentile(50));
            }
            result.put(histogramKey, HistogramCodec.encode(all));
            result.put(p50sKey, medians.toString());
        }
    }
}
