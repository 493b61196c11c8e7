package io.shmipc.examples.bench;

import io.shmipc.toolkit.SequencedMessage;
import io.shmipc.Publisher;
import io.shmipc.Region;
import io.shmipc.ResponseHandler;
import io.shmipc.ServiceClient;
import io.shmipc.ServiceConfig;
import io.shmipc.ServiceRequest;
import io.shmipc.ServiceServer;
import io.shmipc.exceptions.ServiceException;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.time.Duration;

/**
 * Request/response round trips through a service: the client sends a request and busy-polls for its one final
 * response, which echoes the request; the server busy-polls for requests. The same {@link PingLoop} as the
 * ping-pong rows drives it, so the two are comparable.
 */
final class ServiceRoles
{
    /** The service of the run. */
    static final ServiceConfig SERVICE = ServiceConfig.builder("bench").requestCapacity(1 << 20)
        .replyCapacity(1 << 20).build();
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);

    private ServiceRoles()
    {
    }

    static void client(final RoleContext context) throws Exception
    {
        try (Region region = LibraryRoles.attach(context); ServiceClient client = ServiceClient.open(region, SERVICE))
        {
            final long deadline = System.nanoTime() + LibraryRoles.ATTACH_TIMEOUT.toNanos();
            while (!client.isServerAvailable())
            {
                if (System.nanoTime() - deadline > 0)
                {
                    throw new IllegalStateException("no server of service " + SERVICE.name());
                }
                Thread.yield();
            }
            context.ready();
            final Replies replies = new Replies();
            final long timeoutNs = REQUEST_TIMEOUT.toNanos();
            final RoundTrip roundTrip = new RoundTrip()
            {
                @Override
                public void send(final UnsafeBuffer message, final int length)
                {
                    long id;
                    while ((id = client.request(message, 0, length, timeoutNs)) == Publisher.BACK_PRESSURED)
                    {
                        Thread.onSpinWait();
                    }
                    if (id <= 0)
                    {
                        throw new IllegalStateException("request not sent: " + id);
                    }
                }

                @Override
                public long awaitReply()
                {
                    replies.done = false;
                    while (!replies.done)
                    {
                        if (client.poll(replies, 1) == 0)
                        {
                            Thread.onSpinWait();
                        }
                    }
                    return replies.sequence;
                }
            };
            context.result(PingLoop.run(roundTrip, context.integer(Keys.LENGTH), context.warmupNs(),
                context.durationNs()));
        }
    }

    static void server(final RoleContext context) throws Exception
    {
        try (Region region = LibraryRoles.attach(context); ServiceServer server = ServiceServer.open(region, SERVICE))
        {
            context.ready();
            final Answer answer = new Answer();
            while (!answer.ended)
            {
                if (server.poll(answer, 1) == 0)
                {
                    Thread.onSpinWait();
                }
            }
            context.result(PingLoop.echoResult(answer.echoed));
        }
    }

    /**
     * Notes the final response's sequence; a failure ends the run.
     */
    private static final class Replies implements ResponseHandler
    {
        private boolean done;
        private long sequence;

        @Override
        public void onResponse(final long correlationId, final DirectBuffer buffer, final int offset,
            final int length, final boolean last)
        {
            sequence = SequencedMessage.sequence(buffer, offset);
            done |= last;
        }

        @Override
        public void onFailure(final long correlationId, final ServiceException failure)
        {
            throw failure;
        }
    }

    /**
     * Echoes each request as its one final response; the end message is not answered.
     */
    private static final class Answer implements io.shmipc.RequestHandler
    {
        private boolean ended;
        private long echoed;

        @Override
        public void onRequest(final ServiceRequest request)
        {
            if (SequencedMessage.phase(request.buffer(), request.offset()) == SequencedMessage.PHASE_END)
            {
                ended = true;
                return;
            }
            long result;
            while ((result = request.complete(request.buffer(), request.offset(), request.length())) ==
                Publisher.BACK_PRESSURED)
            {
                Thread.onSpinWait();
            }
            if (result != Publisher.OK)
            {
                throw new IllegalStateException("response not sent: " + result);
            }
            echoed++;
        }
    }
}
