package io.shmipc;

import java.util.UUID;

/**
 * One occupied endpoint slot of a channel, read by {@link RegionInspector}.
 *
 * @param slot          slot index in the channel's endpoint table.
 * @param role          {@code publisher} or {@code subscriber}.
 * @param endpointId    the endpoint's random id.
 * @param pid           its pid in its own PID namespace (for display).
 * @param startTime     its process start time in clock ticks since boot.
 * @param bootId        the boot id of its host.
 * @param alive         whether its OFD lock is held now: the truth about liveness.
 * @param heartbeatMs   last heartbeat, ms since the epoch (information only).
 * @param attachTimeMs  when it attached, ms since the epoch.
 * @param claimInProgress whether it is in the middle of writing a record.
 * @param blocking      whether it is counted as a subscriber that may block (its wait state).
 * @param sleeping      whether it is counted as asleep on the channel's wake-up word (its wait state).
 * @param receiverPosition for a broadcast subscriber, the broadcast sequence of the next message it expects: it
 *                      has received or lost every message before; -1 when not reported (any other endpoint, or a
 *                      receiver of an older library).
 * @param receiverLost  for a broadcast subscriber, the messages lapping made it lose; -1 when not reported.
 * @param subscription  a {@link ChannelKind#PUBLISH_SUBSCRIBE} subscriber's position, lag and flow control; null for
 *                      every other endpoint.
 */
public record EndpointStatus(
    int slot,
    String role,
    long endpointId,
    int pid,
    long startTime,
    UUID bootId,
    boolean alive,
    long heartbeatMs,
    long attachTimeMs,
    boolean claimInProgress,
    boolean blocking,
    boolean sleeping,
    long receiverPosition,
    long receiverLost,
    SubscriptionStatus subscription)
{
}
