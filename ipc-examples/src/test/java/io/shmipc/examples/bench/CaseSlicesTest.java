package io.shmipc.examples.bench;

import io.shmipc.toolkit.SequencedMessage;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A case's measured window in slices: which slice a moment falls in, how far the slices' values spread, the flag
 * on a row whose slices disagree, and the slices the ping loop and the throughput producer report.
 */
class CaseSlicesTest
{
    private static final long MS = TimeUnit.MILLISECONDS.toNanos(1);

    @Test
    void aMomentFallsInTheTenthOfTheWindowItIsIn()
    {
        assertEquals(0, CaseSlices.index(1_000, 1_000, 100));
        assertEquals(0, CaseSlices.index(500, 1_000, 100), "before the window: the first slice");
        assertEquals(3, CaseSlices.index(1_035, 1_000, 100));
        assertEquals(9, CaseSlices.index(1_099, 1_000, 100));
        assertEquals(9, CaseSlices.index(5_000, 1_000, 100), "after the window: the last slice");
    }

    @Test
    void slicesThatDisagreeByHalfFlagTheRow()
    {
        assertArrayEquals(new double[] {180, 190.5}, CaseSlices.numbers("180,190.5"));
        assertEquals(0, CaseSlices.numbers(null).length);
        assertEquals(0.5, CaseSlices.drift(new double[] {200, 300, 250}), 1e-9);
        assertEquals(0, CaseSlices.drift(new double[] {200, 0}), "a slice without samples says nothing");

        final BenchResult steady = new BenchResult("pingpong", "steady", BenchResult.Metric.ROUND_TRIP);
        CaseSlices.flagDrift(steady, "180,190,200,181", "round trip p50 (ns)");
        assertTrue(steady.flags().isEmpty(), steady.flags().toString());
        final BenchResult flipped = new BenchResult("pingpong", "flipped", BenchResult.Metric.ROUND_TRIP);
        CaseSlices.flagDrift(flipped, "180,190,551,560", "round trip p50 (ns)");
        assertEquals(1, flipped.flags().size(), flipped.flags().toString());
        assertTrue(flipped.doubted(BenchResult.Doubt.CASE));
        assertTrue(flipped.flags().get(0).contains("its own round trip p50 (ns) moved 211% during the case " +
            "(slices 180,190,551,560)"), flipped.flags().get(0));
        final BenchResult none = new BenchResult("pingpong", "none", BenchResult.Metric.ROUND_TRIP);
        CaseSlices.flagDrift(none, null, "round trip p50 (ns)");
        assertTrue(none.flags().isEmpty());
    }

    @Test
    void thePingLoopReportsThePercentileOfEachSlice() throws Exception
    {
        final long[] last = new long[1];
        final RoundTrip echo = new RoundTrip()
        {
            @Override
            public void send(final UnsafeBuffer message, final int length)
            {
                last[0] = SequencedMessage.sequence(message, 0);
            }

            @Override
            public long awaitReply()
            {
                return last[0];
            }
        };
        final Map<String, String> result = PingLoop.run(echo, SequencedMessage.HEADER_LENGTH, 5 * MS, 50 * MS);
        final double[] p50s = CaseSlices.numbers(result.get(Keys.SLICE_P50S));
        // A slice the VM spent stalled (one round trip longer than a slice) has no sample and is left out: the count
        // depends on the machine, every value present must be a round trip's.
        assertTrue(p50s.length >= 1 && p50s.length <= CaseSlices.COUNT, result.get(Keys.SLICE_P50S));
        for (final double p50 : p50s)
        {
            assertTrue(p50 > 0, result.get(Keys.SLICE_P50S));
        }
    }

    @Test
    void theProducerReportsTheRateOfEachSliceAndTheyAddUpToItsRate() throws Exception
    {
        final Map<String, String> result = ThroughputProducer.run((message, length) -> true, 0,
            SequencedMessage.HEADER_LENGTH, 5 * MS, 100 * MS, 0, null);
        final double[] rates = CaseSlices.numbers(result.get(Keys.SLICE_RATES));
        assertTrue(rates.length >= CaseSlices.COUNT - 1 && rates.length <= CaseSlices.COUNT + 1,
            result.get(Keys.SLICE_RATES));
        final double rate = Long.parseLong(result.get(Keys.MEASURED_SENT)) * 1e9 /
            Long.parseLong(result.get(Keys.MEASURED_SEND_NS));
        double least = Double.MAX_VALUE;
        double most = 0;
        for (final double slice : rates)
        {
            least = Math.min(least, slice);
            most = Math.max(most, slice);
        }
        assertTrue(least <= rate * 1.0001 && rate <= most * 1.0001, "the whole rate " + rate + " lies within the " +
            "slices' " + result.get(Keys.SLICE_RATES));
    }
}
