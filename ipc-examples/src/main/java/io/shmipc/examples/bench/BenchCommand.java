package io.shmipc.examples.bench;

import io.shmipc.examples.support.DurationConverter;
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
 * run.
 */
@Command(name = "bench", sortOptions = false)
public final class BenchCommand implements Callable<Integer>
{
    private static final int MAX_ROUNDS = 99;

    @Option(names = "--quick")
    boolean quick;

    @Option(names = "--json")
    boolean json;

    @Option(names = {"-s", "--scenario"}, paramLabel = "NAME")
    List<String> scenarios = new ArrayList<>();

    @Option(names = {"-c", "--case"}, paramLabel = "TEXT")
    List<String> casePatterns = new ArrayList<>();

    @Option(names = "--rounds", paramLabel = "N")
    int rounds = 1;

    @Option(names = "--duration", paramLabel = "TIME", converter = DurationConverter.class)
    Duration duration;

    @Option(names = "--warmup", paramLabel = "TIME", converter = DurationConverter.class)
    Duration warmup;

    @Option(names = "--idle-window", paramLabel = "TIME", converter = DurationConverter.class)
    Duration idleWindow;

    @Option(names = "--wakeup-pause", paramLabel = "TIME", converter = DurationConverter.class)
    Duration wakeupPause;

    @Option(names = "--jvm-option", paramLabel = "FLAG")
    List<String> jvmOptions = new ArrayList<>();

    @Option(names = "--list")
    boolean list;

    @Option(names = {"-v", "--verbose"})
    boolean verbose;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

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
