package io.shmipc;

import io.shmipc.exceptions.ChannelExistsException;
import io.shmipc.exceptions.ChannelInUseException;
import io.shmipc.exceptions.ChannelMismatchException;
import io.shmipc.exceptions.NoSuchChannelException;
import io.shmipc.exceptions.RegionClosedException;
import io.shmipc.layout.ChannelDescriptor;
import io.shmipc.layout.ServiceDescriptor;

import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The channels a service is made of, as its server and clients add, open and leave them.
 */
final class ServiceChannels
{
    private static final int MAX_CLIENT_ID_ATTEMPTS = 64;
    /** Looks at the request channel before its addition fails as another's: a race is lost once, not 8 times. */
    private static final int MAX_REQUEST_CHANNEL_ATTEMPTS = 8;

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
        final Publisher requests;
        try
        {
            requests = region.publisher(config.name());
        }
        catch (final ChannelInUseException ex)
        {
            // Every client is one of the request channel's publishers: say it in the service's words.
            final ChannelInUseException full = new ChannelInUseException(region.location().toString(),
                "service has as many clients as it admits: region=" + region.location() + " service=" +
                config.name() + " maxClients=" + (ChannelDescriptor.DEFAULT_ENDPOINT_SLOTS - 1) +
                " (each client is a publisher of the request channel, which has one subscriber slot, the " +
                "server's); close a client, or wait for its process to exit");
            full.initCause(ex);
            throw full;
        }
        if (requests.kind() != ChannelKind.MANY_TO_ONE)
        {
            // Removed and added again with another kind since it was checked (no endpoint held it meanwhile).
            requests.close();
            throw new ChannelMismatchException(region.location().toString(), config.name(),
                List.of("kind=" + requests.kind() + " expected " + ChannelKind.MANY_TO_ONE));
        }
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
     * none (a {@code MANY_TO_ONE} channel of that name present with another capacity is used as it is). A server or
     * client that adds it between this one's look and its addition may have used another capacity: this one then
     * looks again and takes the channel as added.
     */
    static void addRequestChannel(final Region region, final ServiceConfig config)
    {
        for (int attempt = 1; ; attempt++)
        {
            final ChannelSpec present = region.directory().channelList().find(config.name());
            try
            {
                region.directory().openOrCreateChannel(present != null && present.kind() == ChannelKind.MANY_TO_ONE ?
                    new ChannelSpec(config.name(), ChannelKind.MANY_TO_ONE, present.capacity(), 0) :
                    config.requestChannel());
                return;
            }
            catch (final ChannelMismatchException ex)
            {
                if (present != null && present.kind() != ChannelKind.MANY_TO_ONE ||
                    attempt >= MAX_REQUEST_CHANNEL_ATTEMPTS)
                {
                    throw ex; // not a MANY_TO_ONE channel, or one that changed under every look
                }
            }
        }
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
