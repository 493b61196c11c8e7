package io.shmipc.examples.bench;

import io.shmipc.toolkit.Json;

import org.HdrHistogram.Histogram;

import java.io.PrintStream;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Prints the rows: a human table in three parts (latency, throughput, idle CPU), or one JSON line per row.
 */
final class Report
{
    /** The latency percentiles reported. */
    static final double[] PERCENTILES = {50, 90, 99, 99.9, 99.99};
    private static final String[] PERCENTILE_NAMES = {"p50Ns", "p90Ns", "p99Ns", "p99_9Ns", "p99_99Ns"};

    private final BenchSettings settings;
    private final List<String> jvmFlags;

    Report(final BenchSettings settings, final List<String> jvmFlags)
    {
        this.settings = settings;
        this.jvmFlags = jvmFlags;
    }

    /**
     * One JSON object per row.
     *
     * @param out  where.
     * @param rows the rows.
     */
    void printJson(final PrintStream out, final List<BenchResult> rows)
    {
        for (final BenchResult row : rows)
        {
            out.println(json(row));
        }
        out.flush();
    }

    String json(final BenchResult row)
    {
        final Json line = new Json()
            .field("scenario", row.scenario())
            .field("case", row.name())
            .field("metric", row.metric().label())
            .field("status", row.ok() ? "ok" : "failed")
            .field("round", row.round())
            .field("problems", row.problems())
            .field("messageLength", row.messageLength())
            .field("producers", row.producers())
            .field("consumers", row.consumers())
            .field("sent", row.sent())
            .field("received", row.received())
            .field("lost", row.lost())
            .field("disordered", row.disordered());
        final Histogram histogram = row.histogram();
        line.field("samples", histogram == null ? 0 : histogram.getTotalCount());
        for (int i = 0; i < PERCENTILES.length; i++)
        {
            line.field(PERCENTILE_NAMES[i], histogram == null ? Double.NaN :
                (double)histogram.getValueAtPercentile(PERCENTILES[i]));
        }
        line.field("maxNs", histogram == null ? Double.NaN : (double)histogram.getMaxValue())
            .field("messagesPerSecond", row.messagesPerSecond())
            .field("megabytesPerSecond", row.messagesPerSecond() * row.messageLength() / 1e6)
            .field("processCpuPercent", row.processCpuPercent())
            .field("threadCpuPercent", row.threadCpuPercent())
            .field("ratio", row.ratio())
            .field("ratioTo", row.ratioTo())
            .field("ratioToBareRings", row.bareRatio())
            .field("extra", row.extra())
            .field("flags", row.flags())
            .field("warmupSeconds", settings.warmup().toMillis() / 1000.0)
            .field("durationSeconds", settings.duration().toMillis() / 1000.0)
            .field("quick", settings.quick())
            .field("loadAverage1m", row.loadAverage())
            .field("cores", SystemInfo.cores())
            .field("java", Runtime.version().toString())
            .field("jvmFlags", jvmFlags);
        return line.toString();
    }

    /**
     * One JSON object per row over the rounds: {@code "summary": "median"}, the medians, and the per-round values
     * they came from.
     *
     * @param out     where.
     * @param medians the rows over the rounds.
     */
    void printMediansJson(final PrintStream out, final List<RoundMedian> medians)
    {
        for (final RoundMedian row : medians)
        {
            final Json line = new Json()
                .field("summary", "median")
                .field("scenario", row.scenario())
                .field("case", row.name())
                .field("metric", row.metric().label())
                .field("status", row.ok() ? "ok" : "failed")
                .field("rounds", row.rounds());
            for (int i = 0; i < PERCENTILES.length; i++)
            {
                line.field(PERCENTILE_NAMES[i], RoundMedian.median(row.percentileNs(PERCENTILES[i])));
            }
            line.field("maxNs", RoundMedian.median(row.maxNs()))
                .field("messagesPerSecond", median(row, BenchResult::messagesPerSecond))
                .field("processCpuPercent", median(row, BenchResult::processCpuPercent))
                .field("threadCpuPercent", median(row, BenchResult::threadCpuPercent))
                .field("ratio", median(row, BenchResult::ratio))
                .field("ratioTo", row.ratioTo())
                .field("ratioToBareRings", median(row, BenchResult::bareRatio))
                .field("ratioUnflagged",
                    RoundMedian.median(row.unflagged(row.perRound(BenchResult::ratio), BenchResult.Doubt.REFERENCE)))
                .field("ratioToBareRingsUnflagged",
                    RoundMedian.median(row.unflagged(row.perRound(BenchResult::bareRatio), BenchResult.Doubt.PAIR)))
                .field("flagsByRound", row.flagsByRound())
                .field("ratioByRound", row.perRound(BenchResult::ratio))
                .field("ratioToBareRingsByRound", row.perRound(BenchResult::bareRatio))
                .field("p50NsByRound", row.percentileNs(50))
                .field("p99NsByRound", row.percentileNs(99))
                .field("messagesPerSecondByRound", row.perRound(BenchResult::messagesPerSecond))
                .field("loadAverage1mByRound", row.perRound(BenchResult::loadAverage))
                .field("cores", SystemInfo.cores())
                .field("java", Runtime.version().toString())
                .field("jvmFlags", jvmFlags);
            for (final String key : ChurnScenario.P999_EXTRAS)
            {
                final double[] values = row.perRoundExtra(key);
                if (!Arrays.stream(values).allMatch(Double::isNaN))
                {
                    line.field(key, RoundMedian.median(values)).field(key + "ByRound", values);
                }
            }
            out.println(line);
        }
        out.flush();
    }

    /**
     * The table of medians over the rounds, with each round's ratio.
     *
     * @param out     where.
     * @param medians the rows over the rounds.
     */
    void printMedians(final PrintStream out, final List<RoundMedian> medians)
    {
        out.println();
        out.println("MEDIANS OF " + medians.stream().mapToInt(RoundMedian::rounds).max().orElse(0) + " ROUNDS: " +
            "each column the median of the rounds' values; ratio = median of the per-round ratios (in brackets)");
        out.println(String.format(Locale.ROOT, "%-15s %-40s %8s %8s %8s %9s %7s %7s  %s",
            "scenario", "case", "p50 us", "p99 us", "p99.9 us", "msgs/s", "vs bare", "ratio", "per round"));
        boolean anyFlagged = false;
        for (final RoundMedian row : medians)
        {
            if (row.metric() == BenchResult.Metric.IDLE_CPU)
            {
                out.println(String.format(Locale.ROOT, "%-15s %-40s %s%% of a core (process), %s%% (thread)%s",
                    row.scenario(), row.name(), percent(median(row, BenchResult::processCpuPercent)),
                    percent(median(row, BenchResult::threadCpuPercent)), row.ok() ? "" : "  FAILED in a round"));
                continue;
            }
            final double[] ratios = row.perRound(BenchResult::ratio);
            final String perRound = perRoundText(row, ratios, BenchResult.Doubt.REFERENCE);
            anyFlagged |= perRound.contains("*");
            out.println(String.format(Locale.ROOT, "%-15s %-40s %8s %8s %8s %9s %7s %7s  %s%s%s", row.scenario(),
                row.name(), microsText(RoundMedian.median(row.percentileNs(50))),
                microsText(RoundMedian.median(row.percentileNs(99))),
                microsText(RoundMedian.median(row.percentileNs(99.9))),
                count(median(row, BenchResult::messagesPerSecond)), ratioText(median(row, BenchResult::bareRatio)),
                ratioText(median(row, BenchResult::ratio)), "(" + perRound + ")",
                unflaggedText(row, ratios, BenchResult.Doubt.REFERENCE),
                row.ok() ? "" : "  FAILED in a round"));
        }
        if (anyFlagged)
        {
            out.println("* flagged in that round (see FLAGGED under the round's table): the machine's speed moved " +
                "during the case or differed from that of the row the ratio is taken to, or the floor moved; " +
                "unflagged = the median of the other rounds");
        }
        for (final RoundMedian row : medians)
        {
            printPerRound(out, row, "vs bare", row.perRound(BenchResult::bareRatio), BenchResult.Doubt.PAIR);
            for (final String key : ChurnScenario.P999_EXTRAS)
            {
                printPerRound(out, row, key, row.perRoundExtra(key), BenchResult.Doubt.CASE);
            }
        }
        out.flush();
    }

    /**
     * A ratio the table shows only as a median (or not at all), with its value in every round, when the row has it;
     * {@code *} marks the rounds whose flags put it in doubt.
     */
    private static void printPerRound(final PrintStream out, final RoundMedian row, final String label,
        final double[] values, final BenchResult.Doubt number)
    {
        if (Arrays.stream(values).allMatch(Double::isNaN))
        {
            return;
        }
        out.println(String.format(Locale.ROOT, "  %s / %s: %s median %s (%s)%s", row.scenario(), row.name(), label,
            ratioText(RoundMedian.median(values)), perRoundText(row, values, number),
            unflaggedText(row, values, number)));
    }

    /**
     * Each round's value, {@code *} after those whose flags put it in doubt.
     */
    private static String perRoundText(final RoundMedian row, final double[] values, final BenchResult.Doubt number)
    {
        final StringBuilder perRound = new StringBuilder();
        final boolean[] flagged = row.flaggedByRound(number);
        for (int round = 0; round < values.length; round++)
        {
            perRound.append(perRound.length() == 0 ? "" : " ").append(ratioText(values[round]))
                .append(flagged[round] ? "*" : "");
        }
        return perRound.toString();
    }

    /**
     * The median of the rounds whose flags do not put these values in doubt, when some do and some do not.
     */
    private static String unflaggedText(final RoundMedian row, final double[] values, final BenchResult.Doubt number)
    {
        final double[] kept = row.unflagged(values, number);
        final long counted = Arrays.stream(kept).filter(value -> !Double.isNaN(value)).count();
        final long all = Arrays.stream(values).filter(value -> !Double.isNaN(value)).count();
        return counted == 0 || counted == all ? "" :
            String.format(Locale.ROOT, " unflagged %s (%d of %d)", ratioText(RoundMedian.median(kept)), counted, all);
    }

    private static double median(final RoundMedian row, final java.util.function.ToDoubleFunction<BenchResult> value)
    {
        return RoundMedian.median(row.perRound(value));
    }

    private static String microsText(final double valueNs)
    {
        if (Double.isNaN(valueNs))
        {
            return "-";
        }
        final double micros = valueNs / 1000.0;
        return String.format(Locale.ROOT, micros < 1000 ? "%.2f" : "%.0f", micros);
    }

    private static String ratioText(final double ratio)
    {
        return Double.isNaN(ratio) ? "-" : String.format(Locale.ROOT, "%.2fx", ratio);
    }

    /**
     * The human table.
     *
     * @param out  where.
     * @param rows the rows.
     */
    void printTable(final PrintStream out, final List<BenchResult> rows)
    {
        if (rows.stream().anyMatch(row -> row.metric() == BenchResult.Metric.ROUND_TRIP ||
            row.metric() == BenchResult.Metric.WAKEUP))
        {
            printLatency(out, rows);
        }
        if (rows.stream().anyMatch(row -> row.metric() == BenchResult.Metric.THROUGHPUT))
        {
            printThroughput(out, rows);
        }
        if (rows.stream().anyMatch(row -> row.metric() == BenchResult.Metric.IDLE_CPU))
        {
            printIdleCpu(out, rows);
        }

        final List<BenchResult> flagged = rows.stream().filter(row -> !row.flags().isEmpty()).toList();
        if (!flagged.isEmpty())
        {
            out.println();
            out.println("FLAGGED (the row counts, but read it with this in mind)");
            for (final BenchResult row : flagged)
            {
                out.println("  " + row.scenario() + " / " + row.name() + ": " + String.join("; ", row.flags()));
            }
        }
        final List<BenchResult> failed = rows.stream().filter(row -> !row.ok()).toList();
        if (!failed.isEmpty())
        {
            out.println();
            out.println("FAILED CHECKS");
            for (final BenchResult row : failed)
            {
                out.println("  " + row.scenario() + " / " + row.name() + ": " + String.join("; ", row.problems()));
            }
        }
        out.flush();
    }

    private static void printLatency(final PrintStream out, final List<BenchResult> rows)
    {
        out.println();
        out.println("LATENCY, microseconds: round trip; wake-up rows one way. ratio = p50 / floor p50 " +
            "(wake-up: / half the floor; bridge: / bare Aeron UDP p50); vs bare = p50 / the p50 of its pair in the " +
            "same round: the same round trip on bare rings, for service the one-to-one ping-pong, for the WaitSet " +
            "the single-channel poll");
        out.println(String.format(Locale.ROOT, "%-15s %-34s %8s %8s %8s %8s %8s %9s %7s %7s %9s",
            "scenario", "case", "p50", "p90", "p99", "p99.9", "p99.99", "max", "ratio", "vs bare", "samples"));
        for (final BenchResult row : rows)
        {
            if (row.metric() == BenchResult.Metric.ROUND_TRIP || row.metric() == BenchResult.Metric.WAKEUP)
            {
                final Histogram histogram = row.histogram();
                final StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "%-15s %-34s",
                    row.scenario(), row.name()));
                for (final double percentile : PERCENTILES)
                {
                    line.append(' ').append(micros(histogram, histogram == null ? 0 :
                        histogram.getValueAtPercentile(percentile), 8));
                }
                line.append(' ').append(micros(histogram, histogram == null ? 0 : histogram.getMaxValue(), 9));
                line.append(String.format(Locale.ROOT, " %7s %7s %9s", ratio(row), ratioText(row.bareRatio()),
                    histogram == null ? "-" : Long.toString(histogram.getTotalCount())));
                out.println(line);
            }
        }
        for (final BenchResult row : rows)
        {
            if (row.extra().get(ChurnScenario.P999_RATIO) instanceof Double p999Ratio)
            {
                out.println(String.format(Locale.ROOT, "  %s / %s: p99.9 %s the p99.9 of the quiet run",
                    row.scenario(), row.name(), ratioText(p999Ratio)));
            }
            if (row.extra().get(ChurnScenario.P999_VS_ELSEWHERE) instanceof Double p999Ratio)
            {
                out.println(String.format(Locale.ROOT, "  %s / %s: p99.9 %s the p99.9 with the same changes in " +
                    "another region", row.scenario(), row.name(), ratioText(p999Ratio)));
            }
        }
    }

    private static void printThroughput(final PrintStream out, final List<BenchResult> rows)
    {
        out.println();
        out.println("THROUGHPUT, one way, messages per second at the consumer (broadcast: mean per receiver). " +
            "ratio = rate / bare rings (bridge: / bare Aeron UDP; pubsub: / Aeron IPC, invoked driver).");
        out.println("  latency = sampled one-way latency under load (1 in " + ThroughputProducer.SAMPLE_INTERVAL +
            " messages, includes queueing), microseconds");
        out.println(String.format(Locale.ROOT, "%-15s %-40s %9s %9s %7s %9s %9s %9s %12s %12s %10s",
            "scenario", "case", "msgs/s", "MB/s", "ratio", "lat p50", "lat p99", "lat max", "sent", "received",
            "lost"));
        for (final BenchResult row : rows)
        {
            if (row.metric() == BenchResult.Metric.THROUGHPUT)
            {
                final Histogram histogram = row.histogram();
                out.println(String.format(Locale.ROOT, "%-15s %-40s %9s %9s %7s %s %s %s %12d %12d %10d",
                    row.scenario(), row.name(), count(row.messagesPerSecond()),
                    megabytes(row.messagesPerSecond() * row.messageLength() / 1e6), ratio(row),
                    micros(histogram, histogram == null ? 0 : histogram.getValueAtPercentile(50), 9),
                    micros(histogram, histogram == null ? 0 : histogram.getValueAtPercentile(99), 9),
                    micros(histogram, histogram == null ? 0 : histogram.getMaxValue(), 9),
                    row.sent(), row.received(), row.lost()));
            }
        }
    }

    private static void printIdleCpu(final PrintStream out, final List<BenchResult> rows)
    {
        out.println();
        out.println("IDLE CPU of a consumer blocked on an empty channel, percent of one core (/proc utime+stime, " +
            "10 ms ticks)");
        out.println(String.format(Locale.ROOT, "%-15s %-40s %9s %9s", "scenario", "case", "process", "thread"));
        for (final BenchResult row : rows)
        {
            if (row.metric() == BenchResult.Metric.IDLE_CPU)
            {
                out.println(String.format(Locale.ROOT, "%-15s %-40s %8s%% %8s%%", row.scenario(), row.name(),
                    percent(row.processCpuPercent()), percent(row.threadCpuPercent())));
            }
        }
    }

    private static String micros(final Histogram histogram, final long valueNs, final int width)
    {
        if (histogram == null)
        {
            return String.format(Locale.ROOT, "%" + width + "s", "-");
        }
        final double micros = valueNs / 1000.0;
        return String.format(Locale.ROOT, "%" + width + (micros < 1000 ? ".2f" : ".0f"), micros);
    }

    private static String ratio(final BenchResult row)
    {
        return ratioText(row.ratio());
    }

    private static String count(final double value)
    {
        if (Double.isNaN(value))
        {
            return "-";
        }
        if (value >= 1e6)
        {
            return String.format(Locale.ROOT, "%.2fM", value / 1e6);
        }
        return String.format(Locale.ROOT, "%.1fk", value / 1e3);
    }

    private static String megabytes(final double value)
    {
        return Double.isNaN(value) ? "-" : String.format(Locale.ROOT, "%.1f", value);
    }

    private static String percent(final double value)
    {
        return Double.isNaN(value) ? "-" : String.format(Locale.ROOT, "%.2f", value);
    }
}
