package io.shmipc.examples.bench;

import io.shmipc.toolkit.ChildProcess;
import io.shmipc.ChannelKind;
import io.shmipc.Region;
import io.shmipc.RegionConfig;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code waitset}: publish-to-handler latency of a thread asleep in a {@code WaitSet} of 16 channels, each woken in
 * turn, side by side with a thread asleep in a single-channel blocking poll in the same run ({@link WaitSetRoles}).
 * The wait set row's second ratio is to the blocking-poll row.
 */
final class WaitSetScenario extends Scenario
{
    static final String NAME = "waitset";
    private static final String SINGLE_NAME = "blocking poll, 1 channel 32B";
    private static final String SET_NAME = "WaitSet of " + WaitSetRoles.CHANNELS + " channels 32B";
    private static final int CAPACITY = 1 << 16;

    WaitSetScenario()
    {
        super(NAME, "wake-up latency of a thread waiting on 16 channels (WaitSet) vs a single-channel blocking poll",
            Reference.FLOOR);
    }

    @Override
    public List<BenchCase> cases()
    {
        return List.of(new BenchCase(NAME, NAME + ":" + WaitSetRoles.CHANNELS, null, this::run));
    }

    private List<BenchResult> run(final ScenarioContext context)
    {
        final List<BenchResult> rows = new ArrayList<>();
        final BenchResult setRow = context.runCase(NAME, SET_NAME, BenchResult.Metric.WAKEUP, () ->
        {
            try (Region region = context.createRegion(WaitSetScenario::channels); ChildGroup group = context.group())
            {
                final Map<String, String> arguments = new LinkedHashMap<>();
                arguments.put(Keys.REGION, region.location().shmName());
                final ChildProcess consumer = group.start("waitset-consumer", arguments);
                group.awaitReady(consumer);
                arguments.put(Keys.PAUSE_NS, Long.toString(context.settings().wakeupPause().toNanos()));
                final ChildProcess producer = group.start("waitset-producer", arguments);
                group.run();
                final Map<String, String> sent = group.result(producer);
                final Map<String, String> received = group.result(consumer);
                rows.add(Rows.wakeup(NAME, SINGLE_NAME, Rows.value(sent, Keys.SOCKET_SENT), Rows.value(received,
                    Keys.SOCKET_RECEIVED), Rows.histogram(received, Keys.SOCKET_HISTOGRAM))
                    .extra("missedWakeups", Rows.value(received, Keys.MISSED_WAKEUPS)));
                return Rows.wakeup(NAME, SET_NAME, Rows.value(sent, Keys.SENT), Rows.value(received, Keys.RECEIVED),
                    Rows.histogram(received, Keys.HISTOGRAM))
                    .bareKey(NAME + ":" + SINGLE_NAME)
                    .check(Rows.value(received, Keys.QUIET_CHANNELS) == 0, "a channel of the wait set never woke it");
            }
        });
        rows.add(0, setRow);
        if (rows.size() == 1)
        {
            rows.add(BenchResult.failed(NAME, SINGLE_NAME, BenchResult.Metric.WAKEUP, "run failed: see " + SET_NAME));
        }
        else
        {
            rows.get(1).loadAverage(setRow.loadAverage());
        }
        return rows;
    }

    private static RegionConfig.Builder channels(final RegionConfig.Builder builder)
    {
        builder.channel(WaitSetRoles.SINGLE_CHANNEL, ChannelKind.ONE_TO_ONE, CAPACITY);
        for (int i = 0; i < WaitSetRoles.CHANNELS; i++)
        {
            builder.channel(WaitSetRoles.channel(i), ChannelKind.ONE_TO_ONE, CAPACITY);
        }
        return builder.maxChannels(WaitSetRoles.CHANNELS + 1);
    }
}
