package io.shmipc.channel;

import io.shmipc.ChannelKind;
import io.shmipc.Publisher;
import io.shmipc.Subscriber;
import io.shmipc.SubscriberOptions;
import io.shmipc.exceptions.CorruptRegionException;
import io.shmipc.exceptions.InvalidConfigurationException;
import io.shmipc.layout.ChannelDescriptor;
import io.shmipc.layout.ChannelLayout;
import io.shmipc.layout.LogBufferDescriptor;
import io.shmipc.liveness.EndpointRegistration;
import io.shmipc.liveness.RegionLocks;
import io.shmipc.posix.MappedBuffer;
import io.shmipc.region.MappedRegion;
import io.shmipc.wait.WakeUpWord;

import java.util.function.Consumer;
import java.util.function.Function;

import static io.shmipc.layout.EndpointDescriptor.*;

/**
 * Opens the publishers and subscribers of one mapped region: registers the endpoint in its channel, gathers its
 * {@link ChannelContext} and builds the class its channel's kind uses. The one place that maps a kind to endpoint
 * classes: a new kind adds a case to each switch (javac refuses a kind they do not name).
 * <p>
 * It takes a validated {@link ChannelLayout} and nothing else about the channel, so a channel need not have been in
 * the directory when the region was opened. Before registering, it takes this process's share of the channel's
 * in-use lock and checks that the channel is still the one read: a channel removed meanwhile is refused with
 * {@code null}, and the caller reads the directory again.
 */
public final class EndpointFactory
{
    private final MappedRegion region;
    private final RegionLocks locks;
    private final MappedBuffer counterValues;
    private final RegionHealth health;
    private final Consumer<ChannelEndpoint> onClose;
    private final HandleClosing handleClosing;

    /**
     * A factory for the endpoints of one region.
     *
     * @param region        the region, mapped and validated.
     * @param onClose       called when an endpoint is closed by its own {@code close()}, not by the region's.
     * @param handleClosing the mark of the handle's close, which every endpoint reads.
     */
    public EndpointFactory(final MappedRegion region, final Consumer<ChannelEndpoint> onClose,
        final HandleClosing handleClosing)
    {
        this.region = region;
        this.locks = region.locks();
        this.counterValues = region.counterValues();
        this.health = new RegionHealth(region);
        this.onClose = onClose;
        this.handleClosing = handleClosing;
    }

    /**
     * Open a publisher on a channel.
     *
     * @param channel the channel's validated layout.
     * @return the publisher, which is also a {@link ChannelEndpoint}; {@code null} when the channel was removed
     *         (or is being removed) since it was read.
     * @throws io.shmipc.exceptions.ChannelInUseException  when the channel has as many live publishers as its kind
     *                                                     admits, in all processes together.
     * @throws io.shmipc.exceptions.CorruptRegionException when the channel failed, or its positions are impossible.
     */
    public Publisher publisher(final ChannelLayout channel)
    {
        final Function<ChannelContext, Publisher> publisher = switch (channel.kind())
        {
            case ONE_TO_ONE, MANY_TO_ONE -> RingPublisher::new;
            case BROADCAST -> BroadcastPublisher::new;
            case PUBLISH_SUBSCRIBE -> LogPublisher::new;
        };
        return open(channel, ROLE_PUBLISHER, publisher);
    }

    /**
     * Open a subscriber on a channel.
     *
     * @param channel the channel's validated layout.
     * @param options how a {@code PUBLISH_SUBSCRIBE} subscriber reads; other kinds take only the defaults.
     * @return the subscriber, which is also a {@link ChannelEndpoint}; {@code null} when the channel was removed
     *         (or is being removed) since it was read.
     * @throws io.shmipc.exceptions.ChannelInUseException  when the channel has as many live subscribers as its kind
     *                                                     admits, in all processes together.
     * @throws io.shmipc.exceptions.CorruptRegionException when the channel failed, or its positions are impossible.
     * @throws InvalidConfigurationException               for options other than the defaults on another kind, or a
     *                                                     lag window shorter than a record or longer than the
     *                                                     capacity.
     */
    public Subscriber subscriber(final ChannelLayout channel, final SubscriberOptions options)
    {
        if (channel.kind() != ChannelKind.PUBLISH_SUBSCRIBE && !options.isDefault())
        {
            throw new InvalidConfigurationException(region.name(), "subscriber options are for PUBLISH_SUBSCRIBE " +
                "channels: region=" + region.name() + " channel=" + channel.name() + " kind=" + channel.kind() +
                " options=" + options);
        }
        if (channel.kind() == ChannelKind.PUBLISH_SUBSCRIBE && !options.isTethered() && options.lagWindow() != 0)
        {
            // Shorter than a record of an empty message, no record would ever be delivered; longer than the log, the
            // window would never apply.
            final int least = LogBufferDescriptor.alignedLength(LogBufferDescriptor.HEADER_LENGTH);
            if (options.lagWindow() < least || options.lagWindow() > channel.capacity())
            {
                throw new InvalidConfigurationException(region.name(), "lag window out of range: region=" +
                    region.name() + " channel=" + channel.name() + " lagWindow=" + options.lagWindow() + " (from " +
                    least + ", the record of an empty message, to the capacity " + channel.capacity() + ")");
            }
        }
        final Function<ChannelContext, Subscriber> subscriber = switch (channel.kind())
        {
            case ONE_TO_ONE, MANY_TO_ONE -> RingSubscriber::new;
            case BROADCAST -> BroadcastSubscriber::new;
            case PUBLISH_SUBSCRIBE -> context -> new LogSubscriber(context, options);
        };
        return open(channel, ROLE_SUBSCRIBER, subscriber);
    }

    /**
     * The region's health: its truncation, once found.
     *
     * @return the health shared by the region's endpoints.
     */
    public RegionHealth health()
    {
        return health;
    }

    /**
     * Register an endpoint of a role in the channel's table, take its slot's wait state (taking back what dead
     * endpoints left counted), gather what it needs and build it; on any failure the registration is released.
     */
    <T> T open(final ChannelLayout channel, final int role, final Function<ChannelContext, T> endpoint)
    {
        final CorruptRegionException truncated = health.truncation();
        if (truncated != null)
        {
            throw ChannelHealth.copy(truncated);
        }
        final ChannelHealth channelHealth = health.channel(channel);
        if (channelHealth.isFailed())
        {
            throw channelHealth.failedException();
        }
        if (!region.directory().holdInUse(channel))
        {
            return null;
        }
        final MappedBuffer table = region.buffer(channel.endpointTableOffset(),
            channel.endpointSlots() * SLOT_LENGTH);
        final TruncationGuard truncationGuard = new TruncationGuard(region, health, channelHealth);
        final EndpointRegistration registration;
        try
        {
            // A truncated file is refused before the registration touches the mapping.
            truncationGuard.check(System.nanoTime());
            registration = EndpointRegistration.register(region.name(), locks, channel, table, role);
        }
        catch (final RuntimeException ex)
        {
            region.directory().releaseInUse(channel);
            throw ex;
        }
        try
        {
            final MappedBuffer control = region.buffer(channel.controlOffset(), ChannelDescriptor.CONTROL_LENGTH);
            final WakeUpWord wakeUpWord = new WakeUpWord(control, table, channel.endpointSlots(),
                registration.slot(), registration.endpointId(), slot -> locks.isHeld(channel.slotOffset(slot)));
            wakeUpWord.takeSlot();
            return endpoint.apply(new ChannelContext(region.name(), channel, control, table,
                region.buffer(channel.bufferOffset(), channel.bufferLength()), locks,
                new ChannelCounters(counterValues, channel), registration, wakeUpWord,
                truncationGuard, channelHealth, region::keepAddressesAfterClose,
                onClose, handleClosing));
        }
        catch (final RuntimeException ex)
        {
            registration.close();
            throw ex;
        }
    }
}
