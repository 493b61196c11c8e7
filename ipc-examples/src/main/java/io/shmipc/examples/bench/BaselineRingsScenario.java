package io.shmipc.examples.bench;

import io.shmipc.ChannelKind;
import io.shmipc.toolkit.ChildProcess;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code baseline-rings}: the ping-pong and throughput cases over bare Agrona ring and broadcast buffers on a
 * {@code /dev/shm} file, with no framework ({@link BareRingRoles}). Throughput rows of the library and the
 * sockets are divided by these rows, so framework overhead shows as a ratio.
 */
final class BaselineRingsScenario extends Scenario
{
    static final String NAME = "baseline-rings";

    BaselineRingsScenario()
    {
        super(NAME, "the same ping-pong and throughput over bare Agrona rings on a /dev/shm file, no framework",
            Reference.FLOOR);
    }

    /**
     * The key of the bare ping-pong row of a kind.
     *
     * @param kind the kind.
     * @return the key.
     */
    static String pingPongKey(final ChannelKind kind)
    {
        return NAME + ":pingpong:" + kind;
    }

    @Override
    public List<BenchCase> cases()
    {
        final List<BenchCase> cases = new ArrayList<>();
        for (final ChannelKind kind : List.of(ChannelKind.ONE_TO_ONE, ChannelKind.MANY_TO_ONE))
        {
            cases.add(new BenchCase(NAME, pingPongKey(kind), null, context -> List.of(pingPong(context, kind))));
        }
        for (final ThroughputCase throughputCase : ThroughputCase.common())
        {
            cases.add(new BenchCase(NAME, throughputCase.ringsKey(), null,
                context -> List.of(throughputCase.runRings(context, NAME))));
        }
        return cases;
    }

    private static BenchResult pingPong(final ScenarioContext context, final ChannelKind kind)
    {
        final String name = Rows.label(kind) + " " + PingPongScenario.LENGTH + "B round trip";
        return context.runCase(NAME, name, BenchResult.Metric.ROUND_TRIP, () ->
        {
            final Path file = context.createSharedFile(BareRingRoles.fileLength(2));
            try (ChildGroup group = context.group())
            {
                final Map<String, String> arguments = Map.of(Keys.FILE, file.toString(), Keys.KIND, kind.name(),
                    Keys.LENGTH, Integer.toString(PingPongScenario.LENGTH));
                final ChildProcess pong = group.start("rings-pong", arguments);
                final ChildProcess ping = group.start("rings-ping", arguments);
                group.run();
                return Rows.roundTrip(NAME, name, pingPongKey(kind), PingPongScenario.LENGTH, group.result(ping),
                    group.result(pong));
            }
        });
    }
}
