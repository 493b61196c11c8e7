package io.shmipc.examples.bench;
import io.shmipc.toolkit.ChildProcess;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * {@code floor}: one 8-byte word ping-ponged between two processes over a {@code /dev/shm} mapping, no framework
 * (see {@link FloorRoles}). Every latency row's ratio is to this row's median.
 */
final class FloorScenario extends Scenario
{
    static final String NAME = "floor";

    FloorScenario()
    {
        super(NAME, "hardware floor: one 8-byte word ping-ponged between two processes over /dev/shm");
    }

    @Override
    public List<BenchCase> cases()
    {
        return List.of(new BenchCase(NAME, Rows.FLOOR_KEY, null, context -> List.of(run(context))));
    }

    private static BenchResult run(final ScenarioContext context)
    {
        final String name = "8-byte word round trip";
        return context.runCase(NAME, name, BenchResult.Metric.ROUND_TRIP, () ->
        {
            final Path file = context.createSharedFile(4096);
            try (ChildGroup group = context.group())
            {
                final Map<String, String> arguments = Map.of(Keys.FILE, file.toString());
                final ChildProcess pong = group.start("floor-pong", arguments);
                final ChildProcess ping = group.start("floor-ping", arguments);
                group.run();
                return Rows.roundTrip(NAME, name, Rows.FLOOR_KEY, Long.BYTES, group.result(ping), group.result(pong));
            }
        });
    }
}
