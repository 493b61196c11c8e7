package io.shmipc.examples.cli;

import io.shmipc.Region;
import io.shmipc.ResponseHandler;
import io.shmipc.ServiceClient;
import io.shmipc.examples.support.CommandFailedException;
import io.shmipc.examples.support.CommandRunner;
import io.shmipc.examples.support.DoneLine;
import io.shmipc.examples.support.DurationConverter;
import io.shmipc.examples.support.RegionLocationConverter;
import io.shmipc.examples.support.RegionSupport;
import io.shmipc.examples.support.RoleConsole;
import io.shmipc.examples.support.ShutdownSignal;
import io.shmipc.exceptions.ServiceException;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.locks.LockSupport;

/**
 * {@code shm-ipc call}: a client of a service, to try request/response from two terminals with
 * {@code shm-ipc serve}.
 */
@Command(
    name = "call",
    mixinStandardHelpOptions = true,
    header = "Call a service: send requests and print every response.",
    description = {
        "Call a service: send each line of standard input, or --message --count times, as one request, wait for " +
        "its final response and print every response it gets (a stream of responses ends with a final one).",
        "Adds a reply channel of its own to the region (created empty if missing) and removes it on exit. Waits " +
        "up to --timeout for a server. A request fails when its server dies (every pending request at once) or " +
        "its --timeout passes; the failure is printed and the next request goes to whichever server runs then."},
    footer = {"", "Examples:", "  shm-ipc call --region demo --service echo --message hello",
        "  shm-ipc call --region demo --service echo < requests.txt"})
public final class CallCommand implements Callable<Integer>, ResponseHandler
{
    private static final long SERVER_POLL_NS = 10_000_000L;
    /** A request record's header in the request channel (server id, correlation id, client id, flags). */
    private static final int REQUEST_HEADER_LENGTH = 24;

    @Spec
    private CommandSpec spec;

    @Mixin
    private ServiceOptions options;

    @Option(names = "--message", paramLabel = "TEXT",
        description = "Send this request instead of reading standard input.")
    private String message;

    @Option(names = "--count", paramLabel = "N", defaultValue = "1",
        description = "With --message: send it N times, one after the other. Default: ${DEFAULT-VALUE}.")
    private long count;

    @Option(names = "--timeout", paramLabel = "DURATION", defaultValue = "5s", converter = DurationConverter.class,
        description = "Longest wait for a server, and for each request's final response. Default: ${DEFAULT-VALUE}.")
    private Duration timeout;

    @Option(names = "--quiet", description = "Do not print the responses, only the status lines.")
    private boolean quiet;

    @Option(names = "--name", paramLabel = "ROLE", defaultValue = "call",
        description = "Name in the [name pid] prefix of status lines. Default: ${DEFAULT-VALUE}.")
    private String name;

    private RoleConsole console;
    private long requests;
    private long responses;
    private long failures;

    /**
     * Run as its own process.
     *
     * @param args command line.
     */
    public static void main(final String[] args)
    {
        CommandRunner.main(new CallCommand(), args);
    }

    @Override
    public Integer call()
    {
        if (count < 0 || (count != 1 && message == null))
        {
            throw new ParameterException(spec.commandLine(), "--count takes a number of at least 0, with --message");
        }
        if (timeout.isZero() || timeout.isNegative())
        {
            throw new ParameterException(spec.commandLine(), "--timeout must be more than 0");
        }
        console = new RoleConsole(name, System.err);
        try (ShutdownSignal signal = ShutdownSignal.install();
            Region region = RegionSupport.openOrCreate(options.region(), console);
            ServiceClient client = ServiceClient.open(region, options.service()))
        {
            awaitServer(client, signal);
            final int maxRequestLength = options.requestCapacity / 8 - REQUEST_HEADER_LENGTH; // a ring's limit: 1/8
            final UnsafeBuffer request = new UnsafeBuffer(new byte[maxRequestLength]);
            if (message != null)
            {
                for (long i = 0; i < count && !signal.isRequested(); i++)
                {
                    send(client, request, message);
                }
            }
            else
            {
                console.say("calling service '%s' with each line of standard input; end with Ctrl-D",
                    options.service);
                sendLines(client, request, signal);
            }
            console.done(new DoneLine().add("requests", requests).add("responses", responses)
                .add("failed", failures).add("late-responses", client.lateResponses()));
            return failures > 0 || signal.isRequested() ? CommandRunner.FAILURE : CommandRunner.OK;
        }
    }

    private void awaitServer(final ServiceClient client, final ShutdownSignal signal)
    {
        if (client.isServerAvailable())
        {
            return;
        }
        console.say("waiting up to %s for a server of service '%s'", DurationConverter.describe(timeout),
            options.service);
        final long deadline = System.nanoTime() + timeout.toNanos();
        while (!client.isServerAvailable())
        {
            if (signal.isRequested())
            {
                return;
            }
            if (System.nanoTime() - deadline >= 0)
            {
                throw new CommandFailedException("no server of service '" + options.service + "' within " +
                    DurationConverter.describe(timeout) + " (start one with: shm-ipc serve --region " +
                    RegionLocationConverter.argument(options.location) + " --service " + options.service + ")");
            }
            LockSupport.parkNanos(SERVER_POLL_NS);
        }
    }

    private void sendLines(final ServiceClient client, final UnsafeBuffer request, final ShutdownSignal signal)
    {
        try
        {
            final BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            String line;
            while (!signal.isRequested() && (line = in.readLine()) != null)
            {
                send(client, request, line);
            }
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot read standard input", ex);
        }
    }

    private void send(final ServiceClient client, final UnsafeBuffer request, final String text)
    {
        final byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        if (bytes.length > request.capacity())
        {
            throw new CommandFailedException("request of " + bytes.length + " bytes exceeds the longest the request " +
                "channel takes: " + request.capacity() + " bytes");
        }
        request.putBytes(0, bytes);
        requests++;
        try
        {
            client.call(request, 0, bytes.length, this, timeout);
        }
        catch (final ServiceException ex)
        {
            failures++;
            console.say("request %d failed: %s", requests, ex.getMessage());
        }
    }

    @Override
    public void onResponse(final long correlationId, final DirectBuffer buffer, final int offset, final int length,
        final boolean last)
    {
        responses++;
        if (!quiet)
        {
            System.out.println((last ? "final " : "") + "response " + correlationId + ": " +
                buffer.getStringWithoutLengthUtf8(offset, length));
            System.out.flush();
        }
    }

    @Override
    public void onFailure(final long correlationId, final ServiceException failure)
    {
        // call() throws its own request's failure; there are no other requests
    }
}
