package io.shmipc;

/**
 * Whether anyone still uses a region, as the kernel's locks tell it.
 */
public enum RegionLiveness
{
    /** At least one live process has the region open. */
    LIVE,
    /** A live creator is still writing the layout. */
    INITIALISING,
    /** Its creator and every process that had it open are dead: it may be deleted or replaced. */
    STALE
}
