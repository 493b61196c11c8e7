package io.shmipc;

import io.shmipc.exceptions.InvalidConfigurationException;
import io.shmipc.exceptions.RegionClosedException;
import io.shmipc.handoff.HandoffGrant;
import io.shmipc.handoff.HandoffProtocol;

import java.io.IOException;
import java.time.Duration;
import java.util.Objects;

/**
 * Leave for one process to attach an anonymous region ({@link #of(Region, ProcessBuilder)}): the environment
 * variable the process is started with, and, once it is started, which process it is. The region's holder serves
 * the region's descriptor over an abstract Unix-domain socket only to that process (the kernel names the peer of
 * each connection), and only once, against a one-time secret carried in the variable.
 * <pre>{@code
 * try (Region region = Region.create(RegionConfig.builder(RegionLocation.anonymous("quotes")).build()))
 * {
 *     Process consumer = RegionHandoff.start(region, new ProcessBuilder("java", "-jar", "consumer.jar"));
 * }
 * }</pre>
 */
public final class RegionHandoff
{
    private final HandoffGrant grant;

    RegionHandoff(final HandoffGrant grant)
    {
        this.grant = grant;
    }

    /**
     * Let one process, which the caller is about to start with {@code builder}, attach an anonymous region: the
     * builder's environment gets the hand-off variable ({@code SHMIPC_REGION_<label>}), and the process started
     * calls {@link Region#attach(RegionLocation, Duration)} with {@link RegionLocation#anonymous(String)} and the same
     * label. Name the process once started ({@link #started}); only that process may take it, once. A process that
     * attached a region handed to it may hand it on to processes it starts in the same way.
     *
     * @param region  the anonymous region.
     * @param builder the builder of the process to start.
     * @return the hand-off, to be told which process was started.
     * @throws InvalidConfigurationException for a named region, which processes open by name.
     * @throws RegionClosedException         after {@link Region#close()}.
     */
    public static RegionHandoff of(final Region region, final ProcessBuilder builder)
    {
        Objects.requireNonNull(builder, "builder");
        final RegionHandoff handoff = of(region);
        builder.environment().put(handoff.environmentVariable(), handoff.environmentValue());
        return handoff;
    }

    /**
     * Let one process that the caller starts some other way attach an anonymous region: start it with
     * {@link #environmentVariable()} set to {@link #environmentValue()}, then name it with {@link #started}.
     *
     * @param region the anonymous region.
     * @return the hand-off.
     * @throws InvalidConfigurationException for a named region, which processes open by name.
     * @throws RegionClosedException         after {@link Region#close()}.
     */
    public static RegionHandoff of(final Region region)
    {
        Objects.requireNonNull(region, "region");
        region.openEndpoints().ensureOpen();
        return new RegionHandoff(region.mapped().grantHandoff());
    }

    /**
     * Start a process that may attach an anonymous region: {@link #of(Region, ProcessBuilder)}, then
     * {@code builder.start()}, then {@link #started} with the process.
     *
     * @param region  the anonymous region.
     * @param builder the process to start.
     * @return the process.
     * @throws IOException as {@link ProcessBuilder#start()}.
     */
    public static Process start(final Region region, final ProcessBuilder builder) throws IOException
    {
        Objects.requireNonNull(builder, "builder"); // before a grant is issued
        final RegionHandoff handoff = of(region, builder);
        final Process process = builder.start();
        handoff.started(process.toHandle());
        return process;
    }

    /**
     * Whether an anonymous region of this label was handed to this process: its hand-off variable is set.
     *
     * @param location an anonymous location.
     * @return true when {@code SHMIPC_REGION_<label>} is in this process's environment.
     */
    public static boolean isHandedTo(final RegionLocation location)
    {
        return location.isAnonymous() &&
            System.getenv(HandoffProtocol.environmentVariable(location.anonymousLabel())) != null;
    }

    /**
     * The environment variable to start the process with.
     *
     * @return {@code SHMIPC_REGION_<label>}.
     */
    public String environmentVariable()
    {
        return grant.environmentVariable();
    }

    /**
     * The variable's value: the holder's socket address and the one-time secret.
     *
     * @return {@code <socket name> <secret>}.
     */
    public String environmentValue()
    {
        return grant.environmentValue();
    }

    /**
     * Name the process started with the variable: only it may attach with this hand-off. A process that asks
     * before this is called waits for it (up to 10 seconds).
     *
     * @param process the started process.
     */
    public void started(final ProcessHandle process)
    {
        Objects.requireNonNull(process, "process");
        grant.started(process.pid());
    }
}
