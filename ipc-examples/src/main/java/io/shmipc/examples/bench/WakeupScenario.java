package io.shmipc.examples.bench;

import io.shmipc.toolkit.ChildProcess;
import io.shmipc.ChannelKind;
import io.shmipc.Region;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code wakeup}: publish-to-handler latency of a consumer asleep in a blocking poll (futex), side by side with a
 * blocking Unix-domain-socket read of the same kind of message in the same run ({@link WakeupRoles}). Ratios are
 * to half the floor's round trip, the floor's one-way time.
 */
final class WakeupScenario extends Scenario
{
    static final String NAME = "wakeup";

    WakeupScenario()
    {
        super(NAME, "publish-to-handler latency of a sleeping consumer: blocking poll (futex) vs blocking UDS read",
            Reference.FLOOR);
    }

    @Override
    public List<BenchCase> cases()
    {
        return List.of(new BenchCase(NAME, NAME + ":" + "blocking poll (futex) 32B", null, this::run));
    }

    private List<BenchResult> run(final ScenarioContext context)
    {
        final String futexName = "blocking poll (futex) 32B";
        final String socketName = "blocking UDS read 32B";
        final List<BenchResult> rows = new ArrayList<>();
        final BenchResult futexRow = context.runCase(NAME, futexName, BenchResult.Metric.WAKEUP, () ->
        {
            try (Region region = context.createRegion(builder ->
                builder.channel(WakeupRoles.WAKE_CHANNEL, ChannelKind.ONE_TO_ONE, 1 << 16));
                ChildGroup group = context.group())
            {
                final Map<String, String> arguments = new LinkedHashMap<>();
                arguments.put(Keys.REGION, region.location().shmName());
                arguments.put(Keys.TRANSPORT, SocketRoles.UDS);
                arguments.put(Keys.ADDRESS, context.socketPath().toString());
                final ChildProcess consumer = group.start("wakeup-consumer", arguments);
                group.awaitReady(consumer);
                arguments.put(Keys.PAUSE_NS, Long.toString(context.settings().wakeupPause().toNanos()));
                final ChildProcess producer = group.start("wakeup-producer", arguments);
                group.run();
                final Map<String, String> sent = group.result(producer);
                final Map<String, String> received = group.result(consumer);
                rows.add(Rows.wakeup(NAME, socketName, Rows.value(sent, Keys.SOCKET_SENT), Rows.value(received,
                    Keys.SOCKET_RECEIVED), Rows.histogram(received, Keys.SOCKET_HISTOGRAM)));
                return Rows.wakeup(NAME, futexName, Rows.value(sent, Keys.SENT), Rows.value(received, Keys.RECEIVED),
                    Rows.histogram(received, Keys.HISTOGRAM))
                    .extra("missedWakeups", Rows.value(received, Keys.MISSED_WAKEUPS))
                    .check(Rows.value(received, Keys.MISSED_WAKEUPS) == 0, "the subscriber missed wake-ups");
            }
        });
        rows.add(0, futexRow);
        if (rows.size() == 1)
        {
            rows.add(BenchResult.failed(NAME, socketName, BenchResult.Metric.WAKEUP, "run failed: see " +
                futexName));
        }
        else
        {
            rows.get(1).loadAverage(futexRow.loadAverage());
        }
        return rows;
    }
}
