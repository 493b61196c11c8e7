package io.shmipc;

import io.shmipc.exceptions.ChannelExistsException;
import io.shmipc.exceptions.NoSuchChannelException;
import io.shmipc.exceptions.RegionClosedException;
import io.shmipc.layout.ServiceDescriptor;

import java.util.concurrent.ThreadLocalRandom;

/**
 * The channels a service is made of, as its server and clients add, open and leave them.
 */
final class ServiceChannels
{
    private static final int MAX_CLIENT_ID_ATTEMPTS = 64;

    private ServiceChannels()
    {
    }

    /**
     * Join a service as a client: open its request channel (adding it if none) and add a reply channel of the
     * client's own, with a subscriber on it. On a failure, what was opened is closed and the reply channel removed.
     */
    static ServiceClient joinAsClient(final Region region, final ServiceConfig config)
    {
        addRequestChannel(region, config);
        final Publisher requests = region.publisher(config.name());
        String reply = null;
        Subscriber replies = null;
        try
        {
            for (int attempt = 0; replies == null; attempt++)
            {
                reply = addReplyChannel(region, config).name();
                try
                {
                    replies = region.subscriber(reply);
                }
                catch (final NoSuchChannelException ex)
                {
                    // A server starting now removed it as a dead client's before this one opened it: add another.
                    reply = null;
                    if (attempt >= MAX_CLIENT_ID_ATTEMPTS)
                    {
                        throw ex;
                    }
                }
            }
            final ServiceClient client = new ServiceClient(region, config, requests, replies,
                ServiceDescriptor.clientIdOf(config.name(), reply));
            reply = null;
            return client;
        }
        catch (final RuntimeException ex)
        {
            if (reply == null)
            {
                requests.close();
            }
            throw ex;
        }
        finally
        {
            if (reply != null)
            {
                leave(region, requests, replies, reply);
            }
        }
    }

    /**
     * Open the service's request channel as it is, adding it with the configuration's capacity when the region has
     * none (a {@code MANY_TO_ONE} channel of that name present with another capacity is used as it is).
     */
    static void addRequestChannel(final Region region, final ServiceConfig config)
    {
        final ChannelSpec present = region.directory().channelList().find(config.name());
        region.directory().openOrCreateChannel(present != null && present.kind() == ChannelKind.MANY_TO_ONE ?
            new ChannelSpec(config.name(), ChannelKind.MANY_TO_ONE, present.capacity(), 0) : config.requestChannel());
    }

    /**
     * Add a reply channel under a client id of its own: a random id, drawn again while its name is taken.
     *
     * @return the reply channel's spec.
     */
    static ChannelSpec addReplyChannel(final Region region, final ServiceConfig config)
    {
        for (int attempt = 0; ; attempt++)
        {
            try
            {
                return region.directory().createChannel(config.replyChannel(ThreadLocalRandom.current().nextInt()));
            }
            catch (final ChannelExistsException ex)
            {
                if (attempt >= MAX_CLIENT_ID_ATTEMPTS)
                {
                    throw ex;
                }
            }
        }
    }

    /**
     * A client leaves: its endpoints are closed and its reply channel removed, unless the server still holds it
     * (the server removes it once it finds the client gone).
     */
    static void leave(final Region region, final Publisher requests, final Subscriber replies, final String reply)
    {
        requests.close();
        if (replies != null)
        {
            replies.close();
        }
        try
        {
            region.directory().removeIfUnused(reply); // false when the server still holds it, without waiting
        }
        catch (final RegionClosedException ex)
        {
            // The handle closed meanwhile, from another thread: a server removes the channel, as a dead client's.
        }
    }
}
