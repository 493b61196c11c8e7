package io.shmipc.examples.support;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Ctrl-C (SIGINT) or SIGTERM, turned into a flag the command's loop checks, so the loop ends on its own and the
 * command closes its region (unlinking it when it owns it) before the JVM exits. The shutdown hook waits, a few
 * seconds at most, for {@link #close()}: declare the signal first in the try-with-resources so it closes last.
 */
public final class ShutdownSignal implements AutoCloseable
{
    private static final long CLOSE_WAIT_SECONDS = 5;

    private final CountDownLatch closed = new CountDownLatch(1);
    private final Thread hook;
    private volatile boolean requested;

    private ShutdownSignal()
    {
        hook = new Thread(this::onShutdown, "shm-ipc-shutdown");
    }

    /**
     * Register the shutdown hook.
     *
     * @return the signal, to close when the command is done.
     */
    public static ShutdownSignal install()
    {
        final ShutdownSignal signal = new ShutdownSignal();
        Runtime.getRuntime().addShutdownHook(signal.hook);
        return signal;
    }

    /**
     * Whether the process was asked to stop.
     *
     * @return true after Ctrl-C or SIGTERM.
     */
    public boolean isRequested()
    {
        return requested;
    }

    /**
     * The command has cleaned up: let the JVM exit, and remove the hook when it is not running.
     */
    @Override
    public void close()
    {
        closed.countDown();
        try
        {
            Runtime.getRuntime().removeShutdownHook(hook);
        }
        catch (final IllegalStateException ex)
        {
            // The JVM is already shutting down: the hook is running and has just been released.
        }
    }

    private void onShutdown()
    {
        requested = true;
        try
        {
            closed.await(CLOSE_WAIT_SECONDS, TimeUnit.SECONDS);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
    }
}
