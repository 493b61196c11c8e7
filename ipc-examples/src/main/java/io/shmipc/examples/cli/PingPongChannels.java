package io.shmipc.examples.cli;

import io.shmipc.ChannelKind;
import io.shmipc.RegionConfig;
import io.shmipc.examples.support.IdleStrategies;
import io.shmipc.examples.support.Names;
import io.shmipc.examples.support.RegionOption;
import org.agrona.concurrent.IdleStrategy;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The region layout {@code ping} and {@code pong} share, their common options, and the message they bounce.
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
 * killed earlier session left in the channel. A picocli mixin of {@code --region}, {@code --channel} and
 * {@code --idle}.
 */
final class PingPongChannels
{
    static final int CAPACITY = 64 * 1024;
    static final int SESSION_ID_OFFSET = 0;
    static final int SEQUENCE_OFFSET = 8;
    static final int SEND_TIME_OFFSET = 16;
    static final int MIN_LENGTH = 24;
    static final long END_OF_SESSION = -1;

    @Mixin
    private RegionOption region = new RegionOption("shm-ipc-ping");

    @Option(names = "--channel", paramLabel = "NAME", defaultValue = "ping", converter = Names.Channel.class)
    private String channel;

    @Option(names = "--idle", paramLabel = "STRATEGY", defaultValue = "BACKOFF")
    private IdleStrategies idle;

    static String replyChannel(final String channel)
    {
        return channel + ".reply";
    }

    String request()
    {
        return channel;
    }

    String reply()
    {
        return replyChannel(channel);
    }

    IdleStrategy idleStrategy()
    {
        return idle.newStrategy();
    }

    RegionConfig config()
    {
        return RegionConfig.builder(region.location())
            .channel(channel, ChannelKind.ONE_TO_ONE, CAPACITY)
            .channel(reply(), ChannelKind.ONE_TO_ONE, CAPACITY)
            .build();
    }

    /**
     * The command line of the other side, for messages.
     *
     * @param command {@code ping} or {@code pong}.
     * @return e.g. {@code shm-ipc pong --region pp}.
     */
    String other(final String command)
    {
        return region.peerCommand(command, "ping".equals(channel) ? "" : " --channel " + channel);
    }
}
