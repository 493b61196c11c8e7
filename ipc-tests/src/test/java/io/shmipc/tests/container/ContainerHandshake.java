package io.shmipc.tests.container;

import io.shmipc.RegionLocation;
import io.shmipc.examples.container.HandshakeException;
import io.shmipc.examples.container.SharedMemoryHandshake;
import org.testcontainers.containers.Container;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Runs the "same memory?" handshake ({@link SharedMemoryHandshake}) between two sides, each the test JVM (in this
 * process) or a container ({@code docker exec} of the container peer), and turns a failure into a
 * {@link SharedMemoryMismatchError} carrying both sides' reports.
 */
final class ContainerHandshake
{
    private static final Duration EXEC_GRACE = Duration.ofSeconds(30);

    /**
     * One side of a handshake.
     */
    interface Side
    {
        /**
         * Play a role.
         *
         * @param role    {@code initiate} or {@code respond}.
         * @param timeout the handshake's limit.
         * @return what happened.
         */
        Outcome run(String role, Duration timeout);

        /**
         * How a failure names this side.
         *
         * @return the description.
         */
        String describe();
    }

    /**
     * What one side reported.
     *
     * @param ok   whether it succeeded.
     * @param text what it said.
     */
    record Outcome(boolean ok, String text)
    {
    }

    private ContainerHandshake()
    {
    }

    /**
     * The test JVM as a side.
     *
     * @param location the handshake region as this JVM names it ({@code shm:NAME} or a path).
     * @return the side.
     */
    static Side host(final String location)
    {
        return new HostSide(location);
    }

    /**
     * A running container as a side.
     *
     * @param container the container.
     * @param location  the handshake region as the container names it.
     * @return the side.
     */
    static Side container(final SharedMemoryContainer container, final String location)
    {
        return new ContainerSide(container, location);
    }

    /**
     * Run the responder in the background and the initiator here, then check both.
     *
     * @param subject   the container being verified, for the message.
     * @param what      what it should share memory with, for the message.
     * @param initiator the side that creates the handshake region.
     * @param responder the side that attaches to it.
     * @param timeout   each side's limit.
     * @throws SharedMemoryMismatchError when either side failed.
     */
    static void verify(
        final SharedMemoryContainer subject,
        final String what,
        final Side initiator,
        final Side responder,
        final Duration timeout)
    {
        final CompletableFuture<Outcome> response = CompletableFuture.supplyAsync(
            () -> responder.run("respond", timeout));
        final Outcome initiated = initiator.run("initiate", timeout);
        Outcome responded;
        try
        {
            responded = response.get(timeout.plus(EXEC_GRACE).toMillis(), TimeUnit.MILLISECONDS);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted during the handshake", ex);
        }
        catch (final ExecutionException | TimeoutException ex)
        {
            responded = new Outcome(false, "no result: " + ex);
        }
        if (!initiated.ok() || !responded.ok())
        {
            throw new SharedMemoryMismatchError("not the same memory: " + subject.describe() + " and " + what +
                " failed the shared-memory handshake\n  initiator " + initiator.describe() + ": " + initiated.text() +
                "\n  responder " + responder.describe() + ": " + responded.text());
        }
    }

    private record HostSide(String location) implements Side
    {
        @Override
        public Outcome run(final String role, final Duration timeout)
        {
            final RegionLocation region = location.startsWith("shm:") ?
                RegionLocation.shm(location.substring(4)) : RegionLocation.file(Path.of(location));
            try
            {
                final SharedMemoryHandshake.Result result = role.equals("initiate") ?
                    SharedMemoryHandshake.initiate(region, timeout, 0600) :
                    SharedMemoryHandshake.respond(region, timeout);
                return new Outcome(true, "HANDSHAKE OK region=" + region + " peer: " + result.peer());
            }
            catch (final HandshakeException ex)
            {
                return new Outcome(false, "HANDSHAKE FAILED " + ex.getMessage());
            }
        }

        @Override
        public String describe()
        {
            return "test JVM (pid " + ProcessHandle.current().pid() + ", region " + location + ")";
        }
    }

    private record ContainerSide(SharedMemoryContainer container, String location) implements Side
    {
        @Override
        public Outcome run(final String role, final Duration timeout)
        {
            final Container.ExecResult result = container.execPeer("handshake", role, location, "--timeout",
                Double.toString(timeout.toMillis() / 1000.0));
            final String text = (result.getStdout() + result.getStderr()).strip();
            if (result.getExitCode() == 0)
            {
                return new Outcome(true, text);
            }
            final String stopped = container.isRunning() ? "" : " (the container stopped during the handshake: " +
                "verify while its main process runs)";
            return new Outcome(false, (text.isEmpty() ? "exit status " + result.getExitCode() + ", no output" :
                text) + stopped);
        }

        @Override
        public String describe()
        {
            return container.describe() + " (region " + location + ")";
        }
    }
}
