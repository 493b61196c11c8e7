package io.shmipc.examples.cli;

import io.shmipc.Publisher;
import io.shmipc.Region;
import io.shmipc.ServiceRequest;
import io.shmipc.ServiceServer;
import io.shmipc.examples.support.CommandRunner;
import io.shmipc.examples.support.DoneLine;
import io.shmipc.examples.support.RegionSupport;
import io.shmipc.examples.support.RoleConsole;
import io.shmipc.examples.support.ShutdownSignal;
import org.agrona.concurrent.UnsafeBuffer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.Callable;

/**
 * {@code shm-ipc serve}: an echo server of a service, to try request/response from two terminals with
 * {@code shm-ipc call}.
 */
@Command(
    name = "serve",
    mixinStandardHelpOptions = true,
    header = "Answer a service's requests: an echo server.",
    description = {
        "Serve a service: answer each request with --responses responses, each the request's bytes (cut to what " +
        "the reply channel takes; the last one final), on the asking client's own reply channel.",
        "Creates the region (empty) if it does not exist and adds the service's request channel, so it may start " +
        "before or after 'call'. One server per service at a time; when it dies, clients' pending requests fail " +
        "at once and another 'serve' takes over. Stops after --count requests, or on Ctrl-C."},
    footer = {"", "Examples:", "  shm-ipc serve --region demo --service echo",
        "  shm-ipc serve --region demo --service echo --responses 3"})
public final class ServeCommand implements Callable<Integer>
{
    private static final Duration POLL_TIMEOUT = Duration.ofMillis(100);
    private static final Duration BACK_PRESSURE_WAIT = Duration.ofSeconds(1);
    /** A response record's header in a reply channel (correlation id, flags). */
    private static final int RESPONSE_HEADER_LENGTH = 16;

    @Spec
    private CommandSpec spec;

    @Mixin
    private ServiceOptions options;

    @Option(names = "--responses", paramLabel = "N", defaultValue = "1",
        description = "Responses per request, the last one final. Default: ${DEFAULT-VALUE}.")
    private int responses;

    @Option(names = "--count", paramLabel = "N", defaultValue = "0",
        description = "Stop after answering N requests; 0 serves until Ctrl-C. Default: ${DEFAULT-VALUE}.")
    private long count;

    @Option(names = "--quiet", description = "Do not print each request.")
    private boolean quiet;

    @Option(names = "--name", paramLabel = "ROLE", defaultValue = "serve",
        description = "Name in the [name pid] prefix of status lines. Default: ${DEFAULT-VALUE}.")
    private String name;

    private RoleConsole console;
    private UnsafeBuffer response;
    private int maxResponseLength;
    private long unanswered;

    /**
     * Run as its own process.
     *
     * @param args command line.
     */
    public static void main(final String[] args)
    {
        CommandRunner.main(new ServeCommand(), args);
    }

    @Override
    public Integer call()
    {
        if (responses < 1)
        {
            throw new ParameterException(spec.commandLine(), "--responses must be at least 1: " + responses);
        }
        if (count < 0)
        {
            throw new ParameterException(spec.commandLine(), "--count must not be negative: " + count);
        }
        console = new RoleConsole(name, System.err);
        try (ShutdownSignal signal = ShutdownSignal.install();
            Region region = RegionSupport.openOrCreate(options.region(), console);
            ServiceServer server = ServiceServer.open(region, options.service()))
        {
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
                .add("reclaimed-clients", server.reclaimedClients()));
            return CommandRunner.OK;
        }
    }

    private void answer(final ServiceRequest request)
    {
        if (!quiet)
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
