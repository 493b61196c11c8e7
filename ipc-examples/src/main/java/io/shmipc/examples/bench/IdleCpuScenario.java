package io.shmipc.examples.bench;

import io.shmipc.toolkit.ChildProcess;
import io.shmipc.toolkit.SequencedMessage;
import io.shmipc.ChannelKind;
import io.shmipc.Publisher;
import io.shmipc.Region;
import org.agrona.concurrent.UnsafeBuffer;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;

/**
 * {@code idle-cpu}: the CPU a consumer uses while blocked on an empty channel, read from {@code /proc} over the idle
 * window: the whole process (JVM threads included) and the consuming thread alone, as percent of one core. One
 * consumer waits in a blocking poll, the other in a loop with {@link io.shmipc.BlockingIdleStrategy}; at the end
 * the coordinator publishes one message to each, which must wake it.
 */
final class IdleCpuScenario extends Scenario
{
    static final String NAME = "idle-cpu";
    private static final Duration SETTLE = Duration.ofMillis(500);

    IdleCpuScenario()
    {
        super(NAME, "CPU of a consumer blocked on an empty channel (blocking poll, BlockingIdleStrategy), from /proc");
    }

    @Override
    public List<BenchCase> cases()
    {
        return List.of(new BenchCase(NAME, NAME + ":" + IdleRoles.MODE_POLL, null, this::run));
    }

    private List<BenchResult> run(final ScenarioContext context)
    {
        final List<String> modes = List.of(IdleRoles.MODE_POLL, IdleRoles.MODE_IDLE_STRATEGY);
        final List<BenchResult> rows = new ArrayList<>();
        final Duration window = context.settings().idleWindow();
        final String caseName = name(IdleRoles.MODE_POLL, window);
        final BenchResult first = context.runCase(NAME, caseName, BenchResult.Metric.IDLE_CPU, () ->
        {
            try (Region region = context.createRegion(builder -> builder
                .channel(IdleRoles.MODE_POLL, ChannelKind.ONE_TO_ONE, 1 << 16)
                .channel(IdleRoles.MODE_IDLE_STRATEGY, ChannelKind.ONE_TO_ONE, 1 << 16));
                ChildGroup group = context.group())
            {
                final List<ChildProcess> consumers = new ArrayList<>();
                for (final String mode : modes)
                {
                    consumers.add(group.start("idle-consumer", Map.of(Keys.REGION, region.location().shmName(),
                        Keys.CHANNEL, mode, Keys.MODE, mode)));
                }
                group.start();
                LockSupport.parkNanos(SETTLE.toNanos());
                final long[] processStart = new long[modes.size()];
                final long[] threadStart = new long[modes.size()];
                for (int i = 0; i < modes.size(); i++)
                {
                    processStart[i] = ProcessCpu.processTicks(consumers.get(i).pid());
                    threadStart[i] = ProcessCpu.threadTicks(consumers.get(i).pid(), IdleRoles.THREAD_NAME);
                }
                final long windowStart = System.nanoTime();
                LockSupport.parkNanos(window.toNanos());
                final double seconds = (System.nanoTime() - windowStart) / 1e9;
                final double[] processPercent = new double[modes.size()];
                final double[] threadPercent = new double[modes.size()];
                for (int i = 0; i < modes.size(); i++)
                {
                    final long pid = consumers.get(i).pid();
                    processPercent[i] = percent(ProcessCpu.processTicks(pid) - processStart[i], seconds);
                    final long threadEnd = ProcessCpu.threadTicks(pid, IdleRoles.THREAD_NAME);
                    threadPercent[i] = threadStart[i] < 0 || threadEnd < 0 ?
                        Double.NaN : percent(threadEnd - threadStart[i], seconds);
                }
                final UnsafeBuffer message = new UnsafeBuffer(new byte[SequencedMessage.HEADER_LENGTH]);
                for (int i = 0; i < modes.size(); i++)
                {
                    try (Publisher publisher = region.publisher(modes.get(i)))
                    {
                        SequencedMessage.write(message, 0, 0, 0, SequencedMessage.PHASE_END, System.nanoTime());
                        LibraryRoles.offer(publisher, message, 0, message.capacity());
                        group.awaitResult(consumers.get(i));
                    }
                }
                group.awaitResults();
                for (int i = 1; i < modes.size(); i++)
                {
                    rows.add(row(modes.get(i), window, group.result(consumers.get(i)), processPercent[i],
                        threadPercent[i], seconds));
                }
                return row(modes.get(0), window, group.result(consumers.get(0)), processPercent[0],
                    threadPercent[0], seconds);
            }
        });
        rows.add(0, first);
        return rows;
    }

    private static String name(final String mode, final Duration window)
    {
        return (IdleRoles.MODE_POLL.equals(mode) ? "blocking poll" : "BlockingIdleStrategy") + ", idle " +
            window.toMillis() / 1000.0 + "s";
    }

    private static double percent(final long ticks, final double seconds)
    {
        return 100.0 * ticks / ProcessCpu.TICKS_PER_SECOND / seconds;
    }

    private static BenchResult row(final String mode, final Duration window, final Map<String, String> result,
        final double processPercent, final double threadPercent, final double seconds)
    {
        final String name = name(mode, window);
        final long received = Rows.value(result, Keys.RECEIVED);
        return new BenchResult(NAME, name, BenchResult.Metric.IDLE_CPU)
            .key(NAME + ":" + mode)
            .messageLength(SequencedMessage.HEADER_LENGTH)
            .counts(1, received, 0, 0)
            .cpu(processPercent, threadPercent)
            .extra("windowSeconds", Math.round(seconds * 1000) / 1000.0)
            .extra("missedWakeups", Rows.value(result, Keys.MISSED_WAKEUPS))
            .check(received == 1, "the blocked consumer received " + received + " of 1 message")
            .check(Rows.value(result, Keys.MISSED_WAKEUPS) == 0, "the subscriber missed wake-ups")
            .check(processPercent >= 0, "negative CPU time");
    }
}
