package io.shmipc.examples.cli;

import io.shmipc.ResponseHandler;
import io.shmipc.ServiceClient;
import io.shmipc.examples.support.CommandFailedException;
import io.shmipc.examples.support.Counts;
import io.shmipc.examples.support.DoneLine;
import io.shmipc.examples.support.DurationConverter;
import io.shmipc.examples.support.ExitCodes;
import io.shmipc.examples.support.RegionUse;
import io.shmipc.examples.support.RoleConsole;
import io.shmipc.examples.support.ShutdownSignal;
import io.shmipc.examples.support.StandardInput;
import io.shmipc.examples.support.Stop;
import io.shmipc.exceptions.RequestTimeoutException;
import io.shmipc.exceptions.ServiceException;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.Callable;
import java.util.concurrent.locks.LockSupport;

/**
 * {@code shm-ipc call}: a client of a service, to try request/response from two terminals with
 * {@code shm-ipc serve}.
 */
@Command(name = "call")
public final class CallCommand implements Callable<Integer>, ResponseHandler
{
    private static final long SERVER_POLL_NS = 10_000_000L;
    /** A request record's header in the request channel (server id, correlation id, client id, flags). */
    private static final int REQUEST_HEADER_LENGTH = 24;

    @Spec
    private CommandSpec spec;

    @Mixin
    private ServiceOptions options = new ServiceOptions("call");

    @Option(names = "--message", paramLabel = "TEXT")
    private String message;

    @Option(names = "--count", converter = Counts.AtLeastOne.class, paramLabel = "N", defaultValue = "1")
    private long count;

    @Option(names = "--timeout", paramLabel = "DURATION", defaultValue = "5s", converter = DurationConverter.class)
    private Duration timeout;

    private RoleConsole console;
    private long requests;
    private long responses;
    private long failures;
    private long timedOut;
    private String lastFailure;

    @Override
    public Integer call()
    {
        if (count != 1 && message == null)
        {
            throw new ParameterException(spec.commandLine(), "--count is for --message: each line of standard " +
                "input is one request");
        }
        if (timeout.isNegative())
        {
            throw new ParameterException(spec.commandLine(), "--timeout must be 0 (no limit) or more: " + timeout);
        }
        console = options.console();
        final ShutdownSignal signal = ShutdownSignal.current();
        try (RegionUse use = RegionUse.openOrCreate(options.region(), console);
            ServiceClient client = ServiceClient.open(use.region(), options.service()))
        {
            // A timeout waiting for the server, or a request too long, still ends with the done line.
            final Stop stop = Stop.catching(() -> run(client, signal));
            console.done(new DoneLine().add("requests", requests).add("responses", responses)
                .add("failed", failures).add("late-responses", client.lateResponses()).add("stop", stop.name()));
            return stop.exit();
        }
    }

    private Stop run(final ServiceClient client, final ShutdownSignal signal)
    {
        final int maxRequestLength = options.requestCapacity / 8 - REQUEST_HEADER_LENGTH; // a ring's limit: 1/8
        final UnsafeBuffer request = new UnsafeBuffer(new byte[maxRequestLength]);
        if (message != null)
        {
            for (long i = 0; i < count && !signal.isRequested(); i++)
            {
                send(client, request, message.getBytes(StandardCharsets.UTF_8), signal);
            }
        }
        else
        {
            console.say("calling service '%s' with each line of standard input; end with Ctrl-D", options.service);
            sendLines(client, request, signal);
        }
        return signal.isRequested() ? Stop.interrupted() : failures == 0 ? Stop.done("done") :
            failures == timedOut ? Stop.timeout(failed()) : Stop.failed("failed", new CommandFailedException(failed()));
    }

    private String failed()
    {
        return failures + " of " + requests + " request" + (requests == 1 ? "" : "s") + " failed (" + timedOut +
            " timed out after " + DurationConverter.describe(timeout) + "); the last: " + lastFailure;
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
            if (!timeout.isZero() && System.nanoTime() - deadline >= 0)
            {
                throw new CommandFailedException(ExitCodes.TIMEOUT, "no server of service '" + options.service +
                    "' within " + DurationConverter.describe(timeout) + " (start one with: shm-ipc serve --region " +
                    options.region.argument() + " --service " + options.service + ")");
            }
            LockSupport.parkNanos(SERVER_POLL_NS);
        }
    }

    /**
     * Standard input is read on its own thread, so that Ctrl-C ends the command while it waits for a line that may
     * never come.
     */
    private void sendLines(final ServiceClient client, final UnsafeBuffer request, final ShutdownSignal signal)
    {
        final StandardInput input = new StandardInput();
        while (!signal.isRequested())
        {
            final String line = input.next();
            if (line == StandardInput.END)
            {
                return;
            }
            if (line != null)
            {
                send(client, request, StandardInput.bytes(line), signal);
            }
        }
    }

    /**
     * Send one request and wait for its responses. Every request first waits for a server, as the first one does: a
     * server that died (its pending request failing as its death) is waited for again, up to the timeout, so that a
     * new one takes the next requests.
     */
    private void send(final ServiceClient client, final UnsafeBuffer request, final byte[] bytes,
        final ShutdownSignal signal)
    {
        if (bytes.length > request.capacity())
        {
            throw new CommandFailedException("request of " + bytes.length + " bytes exceeds the longest the request " +
                "channel takes: " + request.capacity() + " bytes");
        }
        awaitServer(client, signal);
        if (signal.isRequested())
        {
            return;
        }
        request.putBytes(0, bytes);
        requests++;
        try
        {
            client.call(request, 0, bytes.length, this, timeout.isZero() ? ChronoUnit.FOREVER.getDuration() : timeout);
        }
        catch (final ServiceException ex)
        {
            failures++;
            timedOut += ex instanceof RequestTimeoutException ? 1 : 0;
            lastFailure = "request " + requests + ": " + ex.getMessage();
            console.say("request %d failed: %s", requests, ex.getMessage());
        }
    }

    @Override
    public void onResponse(final long correlationId, final DirectBuffer buffer, final int offset, final int length,
        final boolean last)
    {
        responses++;
        if (!options.quiet)
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
