package io.shmipc.bridge;

import io.shmipc.ChannelSpec;
import io.shmipc.exceptions.InvalidConfigurationException;

import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32;

/**
 * One channel carried by a bridge in one direction. An outbound route subscribes to a local channel and sends
 * every message to the peer bridge, which publishes it into its channel named {@link #remoteChannel()}; an inbound
 * route receives from the peer and publishes into the local channel. Both ends name the same stream by the
 * receiving channel's name: {@code out("orders")} on one host pairs with {@code in("orders")} on the other.
 *
 * @param outbound      true to send, false to receive.
 * @param localChannel  the channel of the local region.
 * @param remoteChannel the channel of the peer's region that receives (outbound), or the local channel (inbound).
 */
public record BridgeRoute(boolean outbound, String localChannel, String remoteChannel)
{
    /**
     * Check the names.
     *
     * @param outbound      the direction.
     * @param localChannel  the local channel.
     * @param remoteChannel the receiving channel.
     */
    public BridgeRoute
    {
        if (localChannel == null || localChannel.isEmpty() || remoteChannel == null || remoteChannel.isEmpty())
        {
            throw new IllegalArgumentException("route channel names must not be empty: local=" + localChannel +
                " remote=" + remoteChannel);
        }
        checkName(localChannel);
        checkName(remoteChannel);
    }

    private static void checkName(final String channel)
    {
        try
        {
            ChannelSpec.checkName(channel);
        }
        catch (final InvalidConfigurationException ex)
        {
            throw new IllegalArgumentException("invalid route: " + ex.getMessage(), ex);
        }
    }

    /**
     * Send a local channel's messages to the peer's channel of the same name.
     *
     * @param channel the channel.
     * @return the route.
     */
    public static BridgeRoute out(final String channel)
    {
        return new BridgeRoute(true, channel, channel);
    }

    /**
     * Send a local channel's messages to a differently named channel of the peer.
     *
     * @param localChannel  the local channel.
     * @param remoteChannel the peer's channel.
     * @return the route.
     */
    public static BridgeRoute out(final String localChannel, final String remoteChannel)
    {
        return new BridgeRoute(true, localChannel, remoteChannel);
    }

    /**
     * Publish what the peer sends for {@code channel} into the local channel of that name.
     *
     * @param channel the channel.
     * @return the route.
     */
    public static BridgeRoute in(final String channel)
    {
        return new BridgeRoute(false, channel, channel);
    }

    /**
     * Parse a route as the command line takes it: {@code out:CHANNEL}, {@code out:LOCAL=REMOTE} or
     * {@code in:CHANNEL}.
     *
     * @param text the route.
     * @return the route.
     * @throws IllegalArgumentException naming the text when it is not a route.
     */
    public static BridgeRoute parse(final String text)
    {
        if (text.startsWith("out:"))
        {
            final String names = text.substring(4);
            final int equals = names.indexOf('=');
            return equals < 0 ? out(names) : out(names.substring(0, equals), names.substring(equals + 1));
        }
        if (text.startsWith("in:"))
        {
            return in(text.substring(3));
        }
        throw new IllegalArgumentException("a route is out:CHANNEL, out:LOCAL=REMOTE or in:CHANNEL: route=" + text);
    }

    /**
     * The Aeron stream id of the route's data: derived from the receiving channel's name, even, and at least 2;
     * the control stream is the next id. Two routes of one bridge whose ids collide are refused at start. Computed
     * on each call (a CRC of the name): keep it rather than call it on a hot path.
     *
     * @return the data stream id.
     */
    public int dataStreamId()
    {
        final CRC32 crc = new CRC32();
        crc.update(remoteChannel.getBytes(StandardCharsets.UTF_8));
        return (int)(crc.getValue() & 0x3FFF_FFFEL) | 0x4000_0000;
    }

    /**
     * The Aeron stream id on which the receiving bridge answers.
     *
     * @return {@link #dataStreamId()} + 1.
     */
    public int controlStreamId()
    {
        return dataStreamId() + 1;
    }

    @Override
    public String toString()
    {
        return outbound ? "out " + localChannel + (localChannel.equals(remoteChannel) ? "" : "=" + remoteChannel) :
            "in " + localChannel;
    }
}
