package io.shmipc.examples.bench;

import io.shmipc.toolkit.ChildProcess;
import io.shmipc.ChannelKind;
import io.shmipc.Region;
import io.shmipc.RegionDirectory;

import java.util.List;
import java.util.Map;

/**
 * {@code churn}: the 32-byte {@code ONE_TO_ONE} ping-pong three times: alone; while a third process adds a channel
 * to another region and removes it again about a thousand times a second; and while it does the same in the
 * ping-pong's own region ({@link ChurnRoles}). The second run is the control: the same process, the same system
 * calls and the same pace, so on a machine whose cores the ping-pong keeps busy it takes a core from the ping-pong
 * exactly as often as the third. The third row's p99.9 over the control's (extra {@code p99.9VsElsewhere}) says
 * what channels coming and going in the region cost the traffic already there; its p99.9 over the quiet run's
 * (extra {@code p99.9VsQuiet}, printed for the control too) adds what the machine's scheduling costs. Both are
 * printed under the table; "vs bare" is the p50 ratio to the quiet run. The three runs rotate their order every
 * round, so that a drift of the VM does not always land on the same one.
 */
final class ChurnScenario extends Scenario
{
    static final String NAME = "churn";
    static final String P999_RATIO = "p99.9VsQuiet";
    static final String P999_VS_ELSEWHERE = "p99.9VsElsewhere";
    /** The ratios a churn row carries as extras, reported round by round under the medians. */
    static final List<String> P999_EXTRAS = List.of(P999_VS_ELSEWHERE, P999_RATIO);
    private static final String QUIET = "ping-pong, channels unchanged 32B";
    private static final String ELSEWHERE = "ping-pong, another region churns";
    private static final String CHURN = "ping-pong, channels added/removed";
    private static final int CAPACITY = 1 << 20;

    ChurnScenario()
    {
        super(NAME, "ONE_TO_ONE ping-pong alone, while another process adds and removes a channel in another " +
            "region, and while it does so in the ping-pong's region", Reference.FLOOR);
    }

    @Override
    public List<BenchCase> cases()
    {
        return List.of(new BenchCase(NAME, NAME + ":pingpong", null, this::run));
    }

    private List<BenchResult> run(final ScenarioContext context)
    {
        final BenchResult[] rows = new BenchResult[Churn.values().length];
        for (int i = 0; i < rows.length; i++)
        {
            final Churn churn = Churn.values()[(i + context.round() - 1) % rows.length]; // rotated by round
            rows[churn.ordinal()] = context.runCase(NAME, churn.row, BenchResult.Metric.ROUND_TRIP,
                () -> run(context, churn));
        }
        final BenchResult quiet = rows[Churn.NONE.ordinal()];
        final BenchResult elsewhere = rows[Churn.OTHER_REGION.ordinal()];
        final BenchResult churn = rows[Churn.SAME_REGION.ordinal()];
        p999Ratio(churn, P999_VS_ELSEWHERE, elsewhere);
        p999Ratio(elsewhere, P999_RATIO, quiet);
        p999Ratio(churn, P999_RATIO, quiet);
        return List.of(rows);
    }

    private static void p999Ratio(final BenchResult row, final String key, final BenchResult reference)
    {
        if (row.histogram() != null && reference.histogram() != null)
        {
            row.extra(key, (double)row.histogram().getValueAtPercentile(99.9) /
                reference.histogram().getValueAtPercentile(99.9));
        }
    }

    /** Where the third process adds and removes its channel, and the row that measures it. */
    private enum Churn
    {
        NONE(QUIET), OTHER_REGION(ELSEWHERE), SAME_REGION(CHURN);

        final String row;

        Churn(final String row)
        {
            this.row = row;
        }
    }

    private static BenchResult run(final ScenarioContext context, final Churn churn) throws Exception
    {
        try (Region region = createRegion(context);
            Region other = churn == Churn.OTHER_REGION ? createRegion(context) : null;
            ChildGroup group = context.group())
        {
            final Map<String, String> arguments = Map.of(Keys.REGION, region.location().shmName(), Keys.LENGTH,
                Integer.toString(PingPongScenario.LENGTH));
            final ChildProcess pong = group.start("shm-pong", arguments);
            final ChildProcess ping = group.start("shm-ping", arguments);
            final ChildProcess churner = churn == Churn.NONE ? null : group.start("channel-churner",
                Map.of(Keys.REGION, (other == null ? region : other).location().shmName()));
            group.run();
            final BenchResult row = Rows.roundTrip(NAME, churn.row, NAME + ":" + churn.row, PingPongScenario.LENGTH,
                group.result(ping), group.result(pong));
            if (churner != null)
            {
                final long changes = Rows.value(group.result(churner), Keys.SENT);
                row.extra("channelChanges", changes).bareKey(NAME + ":" + QUIET)
                    .check(changes > 0, "no channel was added");
            }
            return row;
        }
    }

    /**
     * A region laid out as the ping-pong's: its two channels (created in the control region too, unused, so that a
     * change costs the same in both) and room for the churned one.
     */
    private static Region createRegion(final ScenarioContext context)
    {
        return context.createRegion(builder -> builder
            .channel(LibraryRoles.PING_CHANNEL, ChannelKind.ONE_TO_ONE, CAPACITY)
            .channel(LibraryRoles.PONG_CHANNEL, ChannelKind.ONE_TO_ONE, CAPACITY)
            .maxChannels(3)
            .dataAreaLength(2 * RegionDirectory.channelAreaLength(ChannelKind.ONE_TO_ONE, CAPACITY) +
                RegionDirectory.channelAreaLength(ChurnRoles.CHANNEL.kind(), ChurnRoles.CHANNEL.capacity())));
    }
}
