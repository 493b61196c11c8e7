package io.shmipc.bridge;

import io.aeron.Aeron;
import io.aeron.AvailableImageHandler;
import io.aeron.Publication;
import io.aeron.Subscription;
import io.aeron.UnavailableImageHandler;
import io.aeron.driver.MediaDriver;
import io.aeron.driver.ThreadingMode;
import org.agrona.CloseHelper;
import org.agrona.concurrent.AgentInvoker;

import java.nio.file.Path;

/**
 * The bridge's Aeron: a client whose conductor runs on the bridge's own thread (no extra thread), connected to an
 * embedded media driver whose directory is deleted at start and on close, or to an external driver. An embedded
 * driver in {@link ThreadingMode#INVOKER} mode runs on the bridge's thread too; in the other modes its threads idle
 * as the configuration says ({@link BridgeConfig#newIdleStrategy()}), as the bridge's thread does.
 */
final class BridgeTransport implements AutoCloseable
{
    private final BridgeConfig config;
    private final MediaDriver driver;
    private final Aeron aeron;
    private final AgentInvoker conductor;
    private final AgentInvoker driverInvoker;
    private boolean offered;

    private BridgeTransport(final BridgeConfig config, final MediaDriver driver, final Aeron aeron)
    {
        this.config = config;
        this.driver = driver;
        this.aeron = aeron;
        this.conductor = aeron.conductorAgentInvoker();
        this.driverInvoker = driver == null ? null : driver.sharedAgentInvoker();
    }

    static BridgeTransport start(final BridgeConfig config)
    {
        MediaDriver driver = null;
        final String directory;
        if (config.aeronDirectory() == null)
        {
            final Path embedded = config.homeDirectory().resolve("driver");
            final MediaDriver.Context context = new MediaDriver.Context()
                .aeronDirectoryName(embedded.toString())
                .dirDeleteOnStart(true)
                .dirDeleteOnShutdown(true)
                .threadingMode(config.driverThreading())
                .sharedIdleStrategy(config.newIdleStrategy())
                .sharedNetworkIdleStrategy(config.newIdleStrategy())
                .conductorIdleStrategy(config.newIdleStrategy())
                .senderIdleStrategy(config.newIdleStrategy())
                .receiverIdleStrategy(config.newIdleStrategy())
                .mtuLength(config.mtu())
                .publicationTermBufferLength(config.termLength());
            driver = MediaDriver.launch(context);
            directory = driver.aeronDirectoryName();
        }
        else
        {
            directory = config.aeronDirectory();
        }
        try
        {
            final Aeron aeron = Aeron.connect(new Aeron.Context()
                .aeronDirectoryName(directory)
                .driverAgentInvoker(driver == null ? null : driver.sharedAgentInvoker())
                .useConductorAgentInvoker(true));
            return new BridgeTransport(config, driver, aeron);
        }
        catch (final RuntimeException ex)
        {
            CloseHelper.quietClose(driver);
            throw new BridgeException(config.region().toString(), "cannot connect to the media driver: aeronDir=" +
                directory + ": " + ex.getMessage(), ex);
        }
    }

    Publication dataPublication(final int streamId)
    {
        return aeron.addExclusivePublication(Endpoints.publicationChannel(config, config.termLength()), streamId);
    }

    Publication controlPublication(final int streamId)
    {
        return aeron.addExclusivePublication(
            Endpoints.publicationChannel(config, Endpoints.CONTROL_TERM_LENGTH), streamId);
    }

    Subscription subscription(final int streamId)
    {
        return aeron.addSubscription(Endpoints.subscriptionChannel(config), streamId);
    }

    Subscription subscription(
        final int streamId, final AvailableImageHandler available, final UnavailableImageHandler unavailable)
    {
        return aeron.addSubscription(Endpoints.subscriptionChannel(config), streamId, available, unavailable);
    }

    /**
     * Run the client conductor's duty cycle (keep-alives, image changes) on the calling thread.
     *
     * @return work done.
     */
    int invoke()
    {
        return invokeDriver() + conductor.invoke();
    }

    /**
     * Run an embedded {@link ThreadingMode#INVOKER} driver's duty cycle on the calling thread; nothing for a driver
     * with threads of its own.
     *
     * @return work done.
     */
    int invokeDriver()
    {
        offered = false;
        return driverInvoker == null ? 0 : driverInvoker.invoke();
    }

    /**
     * A route put a frame into one of its publications: {@link #sendOffered()} sends it now.
     */
    void offered()
    {
        offered = true;
    }

    /**
     * Run an embedded {@link ThreadingMode#INVOKER} driver's duty cycle if a route offered a frame since the last
     * one, so it goes on the wire in the duty cycle it was offered in, not the next; a cycle that only published
     * into the region does not pay for a driver cycle before it looks at the region again.
     *
     * @return work done.
     */
    int sendOffered()
    {
        return offered ? invokeDriver() : 0;
    }

    /**
     * The directory of the driver in use, where Aeron's own tools find its counters.
     *
     * @return the directory.
     */
    String aeronDirectory()
    {
        return aeron.context().aeronDirectoryName();
    }

    @Override
    public void close()
    {
        CloseHelper.closeAll(aeron, driver);
    }
}
