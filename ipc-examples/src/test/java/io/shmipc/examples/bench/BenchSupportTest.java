package io.shmipc.examples.bench;

import io.shmipc.toolkit.KeyValues;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BenchSupportTest
{
    @Test
    void histogramsSurviveTheResultLine()
    {
        final Histogram histogram = RoleContext.newHistogram();
        for (int value = 1; value <= 1000; value++)
        {
            RoleContext.record(histogram, value * 100L);
        }
        final String line = KeyValues.format(RoleContext.RESULT,
            Map.of(Keys.HISTOGRAM, HistogramCodec.encode(histogram)));
        final Histogram decoded = HistogramCodec.decode(
            KeyValues.startingWith(RoleContext.RESULT, line).get(Keys.HISTOGRAM));
        assertEquals(histogram.getTotalCount(), decoded.getTotalCount());
        assertEquals(histogram.getValueAtPercentile(99), decoded.getValueAtPercentile(99));
    }

    /**
     * A refused time names the option it came from and the value as the options take it, as the other options'
     * errors do.
     */
    @Test
    void aRefusedTimeNamesItsOption()
    {
        final Duration second = Duration.ofSeconds(1);
        assertEquals("--duration must be above 0: 0", assertThrows(IllegalArgumentException.class,
            () -> settings(second, Duration.ZERO, second, second)).getMessage());
        assertEquals("--warmup must be 0 or more: -500ms", assertThrows(IllegalArgumentException.class,
            () -> settings(Duration.ofMillis(-500), second, second, second)).getMessage());
        assertEquals("--idle-window must be above 0: 0", assertThrows(IllegalArgumentException.class,
            () -> settings(second, second, Duration.ZERO, second)).getMessage());
        assertEquals("--wakeup-pause must be above 0: -1s", assertThrows(IllegalArgumentException.class,
            () -> settings(second, second, second, Duration.ofSeconds(-1))).getMessage());
        assertEquals(Duration.ZERO, settings(Duration.ZERO, second, second, second).warmup());
    }

    private static BenchSettings settings(final Duration warmup, final Duration duration, final Duration idleWindow,
        final Duration wakeupPause)
    {
        return new BenchSettings(warmup, duration, idleWindow, wakeupPause, false, false, List.of());
    }

    @Test
    void selectingAScenarioAddsTheReferencesItsRatiosNeed()
    {
        final ByteArrayOutputStream notes = new ByteArrayOutputStream();
        final List<Scenario> selected = BenchRunner.select(List.of("uds"),
            new PrintStream(notes, true, StandardCharsets.UTF_8));
        assertEquals(List.of("floor", "baseline-rings", "uds"), selected.stream().map(Scenario::name).toList());
        assertTrue(notes.toString(StandardCharsets.UTF_8).contains("added baseline-rings"));
        assertEquals(BenchRunner.SCENARIOS, BenchRunner.select(List.of(), System.err));
        assertThrows(IllegalArgumentException.class, () -> BenchRunner.select(List.of("nope"), System.err));
    }

    @Test
    void selectingCasesByKeyAddsTheFloorAndThePairedBareRingCase()
    {
        final ByteArrayOutputStream notes = new ByteArrayOutputStream();
        final List<String> keys = BenchRunner.cases(BenchRunner.SCENARIOS, List.of("PINGPONG:one_to_one"),
            new PrintStream(notes, true, StandardCharsets.UTF_8)).stream().map(BenchCase::key).toList();
        assertEquals(List.of(Rows.FLOOR_KEY, BaselineRingsScenario.pingPongKey(io.shmipc.ChannelKind.ONE_TO_ONE),
            "pingpong:ONE_TO_ONE"), keys);
        assertTrue(notes.toString(StandardCharsets.UTF_8).contains("added floor"), notes::toString);

        final String library = Rows.throughputKey("shm", io.shmipc.ChannelKind.ONE_TO_ONE, 256, 1, 1);
        assertEquals(List.of(Rows.throughputKey("rings", io.shmipc.ChannelKind.ONE_TO_ONE, 256, 1, 1), library),
            BenchRunner.cases(BenchRunner.SCENARIOS, List.of(library), System.err).stream()
                .map(BenchCase::key).toList());
        assertThrows(IllegalArgumentException.class,
            () -> BenchRunner.cases(BenchRunner.SCENARIOS, List.of("no-such-case"), System.err));
    }

    /**
     * The fan-out rows that park when blocked are compared with Aeron IPC's rows that park too, as many subscribers
     * each, never with a spinning reference.
     */
    @Test
    void theParkedFanOutRowsAreComparedWithAeronIpcParkedToo()
    {
        final List<BenchCase> cases = BenchRunner.cases(BenchRunner.SCENARIOS, List.of("parked"), System.err);
        final List<String> keys = cases.stream().map(BenchCase::key).toList();
        for (final String subscribers : List.of("1x1", "1x3"))
        {
            final String log = "shm:PUBLISH_SUBSCRIBE:32:" + subscribers + Rows.PARKED_SUFFIX;
            final String aeron = "aeron-ipc:INVOKER:32" + (subscribers.equals("1x1") ? "" : ":" + subscribers) +
                Rows.PARKED_SUFFIX;
            final BenchCase logCase = cases.stream().filter(c -> c.key().equals(log)).findFirst().orElseThrow();
            assertEquals(aeron, logCase.pairKey(), keys.toString());
            assertTrue(keys.contains(aeron), keys.toString());
        }
        assertEquals(4, keys.stream().filter(key -> key.endsWith(Rows.PARKED_SUFFIX)).count(), keys.toString());
    }

    @Test
    void anExtraRatioIsKeptRoundByRoundAndMissingRoundsAreNotNumbers()
    {
        final BenchResult first = new BenchResult("churn", "row", BenchResult.Metric.ROUND_TRIP)
            .extra(ChurnScenario.P999_VS_ELSEWHERE, 1.5);
        final BenchResult second = new BenchResult("churn", "row", BenchResult.Metric.ROUND_TRIP);
        final BenchResult third = new BenchResult("churn", "row", BenchResult.Metric.ROUND_TRIP)
            .extra(ChurnScenario.P999_VS_ELSEWHERE, 0.5);
        final List<RoundMedian> medians = RoundMedian.of(List.of(List.of(first), List.of(second), List.of(third)));
        assertEquals(1, medians.size());
        final double[] values = medians.get(0).perRoundExtra(ChurnScenario.P999_VS_ELSEWHERE);
        assertEquals(3, values.length);
        assertEquals(1.5, values[0]);
        assertTrue(Double.isNaN(values[1]));
        assertEquals(0.5, values[2]);
        assertEquals(1.0, RoundMedian.median(values));
        assertTrue(Double.isNaN(RoundMedian.median(medians.get(0).perRoundExtra("absent"))));
    }

    @Test
    void mediansOfRoundsSkipMissingValues()
    {
        assertEquals(2.0, RoundMedian.median(new double[] {3, 1, 2}));
        assertEquals(2.5, RoundMedian.median(new double[] {4, 1, 3, 2}));
        assertEquals(5.0, RoundMedian.median(new double[] {Double.NaN, 5}));
        assertTrue(Double.isNaN(RoundMedian.median(new double[] {Double.NaN})));
    }

    @Test
    void runsEachCaseRightAfterTheReferenceItIsComparedWith()
    {
        final List<BenchCase> cases = new java.util.ArrayList<>();
        for (final Scenario scenario : BenchRunner.SCENARIOS)
        {
            cases.addAll(scenario.cases());
        }
        final List<String> order = BenchRunner.order(cases).stream().map(BenchCase::key).toList();
        assertEquals(cases.size(), order.size());
        assertEquals(Rows.FLOOR_KEY, order.get(0));
        final String rings = Rows.throughputKey("rings", io.shmipc.ChannelKind.MANY_TO_ONE, 32, 2, 1);
        final String library = Rows.throughputKey("shm", io.shmipc.ChannelKind.MANY_TO_ONE, 32, 2, 1);
        assertEquals(order.indexOf(rings) + 1, order.indexOf(library), order.toString());
        assertEquals(order.indexOf(BaselineRingsScenario.pingPongKey(io.shmipc.ChannelKind.ONE_TO_ONE)) + 1,
            order.indexOf("pingpong:ONE_TO_ONE"), order.toString());
    }

    @Test
    void eachRoundStartsOneCaseLaterAfterTheFloor()
    {
        final List<BenchCase> cases = BenchRunner.order(BenchRunner.cases(
            BenchRunner.select(List.of(PublishSubscribeScenario.NAME), System.err), List.of(), System.err));
        final List<BenchCase> first = BenchRunner.rotate(cases, 1);
        final List<BenchCase> second = BenchRunner.rotate(cases, 2);
        assertEquals(cases, first);
        assertEquals(Rows.FLOOR_KEY, second.get(0).key());
        assertEquals(cases.get(2), second.get(1));
        assertEquals(cases.get(1), second.get(second.size() - 1));
        assertEquals(cases, BenchRunner.rotate(cases, cases.size()));
    }

    @Test
    void ratiosAreToTheReferenceRowOfTheSameRun()
    {
        final Histogram floorLatency = RoleContext.newHistogram();
        RoleContext.record(floorLatency, 200);
        final Histogram latency = RoleContext.newHistogram();
        RoleContext.record(latency, 1000);
        final BenchResult floor = new BenchResult("floor", "word", BenchResult.Metric.ROUND_TRIP)
            .key(Rows.FLOOR_KEY).referenceKey(Rows.FLOOR_KEY).histogram(floorLatency);
        final Histogram bareLatency = RoleContext.newHistogram();
        RoleContext.record(bareLatency, 400);
        final BenchResult bare = new BenchResult("baseline-rings", "x", BenchResult.Metric.ROUND_TRIP)
            .key("bare:x").referenceKey(Rows.FLOOR_KEY).histogram(bareLatency);
        final BenchResult pingPong = new BenchResult("pingpong", "x", BenchResult.Metric.ROUND_TRIP)
            .referenceKey(Rows.FLOOR_KEY).bareKey("bare:x").histogram(latency);
        final BenchResult wakeup = new BenchResult("wakeup", "x", BenchResult.Metric.WAKEUP)
            .referenceKey(Rows.FLOOR_KEY).histogram(latency);
        final BenchResult rings = new BenchResult("baseline-rings", "x", BenchResult.Metric.THROUGHPUT)
            .key("rings:x").referenceKey("rings:x").messagesPerSecond(4e6);
        final BenchResult library = new BenchResult("throughput", "x", BenchResult.Metric.THROUGHPUT)
            .referenceKey("rings:x").messagesPerSecond(3e6);
        BenchRunner.computeRatios(List.of(floor, bare, pingPong, wakeup, rings, library));
        assertEquals(1.0, floor.ratio(), 0.01);
        assertEquals(5.0, pingPong.ratio(), 0.01);
        assertEquals(2.5, pingPong.bareRatio(), 0.01);
        assertTrue(Double.isNaN(wakeup.bareRatio()), "no bare ratio without a bare row");
        assertEquals(10.0, wakeup.ratio(), 0.02);
        assertEquals(0.75, library.ratio(), 1e-9);
    }

    @Test
    void aRowIsFlaggedWhenTheMachinesSpeedMovedDuringIt()
    {
        final BenchResult steady = probed(null, null, 300, 330);
        assertTrue(steady.flags().isEmpty(), steady.flags().toString());
        final BenchResult fastAndNoisy = probed(null, null, 47, 68);
        assertTrue(fastAndNoisy.flags().isEmpty(), "the probe's own spread in one state: " + fastAndNoisy.flags());
        final BenchResult moved = probed(null, null, 110, 330);
        assertEquals(1, moved.flags().size(), moved.flags().toString());
        assertTrue(moved.flags().get(0).contains("110 ns before, 330 ns after"), moved.flags().get(0));
        assertTrue(moved.doubted(BenchResult.Doubt.PAIR) && moved.doubted(BenchResult.Doubt.REFERENCE));
    }

    @Test
    void aRatioIsFlaggedWhenTheRowItIsTakenToRanAtAnotherSpeedOrWasFlaggedItself()
    {
        final BenchResult reference = probed("aeron:x", "aeron:x", 100, 105);
        final BenchResult sameSpeed = probed(null, "aeron:x", 110, 100);
        final BenchResult otherSpeed = probed(null, "aeron:x", 320, 330);
        final BenchResult unprobed = new BenchResult("pubsub", "log", BenchResult.Metric.THROUGHPUT)
            .referenceKey("aeron:x").messagesPerSecond(4e6);
        final BenchResult disturbed = probed("rings:y", "rings:y", 100, 330);
        final BenchResult besideDisturbed = probed(null, "rings:y", 200, 210);
        final Histogram latency = RoleContext.newHistogram();
        RoleContext.record(latency, 500);
        final BenchResult pair = new BenchResult("baseline-rings", "x", BenchResult.Metric.ROUND_TRIP)
            .key("bare:x").histogram(latency);
        SpeedProbe.record(pair, 300, 310);
        final BenchResult pairElsewhere = new BenchResult("pingpong", "x", BenchResult.Metric.ROUND_TRIP)
            .bareKey("bare:x").histogram(latency);
        SpeedProbe.record(pairElsewhere, 100, 100);
        BenchRunner.computeRatios(List.of(reference, sameSpeed, otherSpeed, unprobed, disturbed, besideDisturbed,
            pair, pairElsewhere));

        assertTrue(reference.flags().isEmpty(), reference.flags().toString());
        assertTrue(sameSpeed.flags().isEmpty(), sameSpeed.flags().toString());
        assertTrue(unprobed.flags().isEmpty(), "no probe says nothing: " + unprobed.flags());
        assertEquals(1, otherSpeed.flags().size(), otherSpeed.flags().toString());
        assertTrue(otherSpeed.flags().get(0).contains("its reference aeron:x"), otherSpeed.flags().get(0));
        assertTrue(otherSpeed.doubted(BenchResult.Doubt.REFERENCE) && !otherSpeed.doubted(BenchResult.Doubt.PAIR));
        assertEquals(1.0, otherSpeed.ratio(), 1e-9, "the ratio is still reported");
        assertEquals(List.of("its reference rings:y was flagged itself"), besideDisturbed.flags());
        assertTrue(pairElsewhere.doubted(BenchResult.Doubt.PAIR) && !pairElsewhere.doubted(BenchResult.Doubt.REFERENCE),
            pairElsewhere.flags().toString());
        assertTrue(pairElsewhere.flags().get(0).contains("its pair bare:x"), pairElsewhere.flags().get(0));
    }

    /**
     * A throughput row of 4 M/s, probed before and after its case.
     */
    private static BenchResult probed(final String key, final String referenceKey, final double beforeNs,
        final double afterNs)
    {
        final BenchResult row = new BenchResult("pubsub", String.valueOf(key), BenchResult.Metric.THROUGHPUT)
            .key(key).referenceKey(referenceKey).messagesPerSecond(4e6);
        SpeedProbe.record(row, beforeNs, afterNs);
        return row;
    }

    @Test
    void theUnflaggedMedianLeavesOutTheRoundsWhoseFlagsConcernThatRatio()
    {
        final BenchResult moved = new BenchResult("pubsub", "row", BenchResult.Metric.ROUND_TRIP)
            .flag("the machine's speed moved");
        final BenchResult referenceElsewhere = new BenchResult("pubsub", "row", BenchResult.Metric.ROUND_TRIP)
            .flag(BenchResult.Doubt.REFERENCE, "its reference ran at another speed");
        final BenchResult pairElsewhere = new BenchResult("pubsub", "row", BenchResult.Metric.ROUND_TRIP)
            .flag(BenchResult.Doubt.PAIR, "its pair ran at another speed");
        final BenchResult still = new BenchResult("pubsub", "row", BenchResult.Metric.ROUND_TRIP);
        final List<BenchResult> rounds = List.of(moved, referenceElsewhere, pairElsewhere, still);
        for (int i = 0; i < rounds.size(); i++)
        {
            rounds.get(i).ratio(1.0 + i, "floor p50");
            rounds.get(i).bareRatio(10.0 + i);
        }
        final RoundMedian row = RoundMedian.of(rounds.stream().map(List::of).toList()).get(0);
        final double[] ratios = row.perRound(BenchResult::ratio);
        assertEquals(2.5, RoundMedian.median(ratios));
        assertEquals(3.5, RoundMedian.median(row.unflagged(ratios, BenchResult.Doubt.REFERENCE)), 1e-9,
            "the rounds that moved or whose reference did");
        final double[] bareRatios = row.perRound(BenchResult::bareRatio);
        assertEquals(12.0, RoundMedian.median(row.unflagged(bareRatios, BenchResult.Doubt.PAIR)), 1e-9,
            "the rounds that moved or whose pair did");
        assertEquals(12.0, RoundMedian.median(row.unflagged(bareRatios, BenchResult.Doubt.CASE)), 1e-9,
            "the rounds that moved");
        assertEquals(List.of("the machine's speed moved", "its reference ran at another speed",
            "its pair ran at another speed", ""), row.flagsByRound());
    }

    @Test
    void theSpeedProbeMeasuresARoundTripBetweenTwoThreads()
    {
        // A measurement, not a speed: any positive time (NaN, the probe giving up, would fail).
        final double roundTripNs = SpeedProbe.roundTripNs();
        assertTrue(roundTripNs > 0 && Double.isFinite(roundTripNs), "round trip " + roundTripNs + " ns");
    }
}
