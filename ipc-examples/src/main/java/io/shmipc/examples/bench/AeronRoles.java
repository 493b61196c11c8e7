package io.shmipc.examples.bench;

import io.aeron.Aeron;
import io.aeron.ExclusivePublication;
import io.aeron.FragmentAssembler;
import io.aeron.Subscription;
import io.aeron.driver.MediaDriver;
import io.aeron.driver.ThreadingMode;
import io.aeron.logbuffer.FragmentHandler;
import io.shmipc.RegionLocation;
import io.shmipc.bridge.Bridge;
import io.shmipc.bridge.BridgeConfig;
import io.shmipc.bridge.BridgeRoute;
import io.shmipc.toolkit.SequencedMessage;
import org.agrona.CloseHelper;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.IdleStrategy;

import java.nio.file.Path;
import java.util.concurrent.locks.LockSupport;

/**
 * Roles over Aeron UDP between two network namespaces ({@link BridgeScenario}): bare Aeron publication to
 * subscription, the reference, and the shm-ipc bridge, whose rows are compared with it. Every bare process embeds
 * its media driver with one shared driver thread ({@link ThreadingMode#SHARED}); each bridge runs its driver on its
 * own thread ({@link ThreadingMode#INVOKER}). Every driver, bridge, ping and pong thread waits as the {@code idle}
 * argument says, in both kinds of run, and both use the same Aeron settings: MTU 1408, term length 4 MiB.
 * <p>
 * Arguments: {@code address} (the peer's {@code host:port}), {@code listen} (this host's {@code host:port}),
 * {@code file} (a unique name for the driver directory or the bridge), {@code length}; a bridge takes
 * {@code region} and {@code routes} ({@code out:ping,in:pong}).
 */
final class AeronRoles
{
    /** Stream of the bare Aeron data (and pings). */
    static final int DATA_STREAM = 1001;
    /** Stream of the bare Aeron echoes. */
    static final int ECHO_STREAM = 1002;
    static final String LISTEN = "listen";
    static final String ROUTES = "routes";
    private static final int TERM_LENGTH = 4 * 1024 * 1024;
    private static final int FRAGMENT_LIMIT = 256;
    private static final long LINGER_NS = 15_000_000_000L;

    private AeronRoles()
    {
    }

    /**
     * Where a bare Aeron role's embedded driver keeps its files.
     *
     * @param file the role's unique name.
     * @return the directory.
     */
    static Path driverDirectory(final String file)
    {
        return Path.of("/dev/shm", file + "-aeron");
    }

    /**
     * An embedded driver and its client.
     */
    private static final class Node implements AutoCloseable
    {
        private final MediaDriver driver;
        private final Aeron aeron;

        Node(final RoleContext context)
        {
            driver = MediaDriver.launch(new MediaDriver.Context()
                .aeronDirectoryName(driverDirectory(context.string(Keys.FILE)).toString())
                .dirDeleteOnStart(true)
                .dirDeleteOnShutdown(true)
                .threadingMode(ThreadingMode.SHARED)
                .sharedIdleStrategy(context.idleStrategy()));
            aeron = Aeron.connect(new Aeron.Context().aeronDirectoryName(driver.aeronDirectoryName()));
        }

        ExclusivePublication publication(final RoleContext context, final int stream)
        {
            final ExclusivePublication publication = aeron.addExclusivePublication("aeron:udp?endpoint=" +
                context.string(Keys.ADDRESS) + "|mtu=1408|term-length=" + TERM_LENGTH, stream);
            return publication;
        }

        Subscription subscription(final RoleContext context, final int stream)
        {
            return aeron.addSubscription("aeron:udp?endpoint=" + context.string(LISTEN), stream);
        }

        @Override
        public void close()
        {
            CloseHelper.closeAll(aeron, driver);
        }
    }

    static void producer(final RoleContext context) throws Exception
    {
        try (Node node = new Node(context);
            ExclusivePublication publication = node.publication(context, DATA_STREAM))
        {
            awaitConnected(publication);
            context.ready();
            final MessageSink sink = context.idling((message, length) -> publication.offer(message, 0, length) > 0);
            context.result(ThroughputProducer.run(sink, 0, context.integer(Keys.LENGTH), context.warmupNs(),
                context.durationNs(), 0, null));
            lingerWhileConnected(publication);
        }
    }

    static void consumer(final RoleContext context) throws Exception
    {
        try (Node node = new Node(context);
            Subscription subscription = node.subscription(context, DATA_STREAM))
        {
            context.ready();
            final MessageReceiver receiver = new MessageReceiver(1);
            // Messages longer than the MTU arrive in fragments: reassemble them, as the bridge does.
            final FragmentHandler handler = new FragmentAssembler(
                (buffer, offset, length, header) -> receiver.onMessage(buffer, offset));
            receiver.consume(context.idling(() -> subscription.poll(handler, FRAGMENT_LIMIT)));
            context.result(receiver.result());
        }
    }

    static void ping(final RoleContext context) throws Exception
    {
        try (Node node = new Node(context);
            Subscription echoes = node.subscription(context, ECHO_STREAM);
            ExclusivePublication pings = node.publication(context, DATA_STREAM))
        {
            awaitConnected(pings);
            context.ready();
            final long[] echoed = new long[1];
            final FragmentHandler handler =
                (buffer, offset, length, header) -> echoed[0] = SequencedMessage.sequence(buffer, offset);
            final RoundTrip roundTrip = RoundTrip.idling((message, length) -> offer(pings, message, 0, length),
                () -> echoes.poll(handler, 1), () -> echoed[0], context.idleStrategy());
            context.result(PingLoop.run(roundTrip, context.integer(Keys.LENGTH), context.warmupNs(),
                context.durationNs()));
            lingerWhileConnected(pings);
        }
    }

    static void pong(final RoleContext context) throws Exception
    {
        try (Node node = new Node(context);
            Subscription pings = node.subscription(context, DATA_STREAM);
            ExclusivePublication echoes = node.publication(context, ECHO_STREAM))
        {
            awaitConnected(echoes);
            context.ready();
            final long[] echoed = new long[1];
            final boolean[] ended = new boolean[1];
            final FragmentHandler handler = (buffer, offset, length, header) ->
            {
                if (SequencedMessage.phase(buffer, offset) == SequencedMessage.PHASE_END)
                {
                    ended[0] = true;
                    return;
                }
                offer(echoes, buffer, offset, length);
                echoed[0]++;
            };
            final IdleStrategy idle = context.idleStrategy();
            while (!ended[0])
            {
                idle.idle(pings.poll(handler, 1));
            }
            context.result(PingLoop.echoResult(echoed[0]));
        }
    }

    /**
     * A bridge between the host's region and the peer: one thread runs the routes and its embedded driver
     * ({@link ThreadingMode#INVOKER}), idling as the bare run's driver threads do; stopped by the
     * coordinator once the run's producer and consumer are done. A bridged run has as many busy threads as a bare
     * one: producer, two bridges, consumer against publisher, two driver threads, subscriber.
     */
    static void bridge(final RoleContext context) throws Exception
    {
        final BridgeConfig.Builder builder = BridgeConfig.builder(RegionLocation.shm(context.string(Keys.REGION)))
            .name(context.string(Keys.FILE))
            .listen(context.string(LISTEN))
            .peer(context.string(Keys.ADDRESS))
            .termLength(TERM_LENGTH)
            .driverThreading(ThreadingMode.INVOKER)
            .idleStrategy(context::idleStrategy);
        for (final String route : context.string(ROUTES).split(","))
        {
            builder.route(BridgeRoute.parse(route));
        }
        try (Bridge bridge = Bridge.open(builder.build()))
        {
            context.ready();
            final IdleStrategy idle = bridge.config().newIdleStrategy();
            while (true)
            {
                idle.idle(bridge.doWork());
            }
        }
    }

    /**
     * Keep the embedded driver up until the subscriber has gone (it leaves once it has the end message): a driver
     * closed at once would drop what its term buffers still hold. Bounded by {@link #LINGER_NS}.
     */
    private static void lingerWhileConnected(final ExclusivePublication publication)
    {
        final long deadline = System.nanoTime() + LINGER_NS;
        while (publication.isConnected() && System.nanoTime() - deadline < 0)
        {
            LockSupport.parkNanos(1_000_000L);
        }
    }

    /**
     * Offer until the publication takes the message: back-pressure and a moment without the subscriber are waited
     * out, spinning, as the shared-memory roles do.
     */
    private static void offer(final ExclusivePublication publication, final DirectBuffer buffer, final int offset,
        final int length)
    {
        while (publication.offer(buffer, offset, length) < 0)
        {
            Thread.onSpinWait();
        }
    }

    private static void awaitConnected(final ExclusivePublication publication)
    {
        while (!publication.isConnected())
        {
            Thread.onSpinWait();
        }
    }
}
