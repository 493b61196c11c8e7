package io.shmipc.examples.bench;

import io.shmipc.toolkit.ChildProcess;
import io.shmipc.ChannelKind;
import io.shmipc.Region;
import io.shmipc.RegionDirectory;

import java.util.List;
import java.util.Map;

/**
 * {@code service}: 32-byte request/response round trips through a service ({@link ServiceRoles}): a
 * {@code MANY_TO_ONE} request channel and the client's {@code ONE_TO_ONE} reply channel, added at runtime to a region
 * created empty, with correlation ids and the client's pending-request table. Its second ratio is to the
 * {@code pingpong} {@code ONE_TO_ONE} row of the same round, which is added to the run.
 */
final class ServiceScenario extends Scenario
{
    static final String NAME = "service";
    private static final String PING_PONG_KEY = PingPongScenario.NAME + ":" + ChannelKind.ONE_TO_ONE;

    ServiceScenario()
    {
        super(NAME, "32-byte request/response round trips through a service, against the ONE_TO_ONE ping-pong",
            Reference.FLOOR);
    }

    @Override
    public List<BenchCase> cases()
    {
        return List.of(new BenchCase(NAME, NAME + ":request-response", PING_PONG_KEY, this::run));
    }

    private List<BenchResult> run(final ScenarioContext context)
    {
        final String name = "request/response 32B";
        return List.of(context.runCase(NAME, name, BenchResult.Metric.ROUND_TRIP, () ->
        {
            try (Region region = context.createRegion(builder -> builder.maxChannels(2)
                .dataAreaLength(RegionDirectory.channelAreaLength(ChannelKind.MANY_TO_ONE, 1 << 20) +
                    RegionDirectory.channelAreaLength(ChannelKind.ONE_TO_ONE, 1 << 20)));
                ChildGroup group = context.group())
            {
                final Map<String, String> arguments = Map.of(
                    Keys.REGION, region.location().shmName(), Keys.LENGTH,
                    Integer.toString(PingPongScenario.LENGTH));
                final ChildProcess server = group.start("service-server", arguments);
                group.awaitReady(server);
                final ChildProcess client = group.start("service-client", arguments);
                group.run();
                return Rows.roundTrip(NAME, name, NAME + ":request-response", PingPongScenario.LENGTH,
                    group.result(client), group.result(server)).bareKey(PING_PONG_KEY);
            }
        }));
    }
}
