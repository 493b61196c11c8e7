package io.shmipc.examples.cli;

import io.shmipc.ChannelKind;
import io.shmipc.RegionConfig;
import io.shmipc.RegionLocation;

/**
 * The region layout {@code ping} and {@code pong} share, and the message they bounce.
 * <p>
 * Two {@link ChannelKind#ONE_TO_ONE} channels: requests on {@code <channel>}, replies on {@code <channel>.reply}.
 * A message, in the host's byte order:
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +---------------------------------------------------------------+
 *  |                       Session Id (64)                         |
 *  |                                                               |
 *  +---------------------------------------------------------------+
 *  |          Sequence (64): 0, 1, ...; -1 ends the session        |
 *  |                                                               |
 *  +---------------------------------------------------------------+
 *  |            Send Time (64): ping's System.nanoTime()           |
 *  |                                                               |
 *  +---------------------------------------------------------------+
 *  |                  Padding up to --size bytes                  ...
 *  +---------------------------------------------------------------+
 * </pre>
 * {@code pong} echoes each message unchanged; {@code ping} ignores replies from other sessions, such as those a
 * killed earlier session left in the channel.
 */
final class PingPongChannels
{
    static final int CAPACITY = 64 * 1024;
    static final int SESSION_ID_OFFSET = 0;
    static final int SEQUENCE_OFFSET = 8;
    static final int SEND_TIME_OFFSET = 16;
    static final int MIN_LENGTH = 24;
    static final long END_OF_SESSION = -1;

    private PingPongChannels()
    {
    }

    static String replyChannel(final String channel)
    {
        return channel + ".reply";
    }

    static RegionConfig config(final RegionLocation location, final String channel)
    {
        return RegionConfig.builder(location)
            .channel(channel, ChannelKind.ONE_TO_ONE, CAPACITY)
            .channel(replyChannel(channel), ChannelKind.ONE_TO_ONE, CAPACITY)
            .build();
    }
}
