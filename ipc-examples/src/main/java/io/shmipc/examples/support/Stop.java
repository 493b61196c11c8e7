package io.shmipc.examples.support;

import io.shmipc.exceptions.RegionTimeoutException;
import io.shmipc.exceptions.ShmIpcException;

/**
 * Why a command's loop ended, which is also how the command exits: the {@code stop=} word of its {@code done:}
 * line, then its exit code, or after the line, its error for a failure (a {@link CommandFailedException}, or the
 * library's own exception, such as a region found corrupt or truncated under the loop).
 * <pre>{@code
 * Stop stop = Stop.catching(() -> loop());
 * console.done(result.add("stop", stop.name()));
 * return stop.exit();
 * }</pre>
 */
public final class Stop
{
    private final String name;
    private final int exitCode;
    private final RuntimeException failure;

    private Stop(final String name, final int exitCode, final RuntimeException failure)
    {
        this.name = name;
        this.exitCode = exitCode;
        this.failure = failure;
    }

    /**
     * The loop did what it was asked.
     *
     * @param name the reason, e.g. {@code count}, {@code end}.
     * @return the stop, exit 0.
     */
    public static Stop done(final String name)
    {
        return new Stop(name, ExitCodes.OK, null);
    }

    /**
     * Ctrl-C or SIGTERM: {@code stop=interrupted}, exit 130 (the JVM exits with 143 after SIGTERM).
     *
     * @return the stop.
     */
    public static Stop interrupted()
    {
        return new Stop("interrupted", ExitCodes.INTERRUPTED, null);
    }

    /**
     * What the loop waited for did not come: {@code stop=timeout}, then the error, exit 3.
     *
     * @param message what was waited for, and for how long.
     * @return the stop.
     */
    public static Stop timeout(final String message)
    {
        return failed("timeout", new CommandFailedException(ExitCodes.TIMEOUT, message));
    }

    /**
     * The loop failed: {@code stop=NAME}, then the error, with the failure's exit code.
     *
     * @param name    the reason, e.g. {@code consumer-gone}.
     * @param failure the error.
     * @return the stop.
     */
    public static Stop failed(final String name, final CommandFailedException failure)
    {
        return new Stop(name, failure.exitCode(), failure);
    }

    /**
     * Run a loop, turning a {@link CommandFailedException} or a library exception ({@link ShmIpcException}) it throws
     * into a failed stop, so the command still prints its {@code done:} line before the error.
     *
     * @param loop the loop.
     * @return how it stopped.
     */
    public static Stop catching(final Loop loop)
    {
        try
        {
            return loop.run();
        }
        catch (final CommandFailedException ex)
        {
            return failed(ex.exitCode() == ExitCodes.TIMEOUT ? "timeout" : ex.exitCode() == ExitCodes.PEER_GONE ?
                "peer-gone" : "failed", ex);
        }
        catch (final InterruptibleOutput.Abandoned ex)
        {
            return interrupted(); // the signal ended a write blocked on a reader that stopped reading
        }
        catch (final RegionTimeoutException ex)
        {
            return new Stop("timeout", ExitCodes.TIMEOUT, ex);
        }
        catch (final ShmIpcException ex)
        {
            return new Stop("failed", ExitCodes.FAILURE, ex);
        }
    }

    /**
     * The word for the {@code done:} line.
     *
     * @return the reason.
     */
    public String name()
    {
        return name;
    }

    /**
     * Whether the command did what it was asked.
     *
     * @return true for exit 0.
     */
    public boolean isDone()
    {
        return exitCode == ExitCodes.OK;
    }

    /**
     * The exit code, after the {@code done:} line.
     *
     * @return the code.
     * @throws RuntimeException for a failure, the one the loop threw: its line is printed and the command exits with
     *                          its code.
     */
    public int exit()
    {
        if (failure != null)
        {
            throw failure;
        }
        return exitCode;
    }

    @Override
    public String toString()
    {
        return name;
    }

    /**
     * A command's loop.
     */
    @FunctionalInterface
    public interface Loop
    {
        /**
         * Run.
         *
         * @return how it stopped.
         */
        Stop run();
    }
}
