package io.shmipc.examples.bench;

import io.shmipc.ChannelKind;
import io.shmipc.toolkit.ChildProcess;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code uds} and {@code tcp}: the same 32-byte ping-pong, and one-message-per-write throughput at 32, 256 and
 * 4096 bytes, over a Unix-domain socket or TCP on the loopback with {@code TCP_NODELAY} ({@link SocketRoles}).
 */
final class SocketScenario extends Scenario
{
    private static final int[] LENGTHS = {32, 256, 4096};

    private final String transport;

    SocketScenario(final String transport)
    {
        super(transport, (SocketRoles.UDS.equals(transport) ? "Unix-domain socket" : "TCP loopback, TCP_NODELAY") +
            ": 32B ping-pong, one-message-per-write throughput at 32/256/4096B", Reference.FLOOR, Reference.RINGS);
        this.transport = transport;
    }

    @Override
    public List<BenchCase> cases()
    {
        final List<BenchCase> cases = new ArrayList<>();
        cases.add(new BenchCase(transport, transport + ":pingpong", null, context -> List.of(pingPong(context))));
        for (final int length : LENGTHS)
        {
            final String ringsKey = Rows.throughputKey("rings", ChannelKind.ONE_TO_ONE, length, 1, 1);
            cases.add(new BenchCase(transport, Rows.throughputKey(transport, ChannelKind.ONE_TO_ONE, length, 1, 1),
                ringsKey, context -> List.of(throughput(context, length, ringsKey))));
        }
        return cases;
    }

    private BenchResult pingPong(final ScenarioContext context)
    {
        final String pingName = PingPongScenario.LENGTH + "B round trip";
        return context.runCase(transport, pingName, BenchResult.Metric.ROUND_TRIP, () ->
        {
            try (ChildGroup group = context.group())
            {
                final Map<String, String> serverArguments = arguments(context, PingPongScenario.LENGTH);
                final ChildProcess pong = group.start("socket-pong", serverArguments);
                final ChildProcess ping = group.start("socket-ping", clientArguments(group, pong, serverArguments));
                group.run();
                return Rows.roundTrip(transport, pingName, transport + ":pingpong", PingPongScenario.LENGTH,
                    group.result(ping), group.result(pong));
            }
        });
    }

    private BenchResult throughput(final ScenarioContext context, final int length, final String ringsKey)
    {
        final String name = length + "B one message per write";
        return context.runCase(transport, name, BenchResult.Metric.THROUGHPUT, () ->
        {
            try (ChildGroup group = context.group())
            {
                final Map<String, String> serverArguments = arguments(context, length);
                final ChildProcess consumer = group.start("socket-consumer", serverArguments);
                final ChildProcess producer = group.start("socket-producer",
                    clientArguments(group, consumer, serverArguments));
                group.run();
                final BenchResult row = new BenchResult(transport, name, BenchResult.Metric.THROUGHPUT)
                    .key(Rows.throughputKey(transport, ChannelKind.ONE_TO_ONE, length, 1, 1))
                    .referenceKey(ringsKey);
                return Rows.throughput(row, length, List.of(group.result(producer)),
                    List.of(group.result(consumer)), false);
            }
        });
    }

    private Map<String, String> arguments(final ScenarioContext context, final int length)
    {
        final Map<String, String> arguments = new LinkedHashMap<>();
        arguments.put(Keys.TRANSPORT, transport);
        arguments.put(Keys.LENGTH, Integer.toString(length));
        if (SocketRoles.UDS.equals(transport))
        {
            final Path path = context.socketPath();
            arguments.put(Keys.ADDRESS, path.toString());
        }
        return arguments;
    }

    /**
     * The server's arguments plus what it announced when ready (the TCP port).
     */
    private static Map<String, String> clientArguments(
        final ChildGroup group, final ChildProcess server, final Map<String, String> serverArguments)
    {
        final Map<String, String> arguments = new LinkedHashMap<>(serverArguments);
        arguments.putAll(group.awaitReady(server));
        return arguments;
    }
}
