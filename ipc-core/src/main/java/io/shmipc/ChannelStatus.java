package io.shmipc;

import java.util.List;

/**
 * What one channel looks like now, read by {@link RegionInspector}: its spec (what the channel is: name, kind,
 * capacity, message limit), its positions, its endpoints and its counters.
 *
 * @param spec             name, kind, capacity and message limit.
 * @param producerPosition bytes ever written (ring tail, or broadcast tail counter).
 * @param consumerPosition bytes ever consumed (ring head); -1 for broadcast, whose receivers keep their own.
 * @param messagesSent     broadcast messages ever transmitted; -1 for ring channels.
 * @param endpoints        occupied endpoint slots.
 * @param counts           the channel's counters.
 * @param blockingSubscribers the channel's Blocking Subscriber Count: subscribers that may sleep on it.
 * @param waiters          the channel's Waiter Count: subscribers asleep on it now.
 * @param damage           why the channel's positions cannot be right (read as a consistent set, e.g. {@code
 *                         head=648 tail=640}), or null: when set, the positions and what is computed from them
 *                         ({@link #backlog()}, {@link #fill()}) mean nothing, and every endpoint refuses the channel.
 */
public record ChannelStatus(
    ChannelSpec spec,
    long producerPosition,
    long consumerPosition,
    long messagesSent,
    List<EndpointStatus> endpoints,
    ChannelCounts counts,
    int blockingSubscribers,
    int waiters,
    String damage)
{
    /**
     * Bytes waiting for the consumer (ring channels), 0 for broadcast.
     *
     * @return bytes.
     */
    public long backlog()
    {
        return consumerPosition < 0 ? 0 : Math.max(0, producerPosition - consumerPosition);
    }

    /**
     * How full the ring is.
     *
     * @return 0.0 to 1.0.
     */
    public double fill()
    {
        return Math.min(1.0, backlog() / (double)spec.capacity());
    }

    /**
     * Live endpoints of a role.
     *
     * @param role {@code publisher} or {@code subscriber}.
     * @return how many are alive now.
     */
    public long alive(final String role)
    {
        return endpoints.stream().filter(endpoint -> endpoint.alive() && endpoint.role().equals(role)).count();
    }
}
