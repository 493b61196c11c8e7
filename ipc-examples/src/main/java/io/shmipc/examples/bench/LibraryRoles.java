package io.shmipc.examples.bench;

import io.shmipc.toolkit.SequencedMessage;
import io.shmipc.BatchingPublisher;
import io.shmipc.MessageHandler;
import io.shmipc.Publisher;
import io.shmipc.Region;
import io.shmipc.RegionLocation;
import io.shmipc.Subscriber;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.UnsafeBuffer;

import java.time.Duration;
import java.util.Map;

/**
 * Roles over the library: ping-pong over two channels and one-way throughput over one, through the public API
 * ({@link Publisher#offer}, {@link BatchingPublisher}, {@link Subscriber#poll(MessageHandler, int)}).
 */
final class LibraryRoles
{
    /** Channel the pinger publishes on. */
    static final String PING_CHANNEL = "ping";
    /** Channel the ponger echoes on. */
    static final String PONG_CHANNEL = "pong";
    /** Channel of a throughput run. */
    static final String DATA_CHANNEL = "data";
    /** Fragment limit of each consumer poll. */
    static final int POLL_LIMIT = 256;
    /** Channel of a broadcast run's acknowledgements ({@link FlowControl}). */
    static final String ACK_CHANNEL = "ack";
    static final Duration ATTACH_TIMEOUT = Duration.ofSeconds(30);

    private LibraryRoles()
    {
    }

    static Region attach(final RoleContext context)
    {
        return Region.attach(RegionLocation.shm(context.string(Keys.REGION)), ATTACH_TIMEOUT);
    }

    static void ping(final RoleContext context) throws Exception
    {
        try (Region region = attach(context))
        {
            final Publisher publisher = region.publisher(PING_CHANNEL);
            final Subscriber subscriber = region.subscriber(PONG_CHANNEL);
            context.ready();
            final long[] echoed = new long[1];
            final MessageHandler handler =
                (buffer, offset, length) -> echoed[0] = SequencedMessage.sequence(buffer, offset);
            final RoundTrip roundTrip = RoundTrip.idling((message, length) -> offer(publisher, message, 0, length),
                () -> subscriber.poll(handler, 1), () -> echoed[0], context.idleStrategy());
            context.result(PingLoop.run(roundTrip, context.integer(Keys.LENGTH), context.warmupNs(),
                context.durationNs()));
        }
    }

    static void pong(final RoleContext context) throws Exception
    {
        try (Region region = attach(context))
        {
            final Publisher publisher = region.publisher(PONG_CHANNEL);
            final Subscriber subscriber = region.subscriber(PING_CHANNEL);
            context.ready();
            final Echo echo = new Echo(publisher);
            final IdleStrategy idle = context.idleStrategy();
            while (!echo.ended)
            {
                idle.idle(subscriber.poll(echo, 1));
            }
            context.result(PingLoop.echoResult(echo.echoed));
        }
    }

    static void producer(final RoleContext context) throws Exception
    {
        try (Region region = attach(context))
        {
            final Publisher publisher = region.publisher(DATA_CHANNEL);
            final int batch = context.integer(Keys.BATCH, 0);
            final MessageSink sink = context.idling(batch > 0 ? batchingSink(publisher.batching(batch)) :
                sink(publisher));
            final int burst = context.integer(Keys.BURST, 0);
            FlowControl.Waiter waiter = null;
            if (burst > 0)
            {
                final Subscriber acknowledgements = region.subscriber(ACK_CHANNEL);
                final FlowControl.Tracker tracker = new FlowControl.Tracker(context.integer(Keys.CONSUMERS));
                final MessageHandler handler = (buffer, offset, length) -> tracker.onAck(buffer, offset);
                waiter = count ->
                {
                    while (tracker.minimum() < count)
                    {
                        if (acknowledgements.poll(handler, POLL_LIMIT) == 0)
                        {
                            Thread.onSpinWait();
                        }
                    }
                };
            }
            context.ready();
            context.result(ThroughputProducer.run(sink, context.integer(Keys.PRODUCER), context.integer(Keys.LENGTH),
                context.warmupNs(), context.durationNs(), burst, waiter));
        }
    }

    static void consumer(final RoleContext context) throws Exception
    {
        try (Region region = attach(context))
        {
            final Subscriber subscriber = region.subscriber(DATA_CHANNEL);
            final int burst = context.integer(Keys.BURST, 0);
            FlowControl.Acknowledger acknowledger = null;
            if (burst > 0)
            {
                final Publisher acknowledgements = region.publisher(ACK_CHANNEL);
                final UnsafeBuffer ack = new UnsafeBuffer(new byte[FlowControl.ACK_LENGTH]);
                final int index = context.integer(Keys.CONSUMER);
                acknowledger = count ->
                {
                    FlowControl.writeAck(ack, count, index);
                    offer(acknowledgements, ack, 0, FlowControl.ACK_LENGTH);
                };
            }
            final MessageReceiver receiver = new MessageReceiver(context.integer(Keys.PRODUCERS), burst, acknowledger);
            final MessageHandler handler = (buffer, offset, length) -> receiver.onMessage(buffer, offset);
            context.ready();
            receiver.consume(context.idling(() -> subscriber.poll(handler, POLL_LIMIT)));
            final Map<String, String> result = receiver.result();
            result.put(Keys.LIBRARY_LOST, Long.toString(subscriber.lostMessages()));
            context.result(result);
        }
    }

    static MessageSink sink(final Publisher publisher)
    {
        return (message, length) -> accepted(publisher.offer(message, 0, length), publisher);
    }

    static MessageSink batchingSink(final BatchingPublisher batching)
    {
        return new MessageSink()
        {
            @Override
            public boolean offer(final UnsafeBuffer message, final int length)
            {
                return accepted(batching.offer(message, 0, length), batching.publisher());
            }

            @Override
            public boolean flush()
            {
                return accepted(batching.flush(), batching.publisher());
            }
        };
    }

    /**
     * Offer until the channel takes the message.
     *
     * @param publisher the publisher.
     * @param buffer    the message.
     * @param offset    where it starts.
     * @param length    its length.
     */
    static void offer(final Publisher publisher, final DirectBuffer buffer, final int offset, final int length)
    {
        while (!accepted(publisher.offer(buffer, offset, length), publisher))
        {
            Thread.onSpinWait();
        }
    }

    /**
     * Whether a publication's result says the channel took the message.
     *
     * @param result    what {@code offer} returned.
     * @param publisher the publisher, for the message.
     * @return true for {@link Publisher#OK}, false for {@link Publisher#BACK_PRESSURED}.
     * @throws IllegalStateException when the publisher was closed.
     */
    static boolean accepted(final long result, final Publisher publisher)
    {
        if (result == Publisher.OK)
        {
            return true;
        }
        if (result == Publisher.BACK_PRESSURED)
        {
            return false;
        }
        throw new IllegalStateException("publisher closed: channel=" + publisher.channel() + " result=" + result);
    }

    /**
     * The ponger's handler: echo each message on the pong channel, stop at the end message.
     */
    private static final class Echo implements MessageHandler
    {
        private final Publisher publisher;
        private boolean ended;
        private long echoed;

        Echo(final Publisher publisher)
        {
            this.publisher = publisher;
        }

        @Override
        public void onMessage(final DirectBuffer buffer, final int offset, final int length)
        {
            if (SequencedMessage.phase(buffer, offset) == SequencedMessage.PHASE_END)
            {
                ended = true;
                return;
            }
            offer(publisher, buffer, offset, length);
            echoed++;
        }
    }
}
