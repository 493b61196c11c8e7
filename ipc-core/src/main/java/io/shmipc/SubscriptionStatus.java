package io.shmipc;

/**
 * A {@link ChannelKind#PUBLISH_SUBSCRIBE} subscriber's subscription, read by {@link RegionInspector} from its endpoint
 * slot and the channel's log.
 *
 * @param state             {@code tethered}, {@code untethered}, {@code demoted}, {@code joining} or {@code left}.
 * @param position          its position: where it reads next (a tethered subscriber's stored once per poll).
 * @param lagBytes          bytes between its position and the publisher's tail.
 * @param lagMessages       messages between its position and the publisher's next sequence, or -1 when the log no
 *                          longer holds its position (an untethered subscriber that will skip).
 * @param skippedMessages   messages it skipped (untethered or demoted).
 * @param deliveredMessages messages it delivered to its application (stored at its housekeeping rounds, at most
 *                          every 10 ms while it polls, and when it closes).
 * @param lagWindow         its lag window in bytes (untethered), 0 when tethered.
 * @param demoteAfterMs     how long it may hold the publisher back unmoved before it is demoted, 0 for never.
 */
public record SubscriptionStatus(
    String state,
    long position,
    long lagBytes,
    long lagMessages,
    long skippedMessages,
    long deliveredMessages,
    int lagWindow,
    int demoteAfterMs)
{
    /**
     * Whether it holds the publisher back.
     *
     * @return true when tethered or joining.
     */
    public boolean tethered()
    {
        return "tethered".equals(state) || "joining".equals(state);
    }
}
