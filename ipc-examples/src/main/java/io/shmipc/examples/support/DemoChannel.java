package io.shmipc.examples.support;

import io.shmipc.ChannelKind;
import io.shmipc.RegionConfig;
import picocli.CommandLine.Mixin;

/**
 * The region and the one channel the processes of a demo share ({@code --region}, {@code --channel},
 * {@code --capacity}), with the demo's defaults and channel kind: a picocli mixin of every command of that demo, so
 * they agree on the layout. {@code @Mixin DemoChannel logs = new DemoChannel("shm-ipc-logs", "logs", MANY_TO_ONE);}
 */
public final class DemoChannel
{
    @Mixin
    private RegionOption region;

    @Mixin
    private ChannelOption channel;

    @Mixin
    private CapacityOption capacity;

    private final ChannelKind kind;

    /**
     * The options with a demo's defaults.
     *
     * @param defaultRegion  the region used without {@code --region}.
     * @param defaultChannel the channel used without {@code --channel}.
     * @param kind           the channel's kind.
     */
    public DemoChannel(final String defaultRegion, final String defaultChannel, final ChannelKind kind)
    {
        this.region = new RegionOption(defaultRegion);
        this.channel = new ChannelOption(defaultChannel);
        this.kind = kind;
    }

    /**
     * The channel's name.
     *
     * @return the name.
     */
    public String channel()
    {
        return channel.name();
    }

    /**
     * The channel's capacity.
     *
     * @return bytes.
     */
    public int capacity()
    {
        return capacity.bytes();
    }

    /**
     * The region as a command line takes it back, for the commands a process suggests.
     *
     * @return the shared-memory name or the path.
     */
    public String regionArgument()
    {
        return region.argument();
    }

    /**
     * The layout every process of the demo expects: the one channel.
     *
     * @return the configuration.
     */
    public RegionConfig config()
    {
        return config(kind);
    }

    /**
     * The layout with the one channel of a kind chosen by an option of the demo (every process must choose alike).
     *
     * @param kindChosen the channel's kind.
     * @return the configuration.
     */
    public RegionConfig config(final ChannelKind kindChosen)
    {
        return RegionConfig.builder(region.location()).channel(channel.name(), kindChosen, capacity.bytes()).build();
    }
}
