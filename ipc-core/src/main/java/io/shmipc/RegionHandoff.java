package io.shmipc;

import io.shmipc.handoff.HandoffGrant;
import io.shmipc.handoff.HandoffProtocol;

/**
 * Leave for one process to attach an anonymous region ({@link Region#handOff(ProcessBuilder)}): the environment
 * variable the process is started with, and, once it is started, which process it is. The region's holder serves
 * the region's descriptor over an abstract Unix-domain socket only to that process (the kernel names the peer of
 * each connection), and only once, against a one-time secret carried in the variable.
 */
public final class RegionHandoff
{
    private final HandoffGrant grant;

    RegionHandoff(final HandoffGrant grant)
    {
        this.grant = grant;
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
        grant.started(process.pid());
    }
}
