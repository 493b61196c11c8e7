package io.shmipc.examples.bench;

import org.HdrHistogram.Histogram;

import java.util.Arrays;
import java.util.Locale;

/**
 * A case's measured window cut into equal slices of time, each summarised on its own (a ping-pong's p50, a producer's
 * rate), so that the machine changing state in the middle of a case shows as slices that disagree: the speed probe
 * between cases cannot see a change and its return within one case.
 */
final class CaseSlices
{
    /** Slices per measured window. */
    static final int COUNT = 10;

    private CaseSlices()
    {
    }

    /**
     * The slice a moment of the measured window falls in.
     *
     * @param nowNs      the moment.
     * @param startNs    the window's start.
     * @param durationNs the window's length.
     * @return 0 to {@link #COUNT} - 1.
     */
    static int index(final long nowNs, final long startNs, final long durationNs)
    {
        final long slice = durationNs <= 0 ? 0 : (nowNs - startNs) * COUNT / durationNs;
        return (int)Math.max(0, Math.min(COUNT - 1, slice));
    }

    /**
     * One histogram per slice, made before the run.
     *
     * @return the histograms.
     */
    static Histogram[] newHistograms()
    {
        final Histogram[] slices = new Histogram[COUNT];
        for (int i = 0; i < COUNT; i++)
        {
            slices[i] = RoleContext.newHistogram();
        }
        return slices;
    }

    /**
     * Each slice's p50, for a result line; slices without samples are left out.
     *
     * @param slices the histograms.
     * @return the p50s, comma-separated.
     */
    static String p50s(final Histogram[] slices)
    {
        final StringBuilder text = new StringBuilder();
        for (final Histogram slice : slices)
        {
            if (slice.getTotalCount() > 0)
            {
                text.append(text.length() == 0 ? "" : ",").append(slice.getValueAtPercentile(50));
            }
        }
        return text.toString();
    }

    /**
     * The largest of some positive values over the smallest, less one.
     *
     * @param values the values; those not above zero are left out.
     * @return the fraction, 0 with fewer than two values.
     */
    static double drift(final double[] values)
    {
        final double[] positive = Arrays.stream(values).filter(value -> value > 0).toArray();
        if (positive.length < 2)
        {
            return 0;
        }
        return Arrays.stream(positive).max().getAsDouble() / Arrays.stream(positive).min().getAsDouble() - 1;
    }

    /**
     * Parse a comma-separated list of numbers from a result line.
     *
     * @param list the list, or {@code null}.
     * @return the numbers; none for {@code null} or an empty list.
     */
    static double[] numbers(final String list)
    {
        if (list == null || list.isEmpty())
        {
            return new double[0];
        }
        return Arrays.stream(list.split(",")).mapToDouble(Double::parseDouble).toArray();
    }

    /**
     * Flag a row whose own slices disagree by more than {@link SpeedProbe#DRIFT_LIMIT}: the machine changed state
     * during the case.
     *
     * @param row    the row.
     * @param slices the slices' values, comma-separated, or {@code null} when the case has none.
     * @param what   what the values are, e.g. "round trip p50 (ns)".
     */
    static void flagDrift(final BenchResult row, final String slices, final String what)
    {
        final double[] values = numbers(slices);
        final double drift = drift(values);
        if (drift > SpeedProbe.DRIFT_LIMIT)
        {
            row.flag(String.format(Locale.ROOT, "its own %s moved %.0f%% during the case (slices %s)", what,
                drift * 100, slices));
        }
    }
}
