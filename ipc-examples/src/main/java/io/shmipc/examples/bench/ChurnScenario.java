package io.shmipc.examples.bench;

import io.shmipc.toolkit.ChildProcess;
import io.shmipc.ChannelKind;
import io.shmipc.Region;
import io.shmipc.RegionDirectory;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code churn}: the 32-byte {@code ONE_TO_ONE} ping-pong, once alone and once while a third process adds a channel
 * to the same region and removes it again about a thousand times a second ({@link ChurnRoles}). The second row's
 * p99.9 over the first's (extra {@code p99.9VsQuiet}, printed under the table) says what channels coming and going
 * cost the traffic already there; its "vs bare" is the p50 ratio.
 */
final class ChurnScenario extends Scenario
{
    static final String NAME = "churn";
    static final String P999_RATIO = "p99.9VsQuiet";
    private static final String QUIET = "ping-pong, channels unchanged 32B";
    private static final String CHURN = "ping-pong, channels added/removed";
    private static final int CAPACITY = 1 << 20;

    ChurnScenario()
    {
        super(NAME, "ONE_TO_ONE ping-pong alone, and while another process adds and removes a channel in its region",
            Reference.FLOOR);
    }

    @Override
    public List<BenchCase> cases()
    {
        return List.of(new BenchCase(NAME, NAME + ":pingpong", null, this::run));
    }

    private List<BenchResult> run(final ScenarioContext context)
    {
        final List<BenchResult> rows = new ArrayList<>();
        final BenchResult quiet = context.runCase(NAME, QUIET, BenchResult.Metric.ROUND_TRIP, () -> run(context,
            QUIET, false));
        rows.add(quiet);
        final BenchResult churn = context.runCase(NAME, CHURN, BenchResult.Metric.ROUND_TRIP, () -> run(context,
            CHURN, true));
        if (quiet.histogram() != null && churn.histogram() != null)
        {
            churn.extra(P999_RATIO, (double)churn.histogram().getValueAtPercentile(99.9) /
                quiet.histogram().getValueAtPercentile(99.9));
        }
        rows.add(churn);
        return rows;
    }

    private static BenchResult run(final ScenarioContext context, final String name, final boolean churn)
        throws Exception
    {
        try (Region region = context.createRegion(builder -> builder
            .channel(LibraryRoles.PING_CHANNEL, ChannelKind.ONE_TO_ONE, CAPACITY)
            .channel(LibraryRoles.PONG_CHANNEL, ChannelKind.ONE_TO_ONE, CAPACITY)
            .maxChannels(3)
            .dataAreaLength(2 * RegionDirectory.channelAreaLength(ChannelKind.ONE_TO_ONE, CAPACITY) +
                RegionDirectory.channelAreaLength(ChurnRoles.CHANNEL.kind(), ChurnRoles.CHANNEL.capacity())));
            ChildGroup group = context.group())
        {
            final Map<String, String> arguments = Map.of(Keys.REGION, region.location().shmName(), Keys.LENGTH,
                Integer.toString(PingPongScenario.LENGTH));
            final ChildProcess pong = group.start("shm-pong", arguments);
            final ChildProcess ping = group.start("shm-ping", arguments);
            final ChildProcess churner = churn ? group.start("channel-churner", arguments) : null;
            group.run();
            final BenchResult row = Rows.roundTrip(NAME, name, NAME + ":" + name, PingPongScenario.LENGTH,
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
}
