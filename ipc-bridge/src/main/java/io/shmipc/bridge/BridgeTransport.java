package io.shmipc.bridge;

import io.aeron.Aeron;
import io.aeron.AvailableImageHandler;
import io.aeron.Publication;
import io.aeron.Subscription;
import io.aeron.UnavailableImageHandler;
import io.aeron.driver.MediaDriver;
import io.aeron.driver.ThreadingMode;
import io.aeron.driver.status.SenderPos;
import io.shmipc.exceptions.ShmIpcException;
import org.agrona.CloseHelper;
import org.agrona.ErrorHandler;
import org.agrona.concurrent.AgentInvoker;
import org.agrona.concurrent.status.CountersReader;

import java.nio.file.Path;

/**
 * The bridge's Aeron: a client whose conductor runs on the bridge's own thread (no extra thread), connected to an
 * embedded media driver whose directory is deleted at start and on close, or to an external driver. An embedded
 * driver in {@link ThreadingMode#INVOKER} mode runs on the bridge's thread too; in the other modes its threads idle
 * as the configuration says ({@link BridgeConfig#newDriverIdleStrategy()}).
 * <p>
 * Any error the client reports (the driver gone or shut down, the client timed out by it, an endpoint failed) fails
 * the transport for good: {@link #invoke()} throws it as a {@link BridgeException} from then on. Aeron's default
 * handler would end the whole JVM on a lost driver, the application's with it.
 */
final class BridgeTransport implements AutoCloseable
{
    private final BridgeConfig config;
    private final MediaDriver driver;
    private final Aeron aeron;
    private final ClientErrors errors;
    private final AgentInvoker conductor;
    private final AgentInvoker driverInvoker;
    private BridgeException failure;
    private boolean offered;

    private BridgeTransport(final BridgeConfig config, final MediaDriver driver, final Aeron aeron,
        final ClientErrors errors)
    {
        this.config = config;
        this.driver = driver;
        this.aeron = aeron;
        this.errors = errors;
        this.conductor = aeron.conductorAgentInvoker();
        this.driverInvoker = driver == null ? null : driver.sharedAgentInvoker();
    }

    /**
     * The client's errors, kept until the bridge's thread looks at them: the conductor runs on that thread, so the
     * handler is called there too (or, while connecting, on the thread that opens the bridge).
     */
    private static final class ClientErrors implements ErrorHandler
    {
        private Throwable first;

        @Override
        public void onError(final Throwable error)
        {
            if (first == null)
            {
                first = error;
            }
        }
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
                .sharedIdleStrategy(config.newDriverIdleStrategy())
                .sharedNetworkIdleStrategy(config.newDriverIdleStrategy())
                .conductorIdleStrategy(config.newDriverIdleStrategy())
                .senderIdleStrategy(config.newDriverIdleStrategy())
                .receiverIdleStrategy(config.newDriverIdleStrategy())
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
            final ClientErrors errors = new ClientErrors();
            final Aeron aeron = Aeron.connect(new Aeron.Context()
                .aeronDirectoryName(directory)
                .driverAgentInvoker(driver == null ? null : driver.sharedAgentInvoker())
                .useConductorAgentInvoker(true)
                .errorHandler(errors));
            return new BridgeTransport(config, driver, aeron, errors);
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
     * Whether the driver has sent everything offered to a network publication so far (its sender position, a counter
     * of the driver, has reached the publication's position).
     *
     * @param publication a publication of this transport.
     * @return true once sent, or when the driver shows no sender position for it.
     */
    boolean hasSentAll(final Publication publication)
    {
        final CountersReader counters = aeron.countersReader();
        final int id = counters.findByTypeIdAndRegistrationId(
            SenderPos.SENDER_POSITION_TYPE_ID, publication.registrationId());
        return id == CountersReader.NULL_COUNTER_ID || counters.getCounterValue(id) >= publication.position();
    }

    /**
     * Run the client conductor's duty cycle (keep-alives, image changes) on the calling thread.
     *
     * @return work done.
     * @throws BridgeException once the client reported an error, on this call and every later one.
     */
    int invoke()
    {
        if (failure != null)
        {
            throw failure;
        }
        final int work = invokeDriver() + conductor.invoke();
        if (errors.first != null)
        {
            // A route's own refusal reaches the client's error handler when it fails inside Aeron's callbacks.
            // So does a failure of the region the route publishes into (a ShmIpcException, typed, naming it).
            final String what = errors.first instanceof ShmIpcException ? "" : "the Aeron client failed: aeronDir=" +
                aeronDirectory() + (driver == null ? " (external driver)" : " (embedded driver)") + ": ";
            failure = new BridgeException(config.region().toString(), what + errors.first.getMessage() +
                "; the bridge stopped: start it again (once the driver runs, for an external one), and what the " +
                "peer had not acknowledged is sent again from the replay logs", errors.first);
            throw failure;
        }
        return work;
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
