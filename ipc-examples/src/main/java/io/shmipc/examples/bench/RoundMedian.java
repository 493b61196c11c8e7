package io.shmipc.examples.bench;

import org.HdrHistogram.Histogram;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/**
 * One row over several rounds ({@code --rounds}): the per-round values of its percentiles, rate, CPU and ratio,
 * and their medians. On a shared machine single runs scatter; the median of rounds run back to back, each ratio
 * taken within its own round, is the number to quote.
 */
final class RoundMedian
{
    private final BenchResult first;
    private final List<BenchResult> rounds = new ArrayList<>();

    private RoundMedian(final BenchResult first)
    {
        this.first = first;
    }

    /**
     * Group the rows of every round by scenario and case, in the order of the first round.
     *
     * @param roundRows each round's rows.
     * @return one entry per row.
     */
    static List<RoundMedian> of(final List<List<BenchResult>> roundRows)
    {
        final Map<String, RoundMedian> byRow = new LinkedHashMap<>();
        for (final List<BenchResult> rows : roundRows)
        {
            for (final BenchResult row : rows)
            {
                final String name = row.scenario() + " / " + row.name();
                byRow.computeIfAbsent(name, unused -> new RoundMedian(row)).rounds.add(row);
            }
        }
        return new ArrayList<>(byRow.values());
    }

    String scenario()
    {
        return first.scenario();
    }

    String name()
    {
        return first.name();
    }

    BenchResult.Metric metric()
    {
        return first.metric();
    }

    String ratioTo()
    {
        return rounds.stream().map(BenchResult::ratioTo).filter(to -> to != null).findFirst().orElse(null);
    }

    int rounds()
    {
        return rounds.size();
    }

    /**
     * Whether every round of this row passed its checks.
     *
     * @return true when none failed.
     */
    boolean ok()
    {
        return rounds.stream().allMatch(BenchResult::ok);
    }

    /**
     * A percentile of each round's latency histogram.
     *
     * @param percentile e.g. 99.
     * @return nanoseconds per round, NaN where a round had no samples.
     */
    double[] percentileNs(final double percentile)
    {
        return rounds.stream().mapToDouble(row ->
        {
            final Histogram histogram = row.histogram();
            return histogram == null ? Double.NaN : histogram.getValueAtPercentile(percentile);
        }).toArray();
    }

    double[] maxNs()
    {
        return rounds.stream().mapToDouble(row ->
            row.histogram() == null ? Double.NaN : row.histogram().getMaxValue()).toArray();
    }

    /**
     * One value of each round's row.
     *
     * @param value which value, e.g. {@code BenchResult::ratio}.
     * @return the values, NaN where a round has none.
     */
    double[] perRound(final ToDoubleFunction<BenchResult> value)
    {
        return rounds.stream().mapToDouble(value).toArray();
    }

    /**
     * A ratio the row carries as an extra ({@link BenchResult#extra()}), in every round.
     *
     * @param key the extra's name.
     * @return per round, NaN where that round's row does not carry it.
     */
    double[] perRoundExtra(final String key)
    {
        return perRound(row -> row.extra().get(key) instanceof Double value ? value : Double.NaN);
    }

    /**
     * What each round flagged on this row.
     *
     * @return per round, its flags joined by "; ", empty when it flagged nothing.
     */
    List<String> flagsByRound()
    {
        return rounds.stream().map(row -> String.join("; ", row.flags())).toList();
    }

    /**
     * Which rounds put a number of this row in doubt.
     *
     * @param number which number ({@link BenchResult#doubted}).
     * @return per round, true when the round's row carries a flag on it.
     */
    boolean[] flaggedByRound(final BenchResult.Doubt number)
    {
        final boolean[] flagged = new boolean[rounds.size()];
        for (int i = 0; i < flagged.length; i++)
        {
            flagged[i] = rounds.get(i).doubted(number);
        }
        return flagged;
    }

    /**
     * The values of the rounds that did not put them in doubt, NaN for the others: what the row says when the
     * machine held still.
     *
     * @param values per-round values of this row.
     * @param number which number they are ({@link BenchResult#doubted}).
     * @return the same values with the doubted rounds' replaced by NaN.
     */
    double[] unflagged(final double[] values, final BenchResult.Doubt number)
    {
        final boolean[] flagged = flaggedByRound(number);
        final double[] kept = values.clone();
        for (int i = 0; i < kept.length; i++)
        {
            kept[i] = flagged[i] ? Double.NaN : kept[i];
        }
        return kept;
    }

    /**
     * The median of the values that are numbers (the mean of the middle two for an even count).
     *
     * @param values per-round values, NaN for none.
     * @return the median, or NaN when no value is a number.
     */
    static double median(final double[] values)
    {
        final double[] numbers = Arrays.stream(values).filter(value -> !Double.isNaN(value)).sorted().toArray();
        if (numbers.length == 0)
        {
            return Double.NaN;
        }
        final int middle = numbers.length / 2;
        return numbers.length % 2 == 1 ? numbers[middle] : (numbers[middle - 1] + numbers[middle]) / 2;
    }
}
