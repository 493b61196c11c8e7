package io.shmipc.examples.bench;

import io.shmipc.ChannelKind;
import io.shmipc.Region;
import io.shmipc.bridge.Bridge;
import io.shmipc.bridge.BridgeConfig;
import io.shmipc.examples.support.IdleStrategies;
import io.shmipc.examples.support.VethLink;
import io.shmipc.toolkit.ChildProcess;
import org.agrona.IoUtil;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code bridge}: the shm-ipc bridge between two network namespaces joined by a veth pair, each row right after the
 * same run over bare Aeron UDP (publication to subscription, same link, same Aeron settings), its reference. A
 * bridged run is producer, region A, bridge A, UDP, bridge B, region B, consumer, every one a separate JVM; the
 * bare run is an Aeron publisher on host A and an Aeron subscriber on host B. Needs root and iproute2.
 */
final class BridgeScenario extends Scenario
{
    static final String NAME = "bridge";
    private static final String BARE = "aeron-udp";
    private static final int[] LENGTHS = {32, 4096};
    private static final int CAPACITY = 1 << 20;
    private static final String PORT = "40125";
    /**
     * How every thread of both kinds of run waits when it has nothing to do: Aeron's drivers, the bridges, ping and
     * pong. Yielding: on a small machine four spinning threads would leave every hop waiting for a scheduler slice,
     * and Aeron's default back-off parks a driver thread up to a millisecond as soon as it is idle.
     */
    private static final IdleStrategies IDLE = IdleStrategies.YIELD;

    BridgeScenario()
    {
        super(NAME, "shm-ipc bridge vs bare Aeron UDP over a veth link between two network namespaces: throughput at " +
            "32/4096B, 32B ping-pong");
    }

    @Override
    public List<BenchCase> cases()
    {
        final List<BenchCase> cases = new ArrayList<>();
        for (final int length : LENGTHS)
        {
            final String bareKey = Rows.throughputKey(BARE, ChannelKind.ONE_TO_ONE, length, 1, 1);
            cases.add(new BenchCase(NAME, bareKey, null,
                context -> List.of(throughput(context, length, false, bareKey, null))));
            final String key = Rows.throughputKey(NAME, ChannelKind.ONE_TO_ONE, length, 1, 1);
            cases.add(new BenchCase(NAME, key, bareKey, context -> List.of(throughput(context, length, true, key,
                bareKey))));
        }
        final String barePing = BARE + ":pingpong";
        cases.add(new BenchCase(NAME, barePing, null, context -> List.of(pingPong(context, false, barePing, null))));
        final String ping = NAME + ":pingpong";
        cases.add(new BenchCase(NAME, ping, barePing, context -> List.of(pingPong(context, true, ping, barePing))));
        return cases;
    }

    private BenchResult throughput(final ScenarioContext context, final int length, final boolean bridged,
        final String key, final String referenceKey)
    {
        final String name = (bridged ? "bridged " : "bare Aeron UDP ") + length + "B";
        return context.runCase(NAME, name, BenchResult.Metric.THROUGHPUT, () ->
        {
            try (Hosts hosts = new Hosts(context, bridged, true, LibraryRoles.DATA_CHANNEL))
            {
                final ChildProcess consumer;
                final ChildProcess producer;
                if (bridged)
                {
                    hosts.bridges("out:" + LibraryRoles.DATA_CHANNEL, "in:" + LibraryRoles.DATA_CHANNEL);
                    consumer = hosts.startOnB("shm-consumer", Map.of(Keys.REGION, hosts.regionB.location().shmName(),
                        Keys.LENGTH, Integer.toString(length), Keys.PRODUCERS, "1"));
                    producer = hosts.startOnA("shm-producer", Map.of(Keys.REGION, hosts.regionA.location().shmName(),
                        Keys.LENGTH, Integer.toString(length), Keys.PRODUCER, "0"));
                }
                else
                {
                    consumer = hosts.startOnB("aeron-consumer", hosts.aeronArguments(length));
                    producer = hosts.startOnA("aeron-producer", hosts.aeronArguments(length));
                }
                hosts.group.start();
                hosts.group.awaitResult(producer);
                hosts.group.awaitResult(consumer);
                final BenchResult row = new BenchResult(NAME, name, BenchResult.Metric.THROUGHPUT).key(key)
                    .referenceKey(referenceKey);
                return Rows.throughput(row, length, List.of(hosts.group.result(producer)),
                    List.of(hosts.group.result(consumer)), false);
            }
        });
    }

    private BenchResult pingPong(final ScenarioContext context, final boolean bridged, final String key,
        final String referenceKey)
    {
        final int length = PingPongScenario.LENGTH;
        final String name = (bridged ? "bridged " : "bare Aeron UDP ") + length + "B round trip";
        return context.runCase(NAME, name, BenchResult.Metric.ROUND_TRIP, () ->
        {
            try (Hosts hosts = new Hosts(context, bridged, false, LibraryRoles.PING_CHANNEL, LibraryRoles.PONG_CHANNEL))
            {
                final ChildProcess ping;
                final ChildProcess pong;
                if (bridged)
                {
                    hosts.bridges("out:" + LibraryRoles.PING_CHANNEL + ",in:" + LibraryRoles.PONG_CHANNEL,
                        "in:" + LibraryRoles.PING_CHANNEL + ",out:" + LibraryRoles.PONG_CHANNEL);
                    pong = hosts.startOnB("shm-pong", Map.of(Keys.REGION, hosts.regionB.location().shmName()));
                    ping = hosts.startOnA("shm-ping", Map.of(Keys.REGION, hosts.regionA.location().shmName(),
                        Keys.LENGTH, Integer.toString(length)));
                }
                else
                {
                    pong = hosts.startOnB("aeron-pong", hosts.aeronArguments(length));
                    ping = hosts.startOnA("aeron-ping", hosts.aeronArguments(length));
                }
                hosts.group.start();
                hosts.group.awaitResult(ping);
                hosts.group.awaitResult(pong);
                return Rows.roundTrip(NAME, name, key, length, hosts.group.result(ping), hosts.group.result(pong))
                    .referenceKey(referenceKey);
            }
        });
    }

    /**
     * One run's two hosts: the link, the child group, and for a bridged run a region per host; closed in the
     * reverse order, then the killed bridges' homes are deleted.
     */
    private static final class Hosts implements AutoCloseable
    {
        private final VethLink link;
        private final ChildGroup group;
        private final Region regionA;
        private final Region regionB;
        private final String name;
        private final boolean parkWhenBlocked;
        private final List<Path> aeronDirectories = new ArrayList<>();

        /**
         * @param throughput a throughput run: its producer and consumer park when blocked (back-pressured, nothing
         *                   to read), as an application waiting on a transport would, rather than take the cores the
         *                   transport's threads need; a ping and a pong yield, as the transport's threads do.
         */
        Hosts(final ScenarioContext context, final boolean bridged, final boolean throughput,
            final String... channels)
        {
            this.parkWhenBlocked = throughput;
            final String problem = VethLink.problem();
            if (problem != null)
            {
                throw new BenchException("the bridge scenario cannot run: " + problem);
            }
            this.link = VethLink.create("bench");
            this.group = context.group();
            this.name = "bench" + ProcessHandle.current().pid() + "-" + System.nanoTime();
            this.regionA = bridged ? context.createRegion(builder -> withChannels(builder, channels)) : null;
            this.regionB = bridged ? context.createRegion(builder -> withChannels(builder, channels)) : null;
        }

        private static io.shmipc.RegionConfig.Builder withChannels(final io.shmipc.RegionConfig.Builder builder,
            final String... channels)
        {
            for (final String channel : channels)
            {
                builder.channel(channel, ChannelKind.ONE_TO_ONE, CAPACITY);
            }
            return builder;
        }

        void bridges(final String routesA, final String routesB)
        {
            final Map<String, String> a = new LinkedHashMap<>(Map.of(Keys.REGION, regionA.location().shmName(),
                Keys.FILE, name, AeronRoles.LISTEN, VethLink.ADDRESS_A + ":" + PORT,
                Keys.ADDRESS, VethLink.ADDRESS_B + ":" + PORT, AeronRoles.ROUTES, routesA));
            final Map<String, String> b = new LinkedHashMap<>(Map.of(Keys.REGION, regionB.location().shmName(),
                Keys.FILE, name, AeronRoles.LISTEN, VethLink.ADDRESS_B + ":" + PORT,
                Keys.ADDRESS, VethLink.ADDRESS_A + ":" + PORT, AeronRoles.ROUTES, routesB));
            startOnA("aeron-bridge", a);
            startOnB("aeron-bridge", b);
        }

        Map<String, String> aeronArguments(final int length)
        {
            final String file = name + "-" + aeronDirectories.size();
            aeronDirectories.add(AeronRoles.driverDirectory(file));
            return Map.of(Keys.FILE, file, Keys.LENGTH, Integer.toString(length));
        }

        ChildProcess startOnA(final String role, final Map<String, String> arguments)
        {
            final Map<String, String> all = new LinkedHashMap<>(arguments);
            all.putIfAbsent(Keys.IDLE, IDLE.name());
            all.putIfAbsent(Keys.PARK_WHEN_BLOCKED, Boolean.toString(parkWhenBlocked));
            all.putIfAbsent(AeronRoles.LISTEN, VethLink.ADDRESS_A + ":" + PORT);
            all.putIfAbsent(Keys.ADDRESS, VethLink.ADDRESS_B + ":" + PORT);
            return group.start(role, all, link.onA());
        }

        ChildProcess startOnB(final String role, final Map<String, String> arguments)
        {
            final Map<String, String> all = new LinkedHashMap<>(arguments);
            all.putIfAbsent(Keys.IDLE, IDLE.name());
            all.putIfAbsent(Keys.PARK_WHEN_BLOCKED, Boolean.toString(parkWhenBlocked));
            all.putIfAbsent(AeronRoles.LISTEN, VethLink.ADDRESS_B + ":" + PORT);
            all.putIfAbsent(Keys.ADDRESS, VethLink.ADDRESS_A + ":" + PORT);
            return group.start(role, all, link.onB());
        }

        @Override
        public void close()
        {
            group.close();
            // Killed children leave their embedded drivers' directories, and killed bridges their homes, behind.
            aeronDirectories.forEach(directory -> IoUtil.delete(directory.toFile(), true));
            for (final Region region : new Region[] {regionA, regionB})
            {
                if (region != null)
                {
                    Bridge.deleteHome(BridgeConfig.defaultHome(region.location(), name));
                    region.close();
                }
            }
            link.close();
        }
    }
}
