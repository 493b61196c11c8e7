package io.shmipc.tests.bench;

import io.shmipc.toolkit.JsonReader;
import io.shmipc.tests.support.ChildJvms;
import io.shmipc.examples.cli.ShmIpcCommand;
import io.shmipc.toolkit.ChildProcess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Runs {@code shm-ipc bench --quick --json} from the shaded jar (or, without it, from the class path) as a child JVM,
 * which starts its own child JVMs per scenario, and checks every row for correctness and sane numbers: sent equals
 * received with nothing lost or out of order, latency percentiles positive and non-decreasing, rates positive.
 * Never a performance target: the numbers of a quick run on a shared machine mean nothing.
 */
class BenchQuickTest
{
    private static final Set<String> SCENARIOS = Set.of(
        "floor", "baseline-rings", "pingpong", "throughput", "pubsub", "uds", "tcp", "wakeup", "service", "waitset",
        "churn", "idle-cpu", "bridge", "strict", "strict-paired");
    private static final List<String> PERCENTILES = List.of("p50Ns", "p90Ns", "p99Ns", "p99_9Ns", "p99_99Ns", "maxNs");

    /** The one run of {@code shm-ipc bench --quick --json} that the tests below share. */
    private static QuickRun quickRun;

    @Test
    @Timeout(value = 8, unit = TimeUnit.MINUTES)
    void quickRunReportsEveryScenarioWithConsistentCounts()
    {
        final QuickRun run = quickRun();
        final Set<String> scenarios = new TreeSet<>();
        for (final Map<String, Object> row : run.rows())
        {
            scenarios.add((String)row.get("scenario"));
            checkRow(row, run.output());
        }
        assertEquals(new TreeSet<>(SCENARIOS), scenarios, "scenarios reported");
        assertTrue(run.rows().size() >= 30, () -> "expected every case, got " + run.rows().size() + " rows");
    }

    /**
     * One side of a case killed mid-case: its partner would wait for it to the end of time, so the coordinator fails
     * the row as soon as the side is gone, naming it, and goes on. The floor runs alone (it needs no reference): its
     * echoing side is killed, and its measuring side would wait for the echo.
     */
    @Test
    @Timeout(value = 3, unit = TimeUnit.MINUTES)
    void aChildKilledMidCaseFailsItsRowAtOnceNotWhenItsPartnerGivesUp()
    {
        try (ChildProcess bench = startBench("-s", "floor", "--warmup", "1s", "--duration", "20s"))
        {
            awaitRunning(bench, "floor-pong").destroyForcibly();
            final int exit = bench.awaitExit(Duration.ofSeconds(15)); // the case's duration is 20 s
            assertEquals(1, exit, bench::output);
            assertTrue(bench.output().contains("FAILED: floor-pong#"), bench::output);
            assertTrue(bench.output().contains("exited with 137 before printing the line waited for"),
                bench::output);
        }
    }

    /**
     * Ctrl-C in the middle of a case of the first round: the bench exits with 130 at once and reports the rows it
     * finished (the floor, which runs first). The case the interrupt cut short is not a failure: its children were
     * stopped by the interrupt, not by a fault of the case.
     */
    @Test
    @Timeout(value = 3, unit = TimeUnit.MINUTES)
    void ctrlCMidCaseReportsTheFinishedRowsAndNoFailure()
    {
        try (ChildProcess bench = startBench("-c", "rings:ONE_TO_ONE:32:1x1", "--rounds", "3", "--json",
            "--warmup", "1s", "--duration", "20s"))
        {
            awaitRunning(bench, "rings-producer");
            bench.signal("INT");
            final int exit = bench.awaitExit(Duration.ofSeconds(15)); // the case's duration is 20 s
            assertEquals(130, exit, bench::output);
            final List<Map<String, Object>> rows = jsonRows(bench).stream()
                .filter(row -> !row.containsKey("summary")).toList();
            assertEquals(List.of("floor"), rows.stream().map(row -> row.get("scenario")).toList(), bench::output);
            assertEquals("ok", rows.get(0).get("status"), bench::output);
            assertTrue(bench.output().contains("done: rows=1 failed=0 rounds=1 "), bench::output);
            assertTrue(bench.output().contains(" stop=interrupted"), bench::output);
            assertFalse(bench.output().contains("FAILED"), bench::output);
        }
    }

    /**
     * The child of the bench in the given role, once it is past its start and well into the run: a spinning side's
     * CPU time grows a second a second.
     */
    private static ProcessHandle awaitRunning(final ChildProcess bench, final String role)
    {
        ProcessHandle child = null;
        while (child == null)
        {
            assertTrue(bench.isAlive(), bench::output);
            child = bench.handle().descendants().filter(process -> process.info().arguments()
                .map(arguments -> List.of(arguments).contains(role)).orElse(false))
                .findFirst().orElse(null);
        }
        final ProcessHandle running = child;
        while (running.info().totalCpuDuration().orElse(Duration.ZERO).compareTo(Duration.ofSeconds(4)) < 0)
        {
            assertTrue(running.isAlive() && bench.isAlive(), bench::output);
            Thread.onSpinWait();
        }
        return running;
    }

    @Test
    @Timeout(value = 3, unit = TimeUnit.MINUTES)
    void oneScenarioBringsTheReferenceItsRatiosNeed()
    {
        try (ChildProcess bench = startBench("--json", "--scenario", "pingpong", "--warmup", "100ms",
            "--duration", "200ms"))
        {
            final int exit = bench.awaitExit(Duration.ofMinutes(2));
            assertEquals(0, exit, () -> "bench exited with " + exit + ":\n" + bench.output());
            final Set<String> scenarios = new TreeSet<>();
            for (final Map<String, Object> row : jsonRows(bench))
            {
                scenarios.add((String)row.get("scenario"));
                if ("pingpong".equals(row.get("scenario")))
                {
                    assertEquals("floor p50", row.get("ratioTo"), "latency ratio basis: " + row);
                    assertTrue(number(row, "ratio") > 0, () -> "ratio: " + row);
                }
            }
            assertEquals(Set.of("floor", "pingpong"), scenarios, "the floor is added for the ratios");
            final String done = "[bench " + bench.pid() + "] done: rows=";
            assertTrue(bench.lines().stream().anyMatch(line -> line.startsWith(done) &&
                line.contains(" failed=0 rounds=1 ") && line.endsWith(" stop=complete")), bench::output);
        }
    }

    @Test
    @Timeout(value = 3, unit = TimeUnit.MINUTES)
    void roundsOfSomeCasesEndWithTheirMedians()
    {
        try (ChildProcess bench = startBench("--json", "--quick", "--rounds", "2", "--case", "pingpong:one_to_one"))
        {
            final int exit = bench.awaitExit(Duration.ofMinutes(2));
            assertEquals(0, exit, () -> "bench exited with " + exit + ":\n" + bench.output());
            final List<Map<String, Object>> rows = new ArrayList<>();
            final Map<String, Map<String, Object>> medians = new java.util.TreeMap<>();
            for (final Map<String, Object> row : jsonRows(bench))
            {
                if ("median".equals(row.get("summary")))
                {
                    medians.put((String)row.get("scenario"), row);
                }
                else
                {
                    checkRow(row, bench.output());
                    rows.add(row);
                }
            }
            // The floor and bare one-to-one rings come with the case, each run once per round.
            assertEquals(6, rows.size(), () -> "rows: " + rows);
            assertEquals(Set.of("floor", "baseline-rings", "pingpong"), medians.keySet(), "one median per row");
            final Map<String, Object> pingPong = medians.get("pingpong");
            assertEquals("ok", pingPong.get("status"));
            assertEquals(2.0, number(pingPong, "rounds"));
            final List<?> perRound = (List<?>)pingPong.get("p50NsByRound");
            assertEquals(2, perRound.size(), "one p50 per round");
            final double low = Math.min((Double)perRound.get(0), (Double)perRound.get(1));
            final double high = Math.max((Double)perRound.get(0), (Double)perRound.get(1));
            final double median = number(pingPong, "p50Ns");
            assertTrue(median >= low && median <= high, () -> "median " + median + " of " + perRound);
            assertTrue(number(pingPong, "ratio") > 0, "ratio to the floor");
            assertTrue(number(pingPong, "ratioToBareRings") > 0, "ratio to bare rings");
        }
    }

    @Test
    @Timeout(value = 8, unit = TimeUnit.MINUTES)
    void theStrictMethodComparesTheLibraryWithBareRingsInsideEachCase()
    {
        final QuickRun run = quickRun();
        final Map<String, Map<String, Object>> rows = new java.util.TreeMap<>();
        for (final Map<String, Object> row : run.rows())
        {
            if (String.valueOf(row.get("scenario")).startsWith("strict"))
            {
                checkRow(row, run.output());
                rows.put(row.get("scenario") + " / " + row.get("case"), row);
            }
        }
        // Bare rings and the library case by case (both ring kinds, both measures), then bare rings, the
        // library and Aeron IPC sharing each case's processes (three kinds, both measures).
        assertEquals(8 + 18, rows.size(), () -> "rows: " + rows.keySet());
        for (final Map.Entry<String, Map<String, Object>> entry : rows.entrySet())
        {
            final Map<String, Object> row = entry.getValue();
            @SuppressWarnings("unchecked")
            final Map<String, Object> extra = (Map<String, Object>)row.get("extra");
            // Every row carries the floor its own processes measured between its slices.
            assertTrue(number(extra, "floorP50Ns") > 0, () -> entry.getKey() + ": no floor in " + extra);
            final String name = (String)row.get("case");
            final boolean bare = name.startsWith("bare ") || name.contains(": bare rings");
            if (bare)
            {
                assertEquals(null, row.get("ratio"), () -> entry.getKey() + " is a reference: " + row);
                continue;
            }
            final boolean paired = "strict-paired".equals(row.get("scenario"));
            final String basis = (String)row.get("ratioTo");
            assertTrue(paired ? basis.endsWith("same slices") : basis.endsWith("same round"),
                () -> entry.getKey() + ": ratio to " + basis);
            assertTrue(number(row, "ratio") > 0, () -> entry.getKey() + ": ratio " + row.get("ratio"));
            if (paired)
            {
                final int slices = "round trip".equals(row.get("metric")) ? 10 : 4;
                assertEquals(slices, ((String)extra.get("sliceRatios")).split(" ").length,
                    () -> entry.getKey() + ": one ratio per slice, " + extra);
                if (name.contains(": shm-ipc"))
                {
                    assertTrue(number(extra, "vsAeronSameSlices") > 0, () -> entry.getKey() + ": " + extra);
                }
            }
        }
    }

    /**
     * Runs {@code shm-ipc bench --quick --json} the first time a test asks for it; the tests that read its rows share
     * that one run, the longest of this class.
     */
    private static synchronized QuickRun quickRun()
    {
        if (quickRun == null)
        {
            try (ChildProcess bench = startBench("--quick", "--json"))
            {
                final int exit = bench.awaitExit(Duration.ofMinutes(7));
                quickRun = new QuickRun(exit, jsonRows(bench), bench.output());
            }
        }
        final QuickRun run = quickRun;
        assertEquals(0, run.exit(), () -> "bench exited with " + run.exit() + ":\n" + run.output());
        return run;
    }

    /** The JSON objects a bench printed, one per line, in order: its rows and their summaries. */
    private static List<Map<String, Object>> jsonRows(final ChildProcess bench)
    {
        return bench.lines().stream().filter(line -> line.startsWith("{")).map(JsonReader::parseObject).toList();
    }

    /** How a quick run exited, its rows and its whole output. */
    private record QuickRun(int exit, List<Map<String, Object>> rows, String output)
    {
    }

    private static void checkRow(final Map<String, Object> row, final String output)
    {
        final String name = row.get("scenario") + " / " + row.get("case");
        assertEquals("ok", row.get("status"), () -> name + ": " + row.get("problems") + "\n" + output);
        final double sent = number(row, "sent");
        assertTrue(sent > 0, () -> name + ": nothing sent");
        assertEquals(sent, number(row, "received"), () -> name + ": sent != received");
        assertEquals(0.0, number(row, "lost"), () -> name + ": lost messages");
        assertEquals(0.0, number(row, "disordered"), () -> name + ": messages out of order");

        final String metric = (String)row.get("metric");
        if ("round trip".equals(metric) || "wake-up".equals(metric))
        {
            assertTrue(number(row, "samples") > 0, () -> name + ": no latency samples");
        }
        if (number(row, "samples") > 0)
        {
            double previous = 0;
            for (final String percentile : PERCENTILES)
            {
                final double value = number(row, percentile);
                final double floor = previous;
                assertTrue(value > 0 && value >= floor, () -> name + ": " + percentile + "=" + value +
                    " after " + floor);
                previous = value;
            }
        }
        if ("throughput".equals(metric))
        {
            assertTrue(number(row, "messagesPerSecond") > 0, () -> name + ": no rate");
        }
        if ("idle cpu".equals(metric))
        {
            assertTrue(number(row, "processCpuPercent") >= 0, () -> name + ": no CPU figure");
        }
        if (row.get("ratio") != null)
        {
            assertTrue(number(row, "ratio") > 0, () -> name + ": ratio " + row.get("ratio"));
        }
        final Object flags = row.get("jvmFlags");
        assertNotNull(flags, name + ": no JVM flags");
        assertFalse(((List<?>)flags).isEmpty(), name + ": no JVM flags");
        assertTrue(((List<?>)flags).stream().anyMatch(flag -> String.valueOf(flag).startsWith("--add-exports")) &&
            ((List<?>)flags).contains("--enable-native-access=ALL-UNNAMED"), name + ": JVM flags " + flags);
    }

    private static double number(final Map<String, Object> row, final String key)
    {
        final Object value = row.get(key);
        assertTrue(value instanceof Double, () -> row.get("scenario") + " / " + row.get("case") + ": " + key +
            " is " + value);
        return (Double)value;
    }

    /**
     * The shaded jar as the launcher runs it when it was built, else the command line's main class from the class
     * path.
     */
    private static ChildProcess startBench(final String... args)
    {
        final String jar = System.getProperty("shmipc.examples.jar");
        if (jar != null && Files.isRegularFile(Path.of(jar)))
        {
            final List<String> command = new ArrayList<>(ChildJvms.javaCommand(List.of()));
            command.add("-jar");
            command.add(jar);
            command.add("bench");
            command.addAll(List.of(args));
            return ChildProcess.builder("shm-ipc bench " + String.join(" ", args), command).defaultSignals().start();
        }
        final String[] withCommand = new String[args.length + 1];
        withCommand[0] = "bench";
        System.arraycopy(args, 0, withCommand, 1, args.length);
        return ChildJvms.start(ShmIpcCommand.class, withCommand);
    }
}
