package io.shmipc.examples.support;

import org.HdrHistogram.Histogram;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * Latencies in nanoseconds, kept in an HdrHistogram (three significant digits, up to a minute), reported in
 * microseconds. Recording allocates nothing.
 */
public final class LatencyRecorder
{
    private static final long HIGHEST_TRACKABLE_NS = TimeUnit.MINUTES.toNanos(1);
    private static final double[] PERCENTILES = {50, 90, 99, 99.9, 99.99};
    private static final String[] PERCENTILE_KEYS = {"p50-us", "p90-us", "p99-us", "p99.9-us", "p99.99-us"};

    private final Histogram histogram = new Histogram(HIGHEST_TRACKABLE_NS, 3);

    /**
     * Record one latency; values outside 0 to a minute are clamped.
     *
     * @param nanoseconds the latency.
     */
    public void record(final long nanoseconds)
    {
        histogram.recordValue(Math.max(0, Math.min(nanoseconds, HIGHEST_TRACKABLE_NS)));
    }

    /**
     * Latencies recorded.
     *
     * @return the count.
     */
    public long count()
    {
        return histogram.getTotalCount();
    }

    /**
     * A percentile, in microseconds.
     *
     * @param percentile e.g. 99.9.
     * @return microseconds.
     */
    public double percentileMicros(final double percentile)
    {
        return histogram.getValueAtPercentile(percentile) / 1000.0;
    }

    /**
     * The largest latency, in microseconds.
     *
     * @return microseconds.
     */
    public double maxMicros()
    {
        return histogram.getMaxValue() / 1000.0;
    }

    /**
     * The mean latency, in microseconds.
     *
     * @return microseconds.
     */
    public double meanMicros()
    {
        return histogram.getMean() / 1000.0;
    }

    /**
     * One line: {@code p50 3.1 | p90 4.0 | ... | max 80.2 us}.
     *
     * @return the summary.
     */
    public String summary()
    {
        final StringBuilder text = new StringBuilder();
        for (final double percentile : PERCENTILES)
        {
            text.append('p').append(label(percentile)).append(' ').append(micros(percentileMicros(percentile)))
                .append(" | ");
        }
        return text.append("max ").append(micros(maxMicros())).append(" us").toString();
    }

    /**
     * A percentile table, one line per percentile, for printing.
     *
     * @return the lines.
     */
    public List<String> table()
    {
        final List<String> lines = new ArrayList<>();
        lines.add(String.format(Locale.ROOT, "%12s %14s", "percentile", "latency (us)"));
        for (final double percentile : PERCENTILES)
        {
            lines.add(String.format(Locale.ROOT, "%12s %14s", label(percentile) + "%", micros(percentileMicros(
                percentile))));
        }
        lines.add(String.format(Locale.ROOT, "%12s %14s", "max", micros(maxMicros())));
        lines.add(String.format(Locale.ROOT, "%12s %14s", "mean", micros(meanMicros())));
        return lines;
    }

    /**
     * Add {@code p50-us} to {@code p99.99-us}, {@code max-us} and {@code mean-us} to a result line.
     *
     * @param line the result line.
     * @return the same line.
     */
    public DoneLine addTo(final DoneLine line)
    {
        for (int i = 0; i < PERCENTILES.length; i++)
        {
            line.add(PERCENTILE_KEYS[i], percentileMicros(PERCENTILES[i]));
        }
        return line.add("max-us", maxMicros()).add("mean-us", meanMicros());
    }

    private static String label(final double percentile)
    {
        return percentile == Math.rint(percentile) ? Long.toString((long)percentile) : Double.toString(percentile);
    }

    private static String micros(final double micros)
    {
        return String.format(Locale.ROOT, micros < 100 ? "%.2f" : "%.1f", micros);
    }
}
