package io.shmipc.bridge;

import io.shmipc.exceptions.ShmIpcException;
import org.agrona.ErrorHandler;
import org.agrona.concurrent.IdleStrategy;

/**
 * A {@link Bridge} on a thread of its own. {@link #close()} stops the thread and closes the bridge.
 * <p>
 * The thread runs its own loop rather than an Agrona {@code AgentRunner}: HotSpot may report a fault on memory the
 * bridge maps (a truncated replay log or counters file) as an {@link InternalError} not where it happened but
 * anywhere later on the thread, its idle strategy and the loop's own condition included. Raised at a safepoint poll
 * of compiled code (the loop's back edge, say), such an error leaves the compiled method without running its
 * {@code catch} or {@code finally} blocks. So it is taken where nothing can skip it, by the thread's uncaught
 * exception handler, which turns it into the bridge's typed failure and closes the bridge, where an
 * {@code AgentRunner} would end the thread with the bridge still open.
 */
public final class BridgeRunner implements AutoCloseable
{
    private final Bridge bridge;
    private final IdleStrategy idleStrategy;
    private final ErrorHandler errorHandler;
    private final Thread thread;
    private volatile boolean running = true;
    private volatile boolean closed;
    /** The failure that stopped the loop, told to the error handler already. */
    private ShmIpcException stoppedBy;

    private BridgeRunner(final Bridge bridge, final IdleStrategy idleStrategy, final ErrorHandler errorHandler)
    {
        this.bridge = bridge;
        this.idleStrategy = idleStrategy;
        this.errorHandler = errorHandler;
        this.thread = new Thread(this::run, bridge.roleName());
        thread.setUncaughtExceptionHandler(this::ended);
    }

    /**
     * Open a bridge and start its thread, idling as the configuration says ({@link BridgeConfig#newIdleStrategy()}).
     *
     * @param config       the configuration.
     * @param errorHandler told of errors of the duty cycle. A {@link io.shmipc.exceptions.ShmIpcException} (the Aeron
     *                     client failed, e.g. an external driver stopped; the region or a bridge file failed) stops
     *                     the thread and closes the bridge after the handler was told ({@link #isClosed()} turns
     *                     true); after any other error the bridge keeps running.
     * @return the running bridge.
     */
    public static BridgeRunner start(final BridgeConfig config, final ErrorHandler errorHandler)
    {
        return start(config, config.newIdleStrategy(), errorHandler);
    }

    /**
     * Open a bridge and start its thread.
     *
     * @param config       the configuration.
     * @param idleStrategy how the thread waits when there is no work.
     * @param errorHandler told of errors of the duty cycle, as for {@link #start(BridgeConfig, ErrorHandler)}.
     * @return the running bridge.
     */
    public static BridgeRunner start(
        final BridgeConfig config, final IdleStrategy idleStrategy, final ErrorHandler errorHandler)
    {
        final BridgeRunner runner = new BridgeRunner(Bridge.open(config), idleStrategy, errorHandler);
        runner.thread.start();
        return runner;
    }

    private void run()
    {
        while (running)
        {
            try
            {
                idleStrategy.idle(bridge.doWork());
            }
            catch (final ShmIpcException ex)
            {
                stoppedBy = ex;
                errorHandler.onError(ex);
                break;
            }
            catch (final RuntimeException ex)
            {
                errorHandler.onError(ex);
            }
        }
        closeBridge();
    }

    /**
     * The thread's uncaught exception handler: an error ended the loop, or the close after it. A fault on a file the
     * bridge maps (an {@link InternalError} HotSpot raised after the duty cycle that met it had returned) becomes the
     * bridge's typed failure, told to the error handler unless the loop told it already; any other error is told as
     * it is. Then the bridge closes.
     */
    private void ended(final Thread thread, final Throwable error)
    {
        try
        {
            final Throwable failure = error instanceof InternalError ? bridge.fault((InternalError)error) : error;
            if (failure != stoppedBy)
            {
                errorHandler.onError(failure);
            }
        }
        finally
        {
            closeBridge();
        }
    }

    private void closeBridge()
    {
        try
        {
            bridge.close();
        }
        finally
        {
            closed = true;
        }
    }

    /**
     * The bridge.
     *
     * @return the bridge.
     */
    public Bridge bridge()
    {
        return bridge;
    }

    /**
     * The bridge's thread.
     *
     * @return the thread.
     */
    public Thread thread()
    {
        return thread;
    }

    /**
     * Whether the thread has stopped and closed the bridge: after {@link #close()}, or after an error the bridge
     * cannot go on after (see {@link #start(BridgeConfig, ErrorHandler)}).
     *
     * @return true once closed.
     */
    public boolean isClosed()
    {
        return closed;
    }

    /**
     * Stop the thread and wait until it has closed the bridge. Idempotent; an interrupt during the wait is kept for
     * the caller.
     */
    @Override
    public void close()
    {
        running = false;
        if (thread == Thread.currentThread())
        {
            return; // the bridge's own thread (its error handler): it closes the bridge as it leaves the loop
        }
        boolean interrupted = false;
        while (thread.isAlive())
        {
            try
            {
                thread.join();
            }
            catch (final InterruptedException ex)
            {
                interrupted = true;
            }
        }
        if (interrupted)
        {
            Thread.currentThread().interrupt();
        }
    }
}
