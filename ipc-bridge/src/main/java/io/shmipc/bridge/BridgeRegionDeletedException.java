package io.shmipc.bridge;

/**
 * The bridge's region was deleted (unlinked) while the bridge used it: what it would publish into it from then on
 * reaches no process that can attach, and what it would take from it comes from no publisher that can, so the bridge
 * stops. Start it again once the region exists.
 */
public final class BridgeRegionDeletedException extends BridgeException
{
    private static final long serialVersionUID = 1L;

    BridgeRegionDeletedException(final String region)
    {
        super(region, "region " + region + " was deleted while the bridge used it: no process can attach to it any " +
            "more, so the bridge stops (start it again once the region exists)");
    }
}
