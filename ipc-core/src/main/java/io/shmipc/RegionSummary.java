package io.shmipc;

/**
 * One region found by {@link Regions#list(java.nio.file.Path)} or described by {@link Regions#summarize}.
 *
 * @param location     where it lives.
 * @param size         file size in bytes.
 * @param state        header state (0 new, 1 initialising, 2 ready).
 * @param channelCount channels in its directory now, or -1 when it is not READY (or its directory is invalid).
 * @param ownerUid     the file owner's user id.
 * @param permissions  the file's permission bits.
 * @param liveness     live, initialising or stale.
 */
public record RegionSummary(
    RegionLocation location, long size, int state, int channelCount, int ownerUid, int permissions,
    RegionLiveness liveness)
{
}
