package io.shmipc.examples.bench;

import io.aeron.driver.ThreadingMode;
import io.shmipc.ChannelKind;
import io.shmipc.toolkit.ChildProcess;
import org.agrona.IoUtil;

import java.io.File;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * {@code pubsub}: the {@code PUBLISH_SUBSCRIBE} log beside its references, in one round: Aeron IPC (an exclusive
 * publication and one subscription, embedded driver, with a driver thread and with the driver invoked from the
 * publishing process, and with the invoked driver and three subscriptions, one per process), the library's
 * {@code ONE_TO_ONE} ring, then the log with one and with three subscribers; 32-byte messages, one per offer. The
 * fan-out rows again with every producer and consumer backing off to parking when blocked, the log's and Aeron
 * IPC's alike: four busy processes on fewer cores need that, and spinning ones measure the scheduler. Then round
 * trips over two log channels and over Aeron IPC both ways. Each log row's ratio is to the Aeron IPC row with the
 * invoked driver, as many subscribers and the same idling; the others are in the JSON rows of the same round
 * (docs/performance.md quotes them).
 */
final class PublishSubscribeScenario extends Scenario
{
    static final String NAME = "pubsub";
    private static final int LENGTH = 32;
    /** Subscribers of the fan-out rows. */
    private static final int SUBSCRIBERS = 3;
    private static final AtomicInteger RUNS = new AtomicInteger();

    PublishSubscribeScenario()
    {
        super(NAME, "publish-subscribe log 32B with 1 and 3 subscribers beside Aeron IPC (driver thread, invoked " +
            "driver) and the one-to-one ring, spinning and parking when blocked; round trips over the log and " +
            "Aeron IPC",
            Reference.FLOOR);
    }

    static String aeronKey(final ThreadingMode threading, final boolean roundTrip)
    {
        return (roundTrip ? "aeron-ipc-pingpong:" : "aeron-ipc:") + threading + ":" + LENGTH;
    }

    /** The key of the Aeron IPC throughput row with more than one subscription, or parking when blocked. */
    private static String aeronKey(final ThreadingMode threading, final int subscribers, final boolean parked)
    {
        return (subscribers == 1 ? aeronKey(threading, false) : aeronKey(threading, false) + ":1x" + subscribers) +
            (parked ? Rows.PARKED_SUFFIX : "");
    }

    @Override
    public List<BenchCase> cases()
    {
        final List<BenchCase> cases = new ArrayList<>();
        final String reference = aeronKey(ThreadingMode.INVOKER, false);
        for (final ThreadingMode threading : List.of(ThreadingMode.SHARED, ThreadingMode.INVOKER))
        {
            cases.add(new BenchCase(NAME, aeronKey(threading, false), null,
                context -> List.of(aeronThroughput(context, threading, 1, false))));
        }
        cases.add(new BenchCase(NAME, aeronKey(ThreadingMode.INVOKER, SUBSCRIBERS, false), null,
            context -> List.of(aeronThroughput(context, ThreadingMode.INVOKER, SUBSCRIBERS, false))));
        final ThroughputCase ring = new ThroughputCase(ChannelKind.ONE_TO_ONE, LENGTH, 1, 1, 0);
        cases.add(new BenchCase(NAME, NAME + ":" + ring.libraryKey(), reference,
            context -> List.of(ring.runLibrary(context, NAME).key(NAME + ":" + ring.libraryKey())
                .referenceKey(reference))));
        for (final boolean parked : new boolean[] {false, true})
        {
            for (final int subscribers : new int[] {1, SUBSCRIBERS})
            {
                if (parked)
                {
                    cases.add(new BenchCase(NAME, aeronKey(ThreadingMode.INVOKER, subscribers, true), null,
                        context -> List.of(aeronThroughput(context, ThreadingMode.INVOKER, subscribers, true))));
                }
                final ThroughputCase spinning =
                    new ThroughputCase(ChannelKind.PUBLISH_SUBSCRIBE, LENGTH, 1, subscribers, 0);
                final ThroughputCase log = parked ? spinning.parkingWhenBlocked() : spinning;
                final String logReference = aeronKey(ThreadingMode.INVOKER, subscribers, parked);
                cases.add(new BenchCase(NAME, log.libraryKey(), logReference,
                    context -> List.of(log.runLibrary(context, NAME).referenceKey(logReference))));
            }
        }
        cases.add(new BenchCase(NAME, PingPongScenario.NAME + ":" + ChannelKind.PUBLISH_SUBSCRIBE, Rows.FLOOR_KEY,
            context -> List.of(PingPongScenario.run(context, ChannelKind.PUBLISH_SUBSCRIBE))));
        for (final ThreadingMode threading : List.of(ThreadingMode.SHARED, ThreadingMode.INVOKER))
        {
            cases.add(new BenchCase(NAME, aeronKey(threading, true), Rows.FLOOR_KEY,
                context -> List.of(aeronRoundTrip(context, threading))));
        }
        return cases;
    }

    private static String name(final ThreadingMode threading, final boolean roundTrip)
    {
        return "aeron-ipc" + (roundTrip ? " round trip " : " ") + LENGTH + "B, " +
            (threading == ThreadingMode.INVOKER ? "invoked driver" : "driver thread");
    }

    private static String name(final ThreadingMode threading, final int subscribers, final boolean parked)
    {
        return name(threading, false) + (subscribers == 1 ? "" : ", " + subscribers + " subs") +
            (parked ? Rows.PARKED_LABEL : "");
    }

    static String newDirectory()
    {
        return new File("/dev/shm", "shmipc-bench-aeron-" + ProcessHandle.current().pid() + "-" +
            RUNS.incrementAndGet()).getPath();
    }

    private static BenchResult aeronThroughput(final ScenarioContext context, final ThreadingMode threading,
        final int subscribers, final boolean parked)
    {
        return context.runCase(NAME, name(threading, subscribers, parked), BenchResult.Metric.THROUGHPUT, () ->
        {
            final String directory = newDirectory();
            try (ChildGroup group = context.group())
            {
                final Map<String, String> producer = new LinkedHashMap<>(AeronIpcRoles.arguments(directory, threading));
                producer.put(Keys.PRODUCER, "0");
                producer.put(Keys.LENGTH, Integer.toString(LENGTH));
                producer.put(Keys.CONSUMERS, Integer.toString(subscribers));
                producer.put(Keys.PARK_WHEN_BLOCKED, Boolean.toString(parked));
                final ChildProcess producerProcess = group.start("aeron-ipc-producer", producer);
                final List<ChildProcess> consumerProcesses = new ArrayList<>();
                for (int i = 0; i < subscribers; i++)
                {
                    final Map<String, String> consumer =
                        new LinkedHashMap<>(AeronIpcRoles.arguments(directory, threading));
                    consumer.put(Keys.PRODUCERS, "1");
                    consumer.put(Keys.CONSUMER, Integer.toString(i));
                    consumer.put(Keys.PARK_WHEN_BLOCKED, Boolean.toString(parked));
                    consumerProcesses.add(group.start("aeron-ipc-consumer", consumer));
                }
                group.run();
                final BenchResult row = new BenchResult(NAME, name(threading, subscribers, parked),
                    BenchResult.Metric.THROUGHPUT).key(aeronKey(threading, subscribers, parked));
                if (subscribers == 1 && !parked)
                {
                    row.referenceKey(aeronKey(ThreadingMode.INVOKER, false));
                }
                final List<Map<String, String>> consumers = new ArrayList<>();
                for (final ChildProcess consumer : consumerProcesses)
                {
                    consumers.add(group.result(consumer));
                }
                return Rows.throughput(row, LENGTH, List.of(group.result(producerProcess)), consumers,
                    subscribers > 1);
            }
            finally
            {
                IoUtil.delete(new File(directory), true);
            }
        });
    }

    private static BenchResult aeronRoundTrip(final ScenarioContext context, final ThreadingMode threading)
    {
        return context.runCase(NAME, name(threading, true), BenchResult.Metric.ROUND_TRIP, () ->
        {
            final String directory = newDirectory();
            try (ChildGroup group = context.group())
            {
                final Map<String, String> arguments =
                    new LinkedHashMap<>(AeronIpcRoles.arguments(directory, threading));
                arguments.put(Keys.LENGTH, Integer.toString(LENGTH));
                final ChildProcess ping = group.start("aeron-ipc-ping", arguments);
                final ChildProcess pong = group.start("aeron-ipc-pong", arguments);
                group.run();
                return Rows.roundTrip(NAME, name(threading, true), aeronKey(threading, true), LENGTH,
                    group.result(ping), group.result(pong));
            }
            finally
            {
                IoUtil.delete(new File(directory), true);
            }
        });
    }
}
