package io.shmipc.examples.support;

import picocli.CommandLine.Option;

/**
 * {@code --channel NAME} with the command's own default. A picocli mixin.
 */
public final class ChannelOption
{
    @Option(names = "--channel", paramLabel = "NAME", converter = Names.Channel.class)
    private String channel;

    /**
     * The option with a default.
     *
     * @param defaultName the channel used without {@code --channel}.
     */
    public ChannelOption(final String defaultName)
    {
        this.channel = defaultName;
    }

    /**
     * The channel.
     *
     * @return its name.
     */
    public String name()
    {
        return channel;
    }
}
