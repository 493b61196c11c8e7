package io.shmipc.examples.cli;

import io.shmipc.Publisher;
import io.shmipc.Region;
import io.shmipc.ServiceRequest;
import io.shmipc.ServiceServer;
import io.shmipc.examples.support.Counts;
import io.shmipc.examples.support.DoneLine;
import io.shmipc.examples.support.ExitCodes;
import io.shmipc.examples.support.RegionUse;
import io.shmipc.examples.support.RoleConsole;
import io.shmipc.examples.support.ShutdownSignal;
import io.shmipc.examples.support.Stop;
import org.agrona.concurrent.UnsafeBuffer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.Callable;

/**
 * {@code shm-ipc serve}: an echo server of a service, to try request/response from two terminals with
 * {@code shm-ipc call}.
 */
@Command(name = "serve")
public final class ServeCommand implements Callable<Integer>
{
    private static final Duration POLL_TIMEOUT = Duration.ofMillis(100);
    private static final Duration BACK_PRESSURE_WAIT = Duration.ofSeconds(1);
    /** A response record's header in a reply channel (correlation id, flags). */
    private static final int RESPONSE_HEADER_LENGTH = 16;

    @Mixin
    private ServiceOptions options = new ServiceOptions("serve");

    @Option(names = "--responses", converter = Counts.IntAtLeastOne.class, paramLabel = "N", defaultValue = "1")
    private int responses;

    @Option(names = "--count", converter = Counts.AtLeastZero.class, paramLabel = "N", defaultValue = "0")
    private long count;

    private RoleConsole console;
    private UnsafeBuffer response;
    private int maxResponseLength;
    private long unanswered;

    @Override
    public Integer call()
    {
        console = options.console();
        final ShutdownSignal signal = ShutdownSignal.current();
        try (RegionUse use = RegionUse.openOrCreate(options.region(), console);
            ServiceServer server = ServiceServer.open(use.region(), options.service()))
        {
            final Region region = use.region();
            maxResponseLength = options.replyCapacity / 8 - RESPONSE_HEADER_LENGTH; // a ring's message limit: 1/8
            response = new UnsafeBuffer(ByteBuffer.allocateDirect(maxResponseLength));
            console.say("serving service '%s' in region %s: %d response(s) per request; stop with Ctrl-C",
                options.service, region.location(), responses);
            while (!signal.isRequested() && (count == 0 || server.requestsHandled() < count))
            {
                server.poll(this::answer, 64, POLL_TIMEOUT);
            }
            console.done(new DoneLine().add("handled", server.requestsHandled())
                .add("unanswered", unanswered)
                .add("stale", server.staleRequests())
                .add("malformed", server.malformedRequests())
                .add("dropped-responses", server.droppedResponses())
                .add("reclaimed-clients", server.reclaimedClients())
                .add("stop", signal.isRequested() ? "interrupted" : "count"));
            return signal.isRequested() ? Stop.interrupted().exit() : ExitCodes.OK;
        }
    }

    private void answer(final ServiceRequest request)
    {
        if (!options.quiet)
        {
            console.say("request %d from client %08x: %s", request.correlationId(), request.clientId(),
                request.buffer().getStringWithoutLengthUtf8(request.offset(), request.length()));
        }
        final int length = Math.min(request.length(), maxResponseLength);
        response.putBytes(0, request.buffer(), request.offset(), length);
        for (int i = 0; i < responses; i++)
        {
            final boolean last = i == responses - 1;
            final long deadline = System.nanoTime() + BACK_PRESSURE_WAIT.toNanos();
            long result;
            while ((result = last ? request.complete(response, 0, length) : request.respond(response, 0, length)) ==
                Publisher.BACK_PRESSURED && System.nanoTime() - deadline < 0)
            {
                Thread.yield(); // the client is alive but behind
            }
            if (result != Publisher.OK)
            {
                unanswered++;
                return; // the client is gone, or stayed behind: counted, go on with the others
            }
        }
    }
}
