package io.shmipc.examples.bench;

import io.shmipc.ChannelKind;
import io.shmipc.Region;
import io.shmipc.toolkit.ChildProcess;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code pingpong}: 32-byte round trips through the library, over two {@code ONE_TO_ONE} channels and over two
 * {@code MANY_TO_ONE} channels, both sides busy-polling.
 */
final class PingPongScenario extends Scenario
{
    static final String NAME = "pingpong";
    static final int LENGTH = 32;
    static final int CAPACITY = 1 << 20;

    PingPongScenario()
    {
        super(NAME, "32-byte round trips over two ONE_TO_ONE channels, and over two MANY_TO_ONE channels",
            Reference.FLOOR);
    }

    @Override
    public List<BenchCase> cases()
    {
        final List<BenchCase> cases = new ArrayList<>();
        for (final ChannelKind kind : List.of(ChannelKind.ONE_TO_ONE, ChannelKind.MANY_TO_ONE))
        {
            cases.add(new BenchCase(NAME, NAME + ":" + kind, BaselineRingsScenario.pingPongKey(kind),
                context -> List.of(run(context, kind))));
        }
        return cases;
    }

    static BenchResult run(final ScenarioContext context, final ChannelKind kind)
    {
        final String name = Rows.label(kind) + " " + LENGTH + "B";
        return context.runCase(NAME, name, BenchResult.Metric.ROUND_TRIP, () ->
        {
            try (Region region = context.createRegion(builder -> builder
                .channel(LibraryRoles.PING_CHANNEL, kind, CAPACITY)
                .channel(LibraryRoles.PONG_CHANNEL, kind, CAPACITY));
                ChildGroup group = context.group())
            {
                final Map<String, String> arguments = Map.of(
                    Keys.REGION, region.location().shmName(), Keys.LENGTH, Integer.toString(LENGTH));
                final ChildProcess pong = group.start("shm-pong", arguments);
                final ChildProcess ping = group.start("shm-ping", arguments);
                group.run();
                return Rows.roundTrip(NAME, name, NAME + ":" + kind, LENGTH, group.result(ping), group.result(pong))
                    .bareKey(BaselineRingsScenario.pingPongKey(kind));
            }
        });
    }
}
