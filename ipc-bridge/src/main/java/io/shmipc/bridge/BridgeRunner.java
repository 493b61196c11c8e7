package io.shmipc.bridge;

import io.shmipc.exceptions.ShmIpcException;
import org.agrona.ErrorHandler;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.AgentRunner;
import org.agrona.concurrent.AgentTerminationException;
import org.agrona.concurrent.IdleStrategy;

/**
 * A {@link Bridge} on a thread of its own. {@link #close()} stops the thread and closes the bridge.
 */
public final class BridgeRunner implements AutoCloseable
{
    private final Bridge bridge;
    private final AgentRunner runner;

    private BridgeRunner(final Bridge bridge, final AgentRunner runner)
    {
        this.bridge = bridge;
        this.runner = runner;
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
        final Bridge bridge = Bridge.open(config);
        final AgentRunner runner = new AgentRunner(idleStrategy, error -> errorHandler.onError(
            error instanceof AgentTerminationException && error.getCause() instanceof ShmIpcException failure ?
            failure : error), null, new Stopping(bridge));
        AgentRunner.startOnThread(runner);
        return new BridgeRunner(bridge, runner);
    }

    /**
     * The bridge as the runner's agent, ending the runner on an error the bridge cannot go on after.
     */
    private record Stopping(Bridge bridge) implements Agent
    {
        @Override
        public int doWork()
        {
            try
            {
                return bridge.doWork();
            }
            catch (final ShmIpcException ex)
            {
                throw new AgentTerminationException(ex);
            }
        }

        @Override
        public void onClose()
        {
            bridge.onClose();
        }

        @Override
        public String roleName()
        {
            return bridge.roleName();
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
     * @return the thread, or {@code null} before it started.
     */
    public Thread thread()
    {
        return runner.thread();
    }

    /**
     * Whether the thread has stopped and closed the bridge: after {@link #close()}, or after an error the bridge
     * cannot go on after (see {@link #start(BridgeConfig, ErrorHandler)}).
     *
     * @return true once closed.
     */
    public boolean isClosed()
    {
        return runner.isClosed();
    }

    @Override
    public void close()
    {
        runner.close();
    }
}
