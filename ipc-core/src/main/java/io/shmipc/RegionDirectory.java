package io.shmipc;

import io.shmipc.wait.Timeouts;
import io.shmipc.directory.ChangeCountSource;
import io.shmipc.directory.ChannelDirectory;
import io.shmipc.exceptions.ChannelExistsException;
import io.shmipc.exceptions.ChannelInUseException;
import io.shmipc.exceptions.ChannelMismatchException;
import io.shmipc.exceptions.CorruptRegionException;
import io.shmipc.exceptions.InvalidConfigurationException;
import io.shmipc.exceptions.RegionClosedException;
import io.shmipc.exceptions.RegionFullException;
import io.shmipc.exceptions.RegionTimeoutException;
import io.shmipc.layout.ChannelDescriptor;
import io.shmipc.layout.RegionLayout;

import java.time.Duration;
import java.util.Objects;

/**
 * A region's channel directory, for channels that come and go while the region is used ({@link Region#directory()}):
 * {@link #openOrCreateChannel} adds one (or opens it, if it exists with the same spec), {@link #removeChannel}
 * removes one no endpoint uses, {@link #channelList()} lists them and {@link #awaitChannelChange} waits until the
 * list changes.
 * <pre>{@code
 * RegionDirectory directory = region.directory();
 * directory.openOrCreateChannel(new ChannelSpec("orders", ChannelKind.MANY_TO_ONE, 1 << 20, 0));
 * ChannelList seen = directory.channelList();
 * seen = directory.awaitChannelChange(seen.changeCount(), Duration.ofSeconds(1));
 * }</pre>
 * The limits are fixed at creation ({@link RegionConfig.Builder#maxChannels},
 * {@link RegionConfig.Builder#dataAreaLength}, read back with {@link #maxChannels()} and {@link #dataAreaLength()});
 * a full region fails with {@link RegionFullException}. Adding a channel never disturbs the endpoints of others:
 * the whole region is mapped once, and nothing on their path changes. Thread-safe, like its region; every operation
 * that reads or changes the channels fails with {@link RegionClosedException} once the region is closed (the limits
 * fixed at creation stay readable). A change racing {@link Region#close()} from another thread either lands before
 * the close goes on, or fails with {@link RegionClosedException}: never reported done when it is not.
 */
public final class RegionDirectory
{
    private final Region region;
    private final RegionChannels channels;

    RegionDirectory(final Region region, final RegionChannels channels)
    {
        this.region = region;
        this.channels = channels;
    }

    /**
     * The bytes one channel takes in a region's data area: control block, endpoint table and buffer, page aligned.
     * Size {@link RegionConfig.Builder#dataAreaLength} with it.
     *
     * @param kind     the channel kind.
     * @param capacity its capacity, a power of two from 1 KiB to 1 GiB.
     * @return bytes.
     * @throws InvalidConfigurationException for a capacity out of that rule.
     */
    public static long channelAreaLength(final ChannelKind kind, final int capacity)
    {
        Objects.requireNonNull(kind, "kind");
        if (!RegionLayout.isValidCapacity(capacity))
        {
            throw new InvalidConfigurationException(null, "invalid channel capacity: capacity=" + capacity +
                " (a power of two from " + ChannelDescriptor.MIN_CAPACITY + " to " + ChannelDescriptor.MAX_CAPACITY +
                ")");
        }
        return ChannelDescriptor.channelLength(kind, capacity, ChannelDescriptor.DEFAULT_ENDPOINT_SLOTS);
    }

    /**
     * The most channels the region holds at once, fixed at creation.
     *
     * @return the directory capacity.
     */
    public int maxChannels()
    {
        return region.mapped().layout().directoryCapacity();
    }

    /**
     * The bytes that hold every channel area, fixed at creation.
     *
     * @return the data area length.
     */
    public long dataAreaLength()
    {
        return region.mapped().layout().dataAreaLength();
    }

    /**
     * The channels present now, with the region's change count: how many channels have been added or removed
     * since its creation.
     *
     * @return the list.
     * @throws CorruptRegionException naming the first invalid field of the directory, or on field {@code file.size}
     *                                when the region's file was truncated.
     * @throws RegionClosedException  after {@link Region#close()}.
     */
    public ChannelList channelList()
    {
        region.ensureOpenAndWhole();
        try
        {
            return channels.list();
        }
        catch (final InternalError fault)
        {
            throw region.truncationAfter(fault);
        }
    }

    /**
     * Wait until a channel is added to or removed from the region after the list {@code seen} was read, or the
     * timeout passes, and list the channels then. Sleeps on the region's change count ({@code futex}), so a waiting
     * thread costs no CPU. An interrupt of the thread ends the wait as the timeout would (at once, or within 100 ms
     * when it comes just as the thread goes to sleep), and its status stays set.
     *
     * @param changeCount the {@link ChannelList#changeCount()} of the list last seen.
     * @param timeout     longest wait.
     * @return the channels now: a list with another change count once something changed, or with the same one when
     *         the timeout passed or the thread was interrupted.
     * @throws CorruptRegionException on field {@code file.size} when the region's file was truncated.
     * @throws RegionClosedException  after {@link Region#close()}.
     */
    public ChannelList awaitChannelChange(final int changeCount, final Duration timeout)
    {
        region.ensureOpenAndWhole();
        try
        {
            return channels.awaitChange(changeCount, Timeouts.nanos(timeout));
        }
        catch (final InternalError fault)
        {
            throw region.truncationAfter(fault); // a fault on the directory's pages, or a futex on them
        }
    }

    /**
     * Open a channel, adding it to the region if it has none of that name. The same spec (kind, capacity, and the
     * message limit when one is given) opens the channel there; another fails naming each difference. Of any
     * number of processes adding one name at once, one adds it and the others open it. Adding takes space from the
     * data area, zeroed; endpoints of other channels are not disturbed.
     *
     * @param channel the channel; a message limit of 0 asks for (or accepts) the largest its capacity allows.
     * @return the channel as the region holds it, with the message limit in force.
     * @throws ChannelMismatchException      when a channel of that name exists with another spec.
     * @throws RegionFullException           when the directory or the data area is full, naming the limit.
     * @throws CorruptRegionException        on field {@code file.size} when the region's file was truncated.
     * @throws InvalidConfigurationException when the spec itself is invalid.
     * @throws RegionTimeoutException        when another process kept the directory locked for 10 s.
     * @throws RegionClosedException         after {@link Region#close()}.
     */
    public ChannelSpec openOrCreateChannel(final ChannelSpec channel)
    {
        return region.whileOpen(() -> channels.openOrAdd(channel, false));
    }

    /**
     * Add a channel, failing if the region has one of that name.
     *
     * @param channel the channel; a message limit of 0 asks for the largest its capacity allows.
     * @return the channel as the region holds it, with the message limit in force.
     * @throws ChannelExistsException when a channel of that name exists.
     * @throws RegionFullException    when the directory or the data area is full, naming the limit.
     * @throws RegionTimeoutException when another process held the directory's lock for 10 s.
     * @throws CorruptRegionException on field {@code file.size} when the region's file was truncated.
     * @throws RegionClosedException  after {@link Region#close()}.
     */
    public ChannelSpec createChannel(final ChannelSpec channel)
    {
        return region.whileOpen(() -> channels.openOrAdd(channel, true));
    }

    /**
     * Remove a channel that no live endpoint uses, in any process; its directory entry and its space can then be
     * used by channels added later. Race-free against a concurrent open: an endpoint being opened either keeps the
     * channel (and this fails) or finds it gone.
     *
     * @param channel the channel name.
     * @return true when removed, false when the region has no channel of that name.
     * @throws ChannelInUseException  when a publisher or subscriber, in any process, uses the channel.
     * @throws RegionTimeoutException when another process held the directory's lock for 10 s.
     * @throws CorruptRegionException on field {@code file.size} when the region's file was truncated.
     * @throws RegionClosedException  after {@link Region#close()}.
     */
    public boolean removeChannel(final String channel)
    {
        // Each try holds the handle; the pauses between tries hold nothing, so other threads go on meanwhile.
        return channels.removeSettled(channel, () -> region.whileOpen(() -> channels.removeOnce(channel)));
    }

    /**
     * Remove a channel when no live endpoint uses it, without an exception when one does.
     *
     * @return true when removed; false when absent or in use.
     */
    boolean removeIfUnused(final String channel)
    {
        return region.whileOpen(() -> channels.removeOnce(channel)) == ChannelDirectory.Removal.REMOVED;
    }

    /**
     * How many times channels were added or removed, by any process (wrapping at 2^32): unchanged, the list is too.
     */
    int changeCount()
    {
        region.openEndpoints().ensureOpen();
        return channels.changeCount();
    }

    @Override
    public String toString()
    {
        return "RegionDirectory{" + region.location() + ", maxChannels=" + maxChannels() + ", dataAreaLength=" +
            dataAreaLength() + "}";
    }

    /**
     * A source for a wait set that reports changes of the channel list, closed (and the wait set woken) when the
     * region closes.
     */
    ChangeCountSource watch(final WaitSet waitSet)
    {
        synchronized (region)
        {
            region.openEndpoints().ensureOpen();
            return channels.watch(waitSet);
        }
    }

    void unwatch(final ChangeCountSource source)
    {
        channels.unwatch(source);
    }
}
