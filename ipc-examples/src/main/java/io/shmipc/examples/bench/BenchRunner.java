package io.shmipc.examples.bench;

import io.shmipc.examples.support.DoneLine;
import io.shmipc.examples.support.ExitCodes;
import io.shmipc.examples.support.RoleConsole;
import io.shmipc.examples.support.ShutdownSignal;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Runs the chosen scenarios in a fixed order (references first), adds the references their ratios need, computes
 * the ratios and prints the report.
 */
final class BenchRunner
{
    /** Every scenario, in the order they run. */
    static final List<Scenario> SCENARIOS = List.of(
        new FloorScenario(),
        new BaselineRingsScenario(),
        new PingPongScenario(),
        new ThroughputScenario(),
        new PublishSubscribeScenario(),
        new SocketScenario(SocketRoles.UDS),
        new SocketScenario(SocketRoles.TCP),
        new WakeupScenario(),
        new ServiceScenario(),
        new WaitSetScenario(),
        new ChurnScenario(),
        new IdleCpuScenario(),
        new BridgeScenario(),
        new StrictScenario());

    private BenchRunner()
    {
    }

    /**
     * The scenarios to run for the names asked, in run order, with the references their ratios need.
     *
     * @param names names asked for; empty for all.
     * @param notes where to say which references were added.
     * @return the scenarios.
     * @throws IllegalArgumentException for an unknown name.
     */
    static List<Scenario> select(final List<String> names, final PrintStream notes)
    {
        final Set<String> wanted = new LinkedHashSet<>();
        for (final String name : names)
        {
            if (SCENARIOS.stream().noneMatch(scenario -> scenario.name().equals(name)))
            {
                throw new IllegalArgumentException("unknown scenario: " + name + "; scenarios: " +
                    SCENARIOS.stream().map(Scenario::name).toList());
            }
            wanted.add(name);
        }
        if (wanted.isEmpty())
        {
            return SCENARIOS;
        }
        final boolean needsRings = SCENARIOS.stream()
            .anyMatch(scenario -> wanted.contains(scenario.name()) && scenario.needsRings());
        if (needsRings && wanted.add(BaselineRingsScenario.NAME))
        {
            notes.println("added " + BaselineRingsScenario.NAME + ": throughput ratios are to its rows");
        }
        final boolean needsFloor = SCENARIOS.stream()
            .anyMatch(scenario -> wanted.contains(scenario.name()) && scenario.needsFloor());
        if (needsFloor && wanted.add(FloorScenario.NAME))
        {
            notes.println("added " + FloorScenario.NAME + ": latency ratios are to its row");
        }
        return SCENARIOS.stream().filter(scenario -> wanted.contains(scenario.name())).toList();
    }

    /**
     * The cases of the scenarios, keeping only those whose key contains one of {@code patterns} (ignoring case), with
     * the references their rows are compared with: the floor for latency rows, the paired bare-ring case for the
     * others.
     *
     * @param scenarios the scenarios chosen.
     * @param patterns  parts of case keys; empty for every case.
     * @param notes     where to say which references were added.
     * @return the cases, in scenario order.
     * @throws IllegalArgumentException when no case matches a pattern.
     */
    static List<BenchCase> cases(final List<Scenario> scenarios, final List<String> patterns, final PrintStream notes)
    {
        final List<BenchCase> all = new ArrayList<>();
        scenarios.forEach(scenario -> all.addAll(scenario.cases()));
        if (patterns.isEmpty())
        {
            return all;
        }
        final Set<BenchCase> wanted = new LinkedHashSet<>();
        for (final String pattern : patterns)
        {
            final String part = pattern.toLowerCase(Locale.ROOT);
            final List<BenchCase> matching = all.stream()
                .filter(c -> c.key() != null && c.key().toLowerCase(Locale.ROOT).contains(part)).toList();
            if (matching.isEmpty())
            {
                throw new IllegalArgumentException("no case key contains '" + pattern + "' in the scenarios chosen;" +
                    " keys: " + all.stream().map(BenchCase::key).toList());
            }
            wanted.addAll(matching);
        }
        for (final BenchCase benchCase : List.copyOf(wanted))
        {
            final boolean needsFloor = scenarios.stream()
                .anyMatch(scenario -> scenario.name().equals(benchCase.scenario()) && scenario.needsFloor());
            all.stream().filter(c -> needsFloor && Rows.FLOOR_KEY.equals(c.key()) ||
                benchCase.pairKey() != null && benchCase.pairKey().equals(c.key())).forEach(reference ->
                {
                    if (wanted.add(reference))
                    {
                        notes.println("added " + reference.key() + ": the reference of " + benchCase.key());
                    }
                });
        }
        return all.stream().filter(wanted::contains).toList();
    }

    /**
     * Run and report: every case once per round, each round's ratios from that round's references, then (with more
     * than one round) the median of every row over the rounds.
     *
     * @param settings durations and JVM options.
     * @param cases    what to run, in scenario order.
     * @param rounds   how many times to run every case.
     * @param json     JSON lines on {@code out} (the table then goes to {@code err}).
     * @param out      standard output.
     * @param err      standard error: progress.
     * @return 0 when every check passed, 1 otherwise.
     */
    static int run(final BenchSettings settings, final List<BenchCase> cases, final int rounds, final boolean json,
        final PrintStream out, final PrintStream err)
    {
        final ChildLauncher launcher = new ChildLauncher(settings);
        final PrintStream human = json ? err : out;
        final long start = System.nanoTime();
        human.println("shm-ipc bench: " + SystemInfo.cores() + " cores, load average " +
            SystemInfo.loadAverageText() + ", java " + Runtime.version() + ", warmup " + seconds(settings.warmup()) +
            ", duration " + seconds(settings.duration()) + (settings.quick() ? " (quick)" : "") +
            (rounds > 1 ? ", " + rounds + " rounds" : ""));
        human.println("child JVM flags: " + String.join(" ", launcher.jvmFlags()));
        final Report report = new Report(settings, launcher.jvmFlags());
        final List<List<BenchResult>> roundRows = new ArrayList<>();
        // Ctrl-C: the case running stops (its children are killed), the rows so far are reported, files removed.
        ShutdownSignal.current().graceSeconds(30);
        try (ScenarioContext context = new ScenarioContext(settings, launcher, err))
        {
            for (int round = 1; round <= rounds && !ShutdownSignal.current().isRequested(); round++)
            {
                if (rounds > 1)
                {
                    err.println("round " + round + " of " + rounds);
                }
                final List<BenchResult> rows = runRound(context, cases, round);
                roundRows.add(rows);
                if (rounds > 1)
                {
                    human.println();
                    human.println("ROUND " + round + " OF " + rounds);
                }
                report.printTable(human, rows);
                if (json)
                {
                    report.printJson(out, rows);
                }
            }
        }
        final List<RoundMedian> medians = rounds > 1 ? RoundMedian.of(roundRows) : List.of();
        if (!medians.isEmpty())
        {
            report.printMedians(human, medians);
            if (json)
            {
                report.printMediansJson(out, medians);
            }
        }
        human.println();
        final int rows = roundRows.stream().mapToInt(List::size).sum();
        final long failed = roundRows.stream().flatMap(List::stream).filter(row -> !row.ok()).count();
        final double seconds = (System.nanoTime() - start) / 1e9;
        human.println(String.format(Locale.ROOT, "%d rows in %.1f s; load average now %s", rows, seconds,
            SystemInfo.loadAverageText()));
        final boolean interrupted = ShutdownSignal.current().isRequested();
        new RoleConsole("bench", human).done(new DoneLine().add("rows", rows).add("failed", failed)
            .add("rounds", roundRows.size()).add("seconds", seconds).add("stop", interrupted ? "interrupted" :
            "complete"));
        human.flush();
        return interrupted ? ExitCodes.INTERRUPTED : failed == 0 ? ExitCodes.OK : ExitCodes.FAILURE;
    }

    private static List<BenchResult> runRound(final ScenarioContext context, final List<BenchCase> cases,
        final int round)
    {
        context.round(round);
        final List<List<BenchResult>> rowsByCase = new ArrayList<>();
        for (int i = 0; i < cases.size(); i++)
        {
            rowsByCase.add(List.of());
        }
        for (final BenchCase benchCase : rotate(order(cases), round))
        {
            if (ShutdownSignal.current().isRequested())
            {
                break;
            }
            final List<BenchResult> caseRows = benchCase.run(context);
            // Ctrl-C during the case killed its children: what failed then says nothing about the case.
            rowsByCase.set(cases.indexOf(benchCase), ShutdownSignal.current().isRequested() ?
                caseRows.stream().filter(BenchResult::ok).toList() : caseRows);
        }
        final List<BenchResult> rows = new ArrayList<>();
        rowsByCase.forEach(rows::addAll);
        rows.forEach(row -> row.round(round));
        computeRatios(rows);
        return rows;
    }

    /**
     * The order to run cases in: the floor first, then every other case right after the reference case it is paired
     * with (a bare-ring case before the library case it is compared with), then the references nothing pulled in.
     * Conditions on a shared VM drift within minutes, so neighbours make the fairest ratios. Rows are still reported
     * in scenario order.
     *
     * @param cases every case, in scenario order.
     * @return the same cases in run order.
     */
    static List<BenchCase> order(final List<BenchCase> cases)
    {
        final Map<String, BenchCase> byKey = new HashMap<>();
        for (final BenchCase benchCase : cases)
        {
            if (benchCase.key() != null)
            {
                byKey.putIfAbsent(benchCase.key(), benchCase);
            }
        }
        final Set<BenchCase> ordered = new LinkedHashSet<>();
        cases.stream().filter(BenchRunner::isReference).filter(c -> FloorScenario.NAME.equals(c.scenario()))
            .forEach(ordered::add);
        for (final BenchCase benchCase : cases)
        {
            if (isReference(benchCase))
            {
                continue;
            }
            final BenchCase pair = benchCase.pairKey() == null ? null : byKey.get(benchCase.pairKey());
            if (pair != null)
            {
                ordered.add(pair);
            }
            ordered.add(benchCase);
        }
        ordered.addAll(cases);
        return new ArrayList<>(ordered);
    }

    /**
     * The run order of one round: the floor first, the other cases rotated by one place per round, so that no case
     * always runs first (or last) while the VM drifts; a pair split by the rotation meets again the next round.
     *
     * @param ordered the cases in run order, as {@link #order(List)} gives them.
     * @param round   the round, from 1.
     * @return the order for this round.
     */
    static List<BenchCase> rotate(final List<BenchCase> ordered, final int round)
    {
        final List<BenchCase> floor = ordered.stream().filter(c -> FloorScenario.NAME.equals(c.scenario())).toList();
        final List<BenchCase> others = new ArrayList<>(ordered);
        others.removeAll(floor);
        if (!others.isEmpty())
        {
            Collections.rotate(others, -((round - 1) % others.size()));
        }
        final List<BenchCase> result = new ArrayList<>(floor);
        result.addAll(others);
        return result;
    }

    private static boolean isReference(final BenchCase benchCase)
    {
        return FloorScenario.NAME.equals(benchCase.scenario()) ||
            BaselineRingsScenario.NAME.equals(benchCase.scenario());
    }

    /**
     * Each row's ratio to its reference row of the same run: latency p50 over the floor's p50 (wake-up rows over
     * half of it, the floor's one-way time), throughput over the bare-ring rate; and for library ping-pong rows,
     * p50 over the bare-ring ping-pong's p50 as well. A row whose reference was probed at another speed of the
     * machine is flagged ({@link SpeedProbe#compare}).
     *
     * @param rows the rows.
     */
    static void computeRatios(final List<BenchResult> rows)
    {
        final Map<String, BenchResult> byKey = new HashMap<>();
        for (final BenchResult row : rows)
        {
            if (row.key() != null && row.ok())
            {
                byKey.put(row.key(), row);
            }
        }
        for (final BenchResult row : rows)
        {
            final BenchResult bare = row.bareKey() == null || !row.ok() ? null : byKey.get(row.bareKey());
            if (bare != null)
            {
                row.bareRatio(row.medianNs() / bare.medianNs());
                SpeedProbe.compare(row, bare, BenchResult.Doubt.PAIR);
            }
            final BenchResult reference = row.referenceKey() == null ? null : byKey.get(row.referenceKey());
            if (reference == null || !row.ok())
            {
                continue;
            }
            SpeedProbe.compare(row, reference, BenchResult.Doubt.REFERENCE);
            final boolean aeron = reference.key().startsWith("aeron-udp");
            final boolean strict = StrictScenario.NAME.equals(reference.scenario());
            switch (row.metric())
            {
                case ROUND_TRIP:
                    row.ratio(row.medianNs() / reference.medianNs(), aeron ? "bare Aeron UDP p50" :
                        strict ? "bare rings p50, same round" : "floor p50");
                    break;
                case WAKEUP:
                    row.ratio(row.medianNs() / (reference.medianNs() / 2), "floor p50 / 2");
                    break;
                case THROUGHPUT:
                    row.ratio(row.messagesPerSecond() / reference.messagesPerSecond(),
                        aeron ? "bare Aeron UDP rate" : strict ? "bare rings rate, same round" :
                        BaselineRingsScenario.NAME.equals(reference.scenario()) ?
                        "baseline-rings rate" : reference.key() + " rate");
                    break;
                default:
                    break;
            }
        }
    }

    private static String seconds(final java.time.Duration duration)
    {
        return duration.toMillis() / 1000.0 + "s";
    }
}
