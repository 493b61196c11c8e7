package io.shmipc.exceptions;

import java.util.List;

/**
 * A channel asked for by name exists with another kind, capacity or message limit. The message names the region,
 * the channel and each field that differs, as {@code field=found expected wanted}.
 */
public class ChannelMismatchException extends InvalidConfigurationException
{
    private static final long serialVersionUID = 1L;

    private final String channel;
    private final List<String> differences;

    /**
     * Create the exception.
     *
     * @param region      the region name or path.
     * @param channel     the channel name.
     * @param differences each field that differs, e.g. {@code capacity=4096 expected 8192}.
     */
    public ChannelMismatchException(final String region, final String channel, final List<String> differences)
    {
        super(region, "channel exists with another spec: region=" + region + " channel=" + channel + " " +
            String.join(", ", differences));
        this.channel = channel;
        this.differences = List.copyOf(differences);
    }

    /**
     * The channel name.
     *
     * @return the name.
     */
    public String channel()
    {
        return channel;
    }

    /**
     * Each field that differs, as {@code field=found expected wanted}.
     *
     * @return an unmodifiable list.
     */
    public List<String> differences()
    {
        return differences;
    }
}
