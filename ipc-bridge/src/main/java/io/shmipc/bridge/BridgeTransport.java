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
 * An embedded driver comes with a second one, the control driver, in {@code INVOKER} mode on the bridge's thread, for
 * the control streams (acknowledgements, a broadcast route's sync requests), which carry a datagram now and then.
 * A driver polls each endpoint it receives on once per duty cycle, and the sender each endpoint it sends on
 * whenever a cycle sent nothing: a system call each. On the driver that carries the data, whose sender puts one
 * datagram per publication on the wire per cycle, the control streams' endpoints would cost a system call per
 * datagram. The control driver's duty cycle runs every {@link #CONTROL_DRIVER_INTERVAL_NS} (a tenth of the default
 * acknowledgement interval) while it finds nothing to do, on every call of {@link #invoke(long)} while it does, and
 * right after a control message is offered. It takes the control publications always, and the control
 * subscriptions when the bridge only sends: a bridge that receives has the data driver bound to its listening
 * endpoint, and takes its control messages there too.
 * <p>
 * Any error the client reports (the driver gone or shut down, the client timed out by it, an endpoint failed) fails
 * the transport for good: {@link #invoke(long)} throws it as a {@link BridgeException} from then on. Aeron's default
 * handler would end the whole JVM on a lost driver, the application's with it.
 */
final class BridgeTransport implements AutoCloseable
{
    /** How often the duty cycle of an idle control driver runs on the bridge's thread. */
    static final long CONTROL_DRIVER_INTERVAL_NS = 100_000;

    private final BridgeConfig config;
    private final MediaDriver driver;
    private final Aeron aeron;
    private final ClientErrors errors;
    private final AgentInvoker conductor;
    private final AgentInvoker driverInvoker;
    private final MediaDriver controlDriver;
    private final Aeron controlAeron;
    private final AgentInvoker controlConductor;
    private final AgentInvoker controlDriverInvoker;
    private final boolean controlSubscriptions;
    private long nextControlCycleNs;
    private BridgeException failure;
    private boolean offered;
    private boolean controlOffered;

    private BridgeTransport(final BridgeConfig config, final MediaDriver driver, final Aeron aeron,
        final MediaDriver controlDriver, final Aeron controlAeron, final ClientErrors errors)
    {
        this.config = config;
        this.driver = driver;
        this.aeron = aeron;
        this.errors = errors;
        this.conductor = aeron.conductorAgentInvoker();
        this.driverInvoker = driver == null ? null : driver.sharedAgentInvoker();
        this.controlDriver = controlDriver;
        this.controlAeron = controlAeron == null ? aeron : controlAeron;
        this.controlConductor = controlAeron == null ? null : controlAeron.conductorAgentInvoker();
        this.controlDriverInvoker = controlDriver == null ? null : controlDriver.sharedAgentInvoker();
        this.controlSubscriptions = controlAeron != null && config.routes().stream().allMatch(BridgeRoute::outbound);
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
        if (config.aeronDirectory() != null)
        {
            final ClientErrors errors = new ClientErrors();
            return new BridgeTransport(config, null, connect(config, config.aeronDirectory(), null, errors), null,
                null, errors);
        }
        MediaDriver driver = null;
        MediaDriver controlDriver = null;
        Aeron aeron = null;
        try
        {
            final ClientErrors errors = new ClientErrors();
            driver = launch(config, "driver", config.driverThreading());
            aeron = connect(config, driver.aeronDirectoryName(), driver, errors);
            controlDriver = launch(config, "driver-control", ThreadingMode.INVOKER);
            final Aeron controlAeron = connect(config, controlDriver.aeronDirectoryName(), controlDriver, errors);
            return new BridgeTransport(config, driver, aeron, controlDriver, controlAeron, errors);
        }
        catch (final RuntimeException ex)
        {
            CloseHelper.quietCloseAll(aeron, driver, controlDriver);
            throw ex;
        }
    }

    private static MediaDriver launch(final BridgeConfig config, final String name, final ThreadingMode threading)
    {
        final Path embedded = config.homeDirectory().resolve(name);
        return MediaDriver.launch(new MediaDriver.Context()
            .aeronDirectoryName(embedded.toString())
            .dirDeleteOnStart(true)
            .dirDeleteOnShutdown(true)
            .threadingMode(threading)
            .sharedIdleStrategy(config.newDriverIdleStrategy())
            .sharedNetworkIdleStrategy(config.newDriverIdleStrategy())
            .conductorIdleStrategy(config.newDriverIdleStrategy())
            .senderIdleStrategy(config.newDriverIdleStrategy())
            .receiverIdleStrategy(config.newDriverIdleStrategy())
            .mtuLength(config.mtu())
            .publicationTermBufferLength(config.termLength()));
    }

    private static Aeron connect(final BridgeConfig config, final String directory, final MediaDriver driver,
        final ClientErrors errors)
    {
        try
        {
            return Aeron.connect(new Aeron.Context()
                .aeronDirectoryName(directory)
                .driverAgentInvoker(driver == null ? null : driver.sharedAgentInvoker())
                .useConductorAgentInvoker(true)
                .errorHandler(errors));
        }
        catch (final RuntimeException ex)
        {
            throw new BridgeException(config.region().toString(), "cannot connect to the media driver: aeronDir=" +
                directory + ": " + ex.getMessage(), ex);
        }
    }

    Publication dataPublication(final int streamId)
    {
        return aeron.addExclusivePublication(Endpoints.publicationChannel(config, config.termLength()), streamId);
    }

    /**
     * A receiving route's publication of its control messages: on the control driver when there is one.
     *
     * @param streamId the control stream.
     * @return the publication.
     */
    Publication controlPublication(final int streamId)
    {
        return controlAeron.addExclusivePublication(
            Endpoints.publicationChannel(config, Endpoints.CONTROL_TERM_LENGTH), streamId);
    }

    /**
     * A sending route's subscription to its control messages: on the control driver when the bridge only sends.
     *
     * @param streamId the control stream.
     * @return the subscription.
     */
    Subscription controlSubscription(final int streamId)
    {
        return (controlSubscriptions ? controlAeron : aeron).addSubscription(Endpoints.subscriptionChannel(config),
            streamId);
    }

    Subscription subscription(
        final int streamId, final AvailableImageHandler available, final UnavailableImageHandler unavailable)
    {
        return aeron.addSubscription(Endpoints.subscriptionChannel(config), streamId, available, unavailable);
    }

    /**
     * Whether the driver has sent everything offered to a control publication so far (its sender position, a counter
     * of the driver, has reached the publication's position).
     *
     * @param publication a publication of {@link #controlPublication(int)}.
     * @return true once sent, or when the driver shows no sender position for it.
     */
    boolean hasSentAll(final Publication publication)
    {
        final CountersReader counters = controlAeron.countersReader();
        final int id = counters.findByTypeIdAndRegistrationId(
            SenderPos.SENDER_POSITION_TYPE_ID, publication.registrationId());
        return id == CountersReader.NULL_COUNTER_ID || counters.getCounterValue(id) >= publication.position();
    }

    /**
     * Run the client conductor's duty cycle (keep-alives, image changes) on the calling thread, and the control
     * driver's when it is due.
     *
     * @param nowNs {@link System#nanoTime()} of the bridge's duty cycle.
     * @return work done.
     * @throws BridgeException once the client reported an error, on this call and every later one.
     */
    int invoke(final long nowNs)
    {
        if (failure != null)
        {
            throw failure;
        }
        int work = invokeDriver() + conductor.invoke();
        if (controlDriver != null && nowNs - nextControlCycleNs >= 0)
        {
            work += invokeControlDriver(nowNs);
        }
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
     * A route put a frame into one of its data publications: {@link #sendOffered(long)} sends it now.
     */
    void offered()
    {
        offered = true;
    }

    /**
     * A route put a frame into its control publication: {@link #sendOffered(long)} sends it now.
     */
    void controlOffered()
    {
        controlOffered = true;
    }

    /**
     * Run an embedded {@link ThreadingMode#INVOKER} driver's duty cycle if a route offered a frame since the last
     * one, so it goes on the wire in the duty cycle it was offered in, not the next; a cycle that only published
     * into the region does not pay for a driver cycle before it looks at the region again. The same for the control
     * driver and a control frame.
     *
     * @param nowNs {@link System#nanoTime()} of the bridge's duty cycle.
     * @return work done.
     */
    int sendOffered(final long nowNs)
    {
        int work = offered ? invokeDriver() : 0;
        if (controlOffered)
        {
            controlOffered = false;
            work += controlDriver == null ? 0 : invokeControlDriver(nowNs);
        }
        return work;
    }

    /**
     * One duty cycle of the control driver and its client's conductor. A cycle that did something (took a datagram,
     * sent one, answered the peer) is followed by another on the next call: a driver takes one datagram per
     * endpoint per cycle, so a busy control stream gets one per call of {@link #invoke(long)}.
     */
    private int invokeControlDriver(final long nowNs)
    {
        final int work = controlDriverInvoker.invoke() + controlConductor.invoke();
        nextControlCycleNs = work > 0 ? nowNs : nowNs + CONTROL_DRIVER_INTERVAL_NS;
        return work;
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
        CloseHelper.closeAll(controlAeron == aeron ? null : controlAeron, controlDriver, aeron, driver);
    }
}
