package io.shmipc.examples.bench;

import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class StrictScenarioTest
{
    @Test
    void aRowWhoseFloorSlicesDifferByMoreThanAFifthIsFlaggedAndStillCounts()
    {
        final BenchResult steady = StrictScenario.withFloor(row(), floor(100, 110, 120));
        assertTrue(steady.flags().isEmpty(), () -> "20% apart is not flagged: " + steady.flags());
        assertEquals(110L, steady.extra().get("floorP50Ns"));

        final BenchResult moved = StrictScenario.withFloor(row(), floor(100, 121, 110));
        assertEquals(1, moved.flags().size(), () -> "flags: " + moved.flags());
        assertTrue(moved.flags().get(0).contains("floor moved 21%") && moved.flags().get(0).contains("100..121"),
            moved.flags()::toString);
        assertTrue(moved.ok(), "a flag is not a failure");
    }

    @Test
    void aPairedRowsRatioIsTheMedianOfItsSlicesRatios()
    {
        final BenchResult library = row();
        StrictScenario.pairSlices(library, Map.of(Keys.SLICE_P50S, "100,200,100"),
            Map.of(Keys.SLICE_P50S, "110,200,300"), true);
        assertEquals(1.1, library.ratio(), 1e-9, "median of 1.1, 1.0 and 3.0");
        assertEquals("1.10 1.00 3.00", library.extra().get("sliceRatios"));
        assertEquals("bare rings p50, same slices", library.ratioTo());

        final BenchResult stream = new BenchResult("s", "r", BenchResult.Metric.THROUGHPUT);
        StrictScenario.pairSlices(stream, Map.of(Keys.SLICE_RATES, "10,20"), Map.of(Keys.SLICE_RATES, "9,19"),
            false);
        assertEquals((0.9 + 0.95) / 2, stream.ratio(), 1e-9);
        assertEquals("bare rings rate, same slices", stream.ratioTo());
    }

    @Test
    void theMediansMarkTheRoundsThatFlaggedARow()
    {
        final BenchResult first = row();
        final BenchResult second = row().flag("floor moved");
        final List<RoundMedian> medians = RoundMedian.of(List.of(List.of(first), List.of(second)));
        assertArrayEquals(new boolean[] {false, true}, medians.get(0).flaggedByRound(BenchResult.Doubt.REFERENCE));
    }

    private static BenchResult row()
    {
        return new BenchResult("strict-paired", "one-to-one: shm-ipc 32B", BenchResult.Metric.ROUND_TRIP);
    }

    /**
     * A role's result with floor slices of these p50s (each slice one value).
     */
    private static Map<String, String> floor(final long... sliceP50s)
    {
        final Histogram all = RoleContext.newHistogram();
        final StringBuilder p50s = new StringBuilder();
        for (final long p50 : sliceP50s)
        {
            RoleContext.record(all, p50);
            p50s.append(p50s.length() == 0 ? "" : ",").append(p50);
        }
        return Map.of(Keys.FLOOR_HISTOGRAM, HistogramCodec.encode(all), Keys.FLOOR_SLICE_P50S, p50s.toString());
    }
}
