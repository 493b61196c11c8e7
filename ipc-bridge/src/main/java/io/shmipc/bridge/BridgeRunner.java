package io.shmipc.bridge;

import org.agrona.ErrorHandler;
import org.agrona.concurrent.AgentRunner;
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
     * @param errorHandler told of any error of the duty cycle (the bridge keeps running; see {@link #bridge()}).
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
     * @param errorHandler told of any error of the duty cycle.
     * @return the running bridge.
     */
    public static BridgeRunner start(
        final BridgeConfig config, final IdleStrategy idleStrategy, final ErrorHandler errorHandler)
    {
        final Bridge bridge = Bridge.open(config);
        final AgentRunner runner = new AgentRunner(idleStrategy, errorHandler, null, bridge);
        AgentRunner.startOnThread(runner);
        return new BridgeRunner(bridge, runner);
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
     * Whether the thread has stopped (after {@link #close()}).
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
