package io.shmipc.examples.bench;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Arrays;
import java.util.Locale;

/**
 * How fast the machine moves a cache line between two cores at this moment: two threads of the bench's own JVM
 * ping-pong one word for a few milliseconds, between cases, while no child runs. This VM switches between states
 * whose round trips differ by 2-3x; a case whose probe before and after differ, or whose reference was probed at
 * another speed, is flagged, so that its ratio is read knowing the two sides may have run on different machines.
 */
final class SpeedProbe
{
    /**
     * Probes whose round trips differ by more than this fraction flag the row. The machine's states differ by 1.8x
     * to 6x (about 50, 90-120 and 310-350 ns on the development VM), while probes in one state spread by up to 25%.
     */
    static final double DRIFT_LIMIT = 0.5;
    /** The extra holding the probe's round trip before the case, in nanoseconds. */
    static final String BEFORE_NS = "speedProbeBeforeNs";
    /** The extra holding the probe's round trip after the case, in nanoseconds. */
    static final String AFTER_NS = "speedProbeAfterNs";

    private static final VarHandle WORDS = MethodHandles.arrayElementVarHandle(long[].class);
    /** The word sits in the middle of its array, so no other value shares its cache line. */
    private static final int WORD = 16;
    private static final int WARMUP_ROUND_TRIPS = 20_000;
    private static final int BATCHES = 64;
    private static final int BATCH_ROUND_TRIPS = 256;
    private static final long GIVE_UP_NS = 2_000_000_000L;
    private static final long STOP = -1;

    private SpeedProbe()
    {
    }

    /**
     * Ping-pong the word and take the median over batches of the mean round trip in each.
     *
     * @return nanoseconds per round trip, or NaN when the answering thread did not keep up within 2 s.
     */
    static double roundTripNs()
    {
        final long[] words = new long[2 * WORD];
        final Thread answerer = new Thread(() -> answer(words), "speed-probe");
        answerer.setDaemon(true);
        answerer.start();
        try
        {
            final long deadline = System.nanoTime() + GIVE_UP_NS;
            long value = 1;
            for (int i = 0; i < WARMUP_ROUND_TRIPS; i++, value += 2)
            {
                if (!pingPong(words, value, deadline))
                {
                    return Double.NaN;
                }
            }
            final double[] batchNs = new double[BATCHES];
            for (int batch = 0; batch < BATCHES; batch++)
            {
                final long start = System.nanoTime();
                for (int i = 0; i < BATCH_ROUND_TRIPS; i++, value += 2)
                {
                    if (!pingPong(words, value, deadline))
                    {
                        return Double.NaN;
                    }
                }
                batchNs[batch] = (double)(System.nanoTime() - start) / BATCH_ROUND_TRIPS;
            }
            return RoundMedian.median(batchNs);
        }
        finally
        {
            WORDS.setRelease(words, WORD, STOP);
        }
    }

    /**
     * Record both probes of a case on its row, and flag it when they differ by more than {@link #DRIFT_LIMIT}.
     *
     * @param row      the case's row.
     * @param beforeNs the probe before the case.
     * @param afterNs  the probe after it.
     */
    static void record(final BenchResult row, final double beforeNs, final double afterNs)
    {
        row.extra(BEFORE_NS, beforeNs).extra(AFTER_NS, afterNs);
        if (CaseSlices.drift(new double[] {beforeNs, afterNs}) > DRIFT_LIMIT)
        {
            row.flag(String.format(Locale.ROOT, "the machine's speed moved during the case (probe %.0f ns before, " +
                "%.0f ns after)", beforeNs, afterNs));
        }
    }

    /**
     * Flag a row whose reference row was probed at another speed, or was itself disturbed: its ratio compares two
     * machines.
     *
     * @param row       the row.
     * @param reference the row its ratio is taken to.
     * @param doubt     which ratio: {@link BenchResult.Doubt#REFERENCE} or {@link BenchResult.Doubt#PAIR}.
     */
    static void compare(final BenchResult row, final BenchResult reference, final BenchResult.Doubt doubt)
    {
        if (row == reference)
        {
            return;
        }
        final String which = (doubt == BenchResult.Doubt.PAIR ? "pair " : "reference ") + reference.key();
        final double rowNs = speedNs(row);
        final double referenceNs = speedNs(reference);
        if (CaseSlices.drift(new double[] {rowNs, referenceNs}) > DRIFT_LIMIT)
        {
            row.flag(doubt, String.format(Locale.ROOT, "its %s ran at another speed (probe %.0f ns, this row %.0f ns)",
                which, referenceNs, rowNs));
        }
        else if (reference.doubted(BenchResult.Doubt.CASE))
        {
            row.flag(doubt, "its " + which + " was flagged itself");
        }
    }

    /**
     * A row's speed: the mean of its two probes.
     *
     * @return nanoseconds, NaN when the row was not probed.
     */
    static double speedNs(final BenchResult row)
    {
        final double[] probes = Arrays.stream(new String[] {BEFORE_NS, AFTER_NS})
            .mapToDouble(key -> row.extra().get(key) instanceof Double value ? value : Double.NaN).toArray();
        return (probes[0] + probes[1]) / 2;
    }

    private static boolean pingPong(final long[] words, final long value, final long deadline)
    {
        WORDS.setRelease(words, WORD, value);
        for (int spins = 1; (long)WORDS.getAcquire(words, WORD) != value + 1; spins++)
        {
            if ((spins & 0xFFFF) == 0 && System.nanoTime() > deadline)
            {
                return false;
            }
        }
        return true;
    }

    private static void answer(final long[] words)
    {
        while (true)
        {
            final long value = (long)WORDS.getAcquire(words, WORD);
            if (value == STOP)
            {
                return;
            }
            if ((value & 1) == 1)
            {
                // A compare-and-set, so that a stop written after a ping the prober gave up on is never overwritten.
                WORDS.compareAndSet(words, WORD, value, value + 1);
            }
        }
    }
}
