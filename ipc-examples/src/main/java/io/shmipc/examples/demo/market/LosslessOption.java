package io.shmipc.examples.demo.market;

import io.shmipc.ChannelKind;
import picocli.CommandLine.Option;

/**
 * {@code --lossless}, which the feed and every subscriber must agree on: a {@code PUBLISH_SUBSCRIBE} channel, on which
 * every subscriber gets every quote and the feed waits for the slowest, instead of a {@code BROADCAST} one that laps
 * slow subscribers.
 */
final class LosslessOption
{
    @Option(names = "--lossless")
    private boolean lossless;

    /**
     * The quotes channel's kind.
     *
     * @return {@code PUBLISH_SUBSCRIBE} with {@code --lossless}, else {@code BROADCAST}.
     */
    ChannelKind kind()
    {
        return lossless ? ChannelKind.PUBLISH_SUBSCRIBE : ChannelKind.BROADCAST;
    }
}
