package io.shmipc.examples.bench;

import io.shmipc.examples.support.CommandRunner;
import io.shmipc.examples.support.DurationConverter;
import io.shmipc.examples.support.ExitCodes;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code shm-ipc bench}: the cross-process latency and throughput harness. Every scenario runs its sides as separate
 * JVM processes started from this one; the report gives HdrHistogram percentiles, rates, sent and received counts,
 * and each row's ratio to the hardware floor (latency) or to bare Agrona rings (throughput) measured in the same
 * run. Also runnable on its own: {@code java -cp shm-ipc.jar io.shmipc.examples.bench.BenchCommand --quick}.
 */
@Command(
    name = "bench",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    header = "Benchmarks: latency and throughput, every side its own JVM.",
    footer = {"", "Examples:", "  shm-ipc bench --quick", "  shm-ipc bench --rounds 5 --json > bench.jsonl",
        "  shm-ipc bench -c pingpong:ONE_TO_ONE --duration 5s", "", ExitCodes.SUMMARY},
    description = {
        "Cross-process latency and throughput: every side of every scenario is its own JVM process.",
        "Latency rows are compared with the floor (one 8-byte word ping-ponged over /dev/shm), throughput rows with " +
            "bare Agrona rings, both measured in the same run. Scenarios: floor, baseline-rings, pingpong, " +
            "throughput, uds, tcp, wakeup, idle-cpu.",
        "The full run takes about 3 minutes, --quick under 1 minute. On a shared or busy machine numbers are noisy:" +
            " use --rounds 3 and quote the medians."})
public final class BenchCommand implements Callable<Integer>
{
    private static final int MAX_ROUNDS = 99;

    @Option(names = "--quick", description = "Short runs (warmup 200ms, duration 500ms, idle window 1s), to check " +
        "that everything works; not for quoting.")
    boolean quick;

    @Option(names = "--json", description = "One JSON object per row on standard output; the table goes to " +
        "standard error.")
    boolean json;

    @Option(names = {"-s", "--scenario"}, paramLabel = "NAME", description = "Run this scenario (repeatable; " +
        "default: all). The floor and baseline-rings are added when ratios need them.")
    List<String> scenarios = new ArrayList<>();

    @Option(names = {"-c", "--case"}, paramLabel = "TEXT", description = "Run only the cases whose key contains " +
        "TEXT, ignoring case (repeatable; --list shows the keys), e.g. -c pingpong:one_to_one. The floor and the " +
        "paired bare-ring case are added when ratios need them.")
    List<String> casePatterns = new ArrayList<>();

    @Option(names = "--rounds", paramLabel = "N", description = "Run every case N times, round after round, and " +
        "add the median of each row over the rounds, each ratio taken within its round (default 1). Quote these " +
        "medians on a shared machine.")
    int rounds = 1;

    @Option(names = "--duration", paramLabel = "TIME", converter = DurationConverter.class,
        description = "Measured time of each run (default 3s; --quick 500ms).")
    Duration duration;

    @Option(names = "--warmup", paramLabel = "TIME", converter = DurationConverter.class,
        description = "Warm-up of each run before measuring (default 1s; --quick 200ms).")
    Duration warmup;

    @Option(names = "--idle-window", paramLabel = "TIME", converter = DurationConverter.class,
        description = "How long idle-cpu watches the blocked consumers (default 5s; --quick 1s).")
    Duration idleWindow;

    @Option(names = "--wakeup-pause", paramLabel = "TIME", converter = DurationConverter.class,
        description = "Pause between wake-up messages, so the consumer is asleep again (default 1ms).")
    Duration wakeupPause;

    @Option(names = "--jvm-option", paramLabel = "FLAG", description = "Extra flag for every child JVM " +
        "(repeatable), e.g. --jvm-option=-Dagrona.disable.bounds.checks=true.")
    List<String> jvmOptions = new ArrayList<>();

    @Option(names = "--list", description = "List the scenarios and exit.")
    boolean list;

    @Option(names = {"-v", "--verbose"}, description = "Echo the child processes' other output to standard error.")
    boolean verbose;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /**
     * Run the harness on its own.
     *
     * @param args command line.
     */
    public static void main(final String[] args)
    {
        CommandRunner.main(new BenchCommand(), args);
    }

    @Override
    public Integer call()
    {
        if (list)
        {
            for (final Scenario scenario : BenchRunner.SCENARIOS)
            {
                System.out.printf("%-15s %s%n", scenario.name(), scenario.description());
                for (final BenchCase benchCase : scenario.cases())
                {
                    System.out.printf("%-15s   case %s%n", "", benchCase.key());
                }
            }
            return 0;
        }
        final List<BenchCase> selected;
        final BenchSettings settings;
        try
        {
            if (rounds < 1 || rounds > MAX_ROUNDS)
            {
                throw new IllegalArgumentException("--rounds must be from 1 to " + MAX_ROUNDS + ": " + rounds);
            }
            selected = BenchRunner.cases(BenchRunner.select(scenarios, System.err), casePatterns, System.err);
            settings = new BenchSettings(
                orDefault(warmup, quick ? BenchSettings.QUICK_WARMUP : BenchSettings.DEFAULT_WARMUP),
                orDefault(duration, quick ? BenchSettings.QUICK_DURATION : BenchSettings.DEFAULT_DURATION),
                orDefault(idleWindow, quick ? BenchSettings.QUICK_IDLE_WINDOW : BenchSettings.DEFAULT_IDLE_WINDOW),
                orDefault(wakeupPause, BenchSettings.DEFAULT_WAKEUP_PAUSE),
                quick,
                verbose,
                jvmOptions);
        }
        catch (final IllegalArgumentException ex)
        {
            throw new CommandLine.ParameterException(spec.commandLine(), ex.getMessage());
        }
        return BenchRunner.run(settings, selected, rounds, json, System.out, System.err);
    }

    private static Duration orDefault(final Duration value, final Duration defaultValue)
    {
        return value != null ? value : defaultValue;
    }
}
