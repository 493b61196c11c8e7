package io.shmipc.examples.bench;

import io.aeron.Aeron;
import io.aeron.AeronCounters;
import io.aeron.ExclusivePublication;
import io.aeron.Publication;
import io.aeron.Subscription;
import io.aeron.driver.MediaDriver;
import io.aeron.driver.ThreadingMode;
import io.aeron.driver.status.StreamCounter;
import io.aeron.logbuffer.FragmentHandler;
import io.shmipc.toolkit.SequencedMessage;
import org.agrona.CloseHelper;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.AgentInvoker;
import org.agrona.concurrent.BackoffIdleStrategy;

import java.util.Map;

/**
 * The reference rows: Aeron IPC between two processes, an exclusive publication and one subscription per stream,
 * through a media driver embedded in the publishing process (the pinging one for round trips). Two setups, as
 * {@link Keys#AERON_THREADING} says: {@code SHARED}, the driver's agents on one thread of their own, and
 * {@code INVOKER}, no driver thread: the hosting process runs the driver's duty cycle itself, from its client
 * conductor, whenever its publication is back-pressured or it waits for a reply. IPC term buffers are
 * {@link #TERM_LENGTH} bytes, so the publication's window is comparable with the library's capacity.
 */
final class AeronIpcRoles
{
    /** Term length of the IPC publications: three partitions make the log, half a term is the window. */
    static final int TERM_LENGTH = 2 * BareRingRoles.CAPACITY;
    private static final String CHANNEL = "aeron:ipc?term-length=" + TERM_LENGTH;
    static final int DATA_STREAM = 1001;
    static final int PING_STREAM = 1002;
    static final int PONG_STREAM = 1003;

    private AeronIpcRoles()
    {
    }

    /**
     * An embedded driver and its client, or a client of another process's driver.
     */
    static final class Node implements AutoCloseable
    {
        private final MediaDriver driver;
        private final Aeron aeron;
        private final AgentInvoker invoker;
        private final AgentInvoker driverInvoker;

        Node(final RoleContext context, final boolean host)
        {
            final String directory = context.string(Keys.AERON_DIR);
            final ThreadingMode threading = ThreadingMode.valueOf(context.string(Keys.AERON_THREADING));
            final boolean invoked = host && threading == ThreadingMode.INVOKER;
            driver = host ? MediaDriver.launch(new MediaDriver.Context()
                .aeronDirectoryName(directory)
                .threadingMode(threading)
                .dirDeleteOnStart(true)
                .dirDeleteOnShutdown(true)
                .ipcTermBufferLength(TERM_LENGTH)
                .sharedIdleStrategy(new BackoffIdleStrategy())) : null;
            // Aeron's default handler ends the JVM when the driver goes: the host closes it once its run is over,
            // which may come before a subscriber that already reported its result has closed.
            final Aeron.Context client = new Aeron.Context().aeronDirectoryName(directory)
                .errorHandler(error -> error.printStackTrace(System.err));
            if (invoked)
            {
                client.useConductorAgentInvoker(true).driverAgentInvoker(driver.sharedAgentInvoker());
            }
            aeron = Aeron.connect(client);
            invoker = invoked ? aeron.conductorAgentInvoker() : null;
            driverInvoker = invoked ? driver.sharedAgentInvoker() : null;
        }

        /** Run the hosted driver's duty cycle (and the client conductor's), when this process invokes it. */
        void invoke()
        {
            if (invoker != null)
            {
                driverInvoker.invoke();
                invoker.invoke();
            }
        }

        ExclusivePublication publication(final int stream)
        {
            final ExclusivePublication publication = aeron.addExclusivePublication(CHANNEL, stream);
            while (!publication.isConnected())
            {
                invoke();
                Thread.onSpinWait();
            }
            return publication;
        }

        Subscription subscription(final int stream)
        {
            final Subscription subscription = aeron.addSubscription(CHANNEL, stream);
            while (!subscription.isConnected())
            {
                invoke();
                Thread.onSpinWait();
            }
            return subscription;
        }

        /**
         * Wait until the driver counts {@code subscribers} subscriptions of a stream, running a hosted driver's duty
         * cycle meanwhile: an invoked driver runs only when its process calls it, and a subscriber that joins
         * while this process waits to be told to start would wait for the driver's answer in vain.
         */
        void awaitSubscribers(final int stream, final int subscribers)
        {
            final int[] counted = new int[1];
            do
            {
                invoke();
                Thread.onSpinWait();
                counted[0] = 0;
                aeron.countersReader().forEach((counterId, typeId, key, label) ->
                {
                    if (typeId == AeronCounters.DRIVER_SUBSCRIBER_POSITION_TYPE_ID &&
                        key.getInt(StreamCounter.STREAM_ID_OFFSET) == stream)
                    {
                        counted[0]++;
                    }
                });
            }
            while (counted[0] < subscribers);
        }

        void offer(final Publication publication, final DirectBuffer buffer, final int offset, final int length)
        {
            while (!tryOffer(publication, buffer, offset, length))
            {
                Thread.onSpinWait();
            }
        }

        /**
         * Offer once; when refused, run the hosted driver's duty cycle (it moves the publication's limit).
         *
         * @return true when the publication took the message.
         */
        boolean tryOffer(final Publication publication, final DirectBuffer buffer, final int offset, final int length)
        {
            if (offered(publication.offer(buffer, offset, length)))
            {
                return true;
            }
            invoke();
            return false;
        }

        /**
         * Poll once; when nothing came, run the hosted driver's duty cycle.
         *
         * @return fragments delivered.
         */
        int poll(final Subscription subscription, final FragmentHandler handler, final int limit)
        {
            final int delivered = subscription.poll(handler, limit);
            if (delivered == 0)
            {
                invoke();
            }
            return delivered;
        }

        boolean offered(final long result)
        {
            if (result > 0)
            {
                return true;
            }
            if (result == Publication.CLOSED || result == Publication.MAX_POSITION_EXCEEDED)
            {
                throw new IllegalStateException("Aeron publication failed: " + Publication.errorString(result));
            }
            return false;
        }

        @Override
        public void close()
        {
            CloseHelper.closeAll(aeron, driver);
        }
    }

    static void producer(final RoleContext context) throws Exception
    {
        try (Node node = new Node(context, true))
        {
            final ExclusivePublication publication = node.publication(DATA_STREAM);
            node.awaitSubscribers(DATA_STREAM, context.integer(Keys.CONSUMERS, 1));
            final MessageSink sink = context.idling((message, length) -> node.tryOffer(publication, message, 0,
                length));
            context.ready();
            context.result(ThroughputProducer.run(sink, context.integer(Keys.PRODUCER), context.integer(Keys.LENGTH),
                context.warmupNs(), context.durationNs(), 0, null));
        }
    }

    static void consumer(final RoleContext context) throws Exception
    {
        try (Node node = new Node(context, false))
        {
            final Subscription subscription = node.subscription(DATA_STREAM);
            final MessageReceiver receiver = new MessageReceiver(context.integer(Keys.PRODUCERS));
            final FragmentHandler handler = (buffer, offset, length, header) -> receiver.onMessage(buffer, offset);
            context.ready();
            receiver.consume(context.idling(() -> subscription.poll(handler, LibraryRoles.POLL_LIMIT)));
            context.result(receiver.result());
        }
    }

    static void ping(final RoleContext context) throws Exception
    {
        try (Node node = new Node(context, true))
        {
            final ExclusivePublication publication = node.publication(PING_STREAM);
            final Subscription subscription = node.subscription(PONG_STREAM);
            context.ready();
            final long[] echoed = new long[1];
            final FragmentHandler handler =
                (buffer, offset, length, header) -> echoed[0] = SequencedMessage.sequence(buffer, offset);
            final RoundTrip roundTrip = RoundTrip.spinning(
                (message, length) -> node.offer(publication, message, 0, length),
                () -> node.poll(subscription, handler, 1), () -> echoed[0]);
            context.result(PingLoop.run(roundTrip, context.integer(Keys.LENGTH), context.warmupNs(),
                context.durationNs()));
        }
    }

    static void pong(final RoleContext context) throws Exception
    {
        try (Node node = new Node(context, false))
        {
            final Subscription subscription = node.subscription(PING_STREAM);
            final ExclusivePublication publication = node.publication(PONG_STREAM);
            context.ready();
            final boolean[] ended = new boolean[1];
            final long[] echoed = new long[1];
            final FragmentHandler handler = (buffer, offset, length, header) ->
            {
                if (SequencedMessage.phase(buffer, offset) == SequencedMessage.PHASE_END)
                {
                    ended[0] = true;
                    return;
                }
                node.offer(publication, buffer, offset, length);
                echoed[0]++;
            };
            while (!ended[0])
            {
                if (subscription.poll(handler, 1) == 0)
                {
                    Thread.onSpinWait();
                }
            }
            context.result(PingLoop.echoResult(echoed[0]));
        }
    }

    /**
     * The arguments of an Aeron run: a fresh driver directory and the threading mode.
     *
     * @param directory the driver directory, unique to the run.
     * @param threading {@code SHARED} or {@code INVOKER}.
     * @return the arguments.
     */
    static Map<String, String> arguments(final String directory, final ThreadingMode threading)
    {
        return Map.of(Keys.AERON_DIR, directory, Keys.AERON_THREADING, threading.name());
    }
}
