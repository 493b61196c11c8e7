package io.shmipc;

import io.shmipc.exceptions.InvalidConfigurationException;
import io.shmipc.layout.DirectoryDescriptor;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Everything {@link Region#create}, {@link Region#attach(RegionConfig)} and {@link Region#openOrCreate} need.
 * <p>
 * What each option means depends on the operation:
 * <table>
 * <caption>Options by operation</caption>
 * <tr><th>option</th><th>create</th><th>attach</th></tr>
 * <tr><td>channels</td><td>the channels the region starts with</td><td>{@link Region#attach(RegionConfig)}: checked
 * against the region found; {@link Region#openOrCreate}: opened, and added to the region found when it lacks
 * them</td></tr>
 * <tr><td>maxChannels</td><td>the directory's capacity: the most channels at once</td><td>ignored (the
 * region's own)</td></tr>
 * <tr><td>dataAreaLength</td><td>the bytes reserved (and preallocated) for channel areas</td><td>ignored (the
 * region's own)</td></tr>
 * <tr><td>permissions</td><td>applied with {@code fchmod}, whatever the umask</td><td>ignored</td></tr>
 * <tr><td>attachTimeout</td><td>ignored</td><td>how long to wait for the region to exist and be READY (for an
 * anonymous region: for its holder's answer)</td></tr>
 * <tr><td>deleteOnClose</td><td>unlink the name when this handle closes</td><td>the same</td></tr>
 * <tr><td>replaceStale</td><td colspan="2">{@link Region#openOrCreate}: a READY region nobody has open is deleted
 * and created anew instead of attached (its unconsumed messages are lost)</td></tr>
 * <tr><td>keepProcessDumpable</td><td colspan="2">anonymous regions only: leave this process dumpable instead of
 * making it undumpable before it holds the region</td></tr>
 * </table>
 */
public final class RegionConfig
{
    /** The most channels a region holds at once: the largest {@link Builder#maxChannels}. */
    public static final int MAX_CHANNELS = DirectoryDescriptor.MAX_CHANNELS;

    /** Default permission bits: owner read and write only. */
    public static final int DEFAULT_PERMISSIONS = 0600;
    /** The largest data area: 64 TiB. */
    public static final long MAX_DATA_AREA_LENGTH = 1L << 46;
    /** Default time to wait for a region being created elsewhere. */
    public static final Duration DEFAULT_ATTACH_TIMEOUT = Duration.ofSeconds(10);

    private final RegionLocation location;
    private final List<ChannelSpec> channels;
    private final int permissions;
    private final Duration attachTimeout;
    private final boolean deleteOnClose;
    private final boolean replaceStale;
    private final int maxChannels;
    private final long dataAreaLength;
    private final boolean keepProcessDumpable;

    private RegionConfig(final Builder builder)
    {
        this.maxChannels = builder.maxChannels;
        this.dataAreaLength = builder.dataAreaLength;
        this.location = builder.location;
        this.channels = List.copyOf(builder.channels);
        this.permissions = builder.permissions;
        this.attachTimeout = builder.attachTimeout;
        this.deleteOnClose = builder.deleteOnClose;
        this.replaceStale = builder.replaceStale;
        this.keepProcessDumpable = builder.keepProcessDumpable;
    }

    /**
     * Start a configuration.
     *
     * @param location where the region lives.
     * @return a builder.
     */
    public static Builder builder(final RegionLocation location)
    {
        return new Builder(location);
    }

    /**
     * Where the region lives.
     *
     * @return the location.
     */
    public RegionLocation location()
    {
        return location;
    }

    /**
     * The channels, in order.
     *
     * @return an unmodifiable list.
     */
    public List<ChannelSpec> channels()
    {
        return channels;
    }

    /**
     * The directory capacity asked for: the most channels the region holds at once.
     *
     * @return 1 to 1024, or 0 for the default: 16, or the number of channels listed if greater.
     */
    public int maxChannels()
    {
        return maxChannels;
    }

    /**
     * The bytes asked for the data area, which holds every channel area.
     *
     * @return bytes, or -1 for exactly what the channels listed need.
     */
    public long dataAreaLength()
    {
        return dataAreaLength;
    }

    /**
     * Permission bits applied at create.
     *
     * @return mode bits, e.g. {@code 0600}.
     */
    public int permissions()
    {
        return permissions;
    }

    /**
     * How long attach waits.
     *
     * @return the timeout.
     */
    public Duration attachTimeout()
    {
        return attachTimeout;
    }

    /**
     * Whether the name is unlinked when the region handle closes.
     *
     * @return true to delete on close.
     */
    public boolean deleteOnClose()
    {
        return deleteOnClose;
    }

    /**
     * Whether {@link Region#openOrCreate} replaces a stale READY region rather than attaching to it.
     *
     * @return true to replace.
     */
    public boolean replaceStale()
    {
        return replaceStale;
    }

    /**
     * Whether a process that creates or attaches an anonymous region stays dumpable.
     *
     * @return true to leave the process as it is; false (the default) to make it undumpable first.
     */
    public boolean keepProcessDumpable()
    {
        return keepProcessDumpable;
    }

    /**
     * Builds a {@link RegionConfig}.
     */
    public static final class Builder
    {
        private final RegionLocation location;
        private final List<ChannelSpec> channels = new ArrayList<>();
        private int permissions = DEFAULT_PERMISSIONS;
        private Duration attachTimeout = DEFAULT_ATTACH_TIMEOUT;
        private boolean deleteOnClose;
        private boolean replaceStale;
        private int maxChannels;
        private long dataAreaLength = -1;
        private boolean keepProcessDumpable;

        private Builder(final RegionLocation location)
        {
            this.location = Objects.requireNonNull(location, "location");
        }

        /**
         * Add a channel whose longest message is the largest its capacity allows (capacity / 8).
         *
         * @param name     channel name.
         * @param kind     channel kind.
         * @param capacity data capacity, a power of two from 1 KiB to 1 GiB.
         * @return this.
         */
        public Builder channel(final String name, final ChannelKind kind, final int capacity)
        {
            return channel(name, kind, capacity, 0);
        }

        /**
         * Add a channel.
         *
         * @param name             channel name.
         * @param kind             channel kind.
         * @param capacity         data capacity, a power of two from 1 KiB to 1 GiB.
         * @param maxMessageLength longest message, at most capacity / 8.
         * @return this.
         */
        public Builder channel(final String name, final ChannelKind kind, final int capacity,
            final int maxMessageLength)
        {
            return channel(new ChannelSpec(name, kind, capacity, maxMessageLength));
        }

        /**
         * Add a channel.
         *
         * @param channel the channel's name, kind, capacity and message limit (0 for the largest, capacity / 8).
         * @return this.
         */
        public Builder channel(final ChannelSpec channel)
        {
            channels.add(Objects.requireNonNull(channel, "channel"));
            return this;
        }

        /**
         * The most channels the region holds at once, its directory's capacity, fixed at creation. Each entry costs
         * 128 bytes of directory and 5 KiB of counters. Default: 16, or the number of channels listed if greater.
         *
         * @param maxChannels 1 to 1024, at least the channels listed.
         * @return this.
         * @throws InvalidConfigurationException outside 1 to 1024.
         */
        public Builder maxChannels(final int maxChannels)
        {
            if (maxChannels < 1 || maxChannels > MAX_CHANNELS)
            {
                throw new InvalidConfigurationException(location.toString(), "invalid maxChannels: region=" +
                    location + " maxChannels=" + maxChannels + " (1 to " + MAX_CHANNELS + ")");
            }
            this.maxChannels = maxChannels;
            return this;
        }

        /**
         * The bytes reserved for channel areas, fixed at creation and preallocated like the rest of the region (a
         * full file system fails at create, never later). The channels listed take their areas from it; the rest is
         * for channels added at runtime ({@link RegionDirectory#openOrCreateChannel}), and space a removed channel
         * frees is used again. Default: exactly what the channels listed need, so nothing can be added until a channel
         * is removed. {@link RegionDirectory#channelAreaLength} says what one channel takes.
         *
         * @param dataAreaLength bytes, at least what the channels listed need; rounded up to 4096.
         * @return this.
         * @throws InvalidConfigurationException when negative or above {@link #MAX_DATA_AREA_LENGTH}.
         */
        public Builder dataAreaLength(final long dataAreaLength)
        {
            if (dataAreaLength < 0 || dataAreaLength > MAX_DATA_AREA_LENGTH)
            {
                throw new InvalidConfigurationException(location.toString(), "invalid dataAreaLength: region=" +
                    location + " dataAreaLength=" + dataAreaLength + " (0 to " + MAX_DATA_AREA_LENGTH +
                    " bytes, 64 TiB)");
            }
            this.dataAreaLength = dataAreaLength;
            return this;
        }

        /**
         * Permission bits applied at create, exactly (the umask neither widens nor narrows them). Owner read and
         * write are required; write for others is refused.
         *
         * @param permissions e.g. {@code 0660} to share with the file's group.
         * @return this.
         * @throws InvalidConfigurationException for bits outside {@code 0777}, without owner read-write, or
         *                                       writable by others.
         */
        public Builder permissions(final int permissions)
        {
            if ((permissions & ~0777) != 0 || (permissions & 0600) != 0600 || (permissions & 0002) != 0)
            {
                throw new InvalidConfigurationException(location.toString(), "invalid permissions: region=" +
                    location + " permissions=0" + Integer.toOctalString(permissions) +
                    " (need owner read-write, at most 0775, never writable by others)");
            }
            this.permissions = permissions;
            return this;
        }

        /**
         * How long attach waits for the region to exist and become READY.
         *
         * @param attachTimeout zero or more.
         * @return this.
         */
        public Builder attachTimeout(final Duration attachTimeout)
        {
            if (attachTimeout.isNegative())
            {
                throw new InvalidConfigurationException(location.toString(), "invalid attachTimeout: region=" +
                    location + " attachTimeout=" + attachTimeout);
            }
            this.attachTimeout = attachTimeout;
            return this;
        }

        /**
         * Unlink the region's name when this handle closes (other processes keep their mappings).
         *
         * @param deleteOnClose true to delete.
         * @return this.
         */
        public Builder deleteOnClose(final boolean deleteOnClose)
        {
            this.deleteOnClose = deleteOnClose;
            return this;
        }

        /**
         * Let {@link Region#openOrCreate} replace a READY region that no live process has open (its creator and
         * every endpoint are dead) instead of attaching to it. Off by default: attaching keeps the messages left in
         * it. A region whose creator died before making it READY is always replaced.
         *
         * @param replaceStale true to replace.
         * @return this.
         */
        public Builder replaceStale(final boolean replaceStale)
        {
            this.replaceStale = replaceStale;
            return this;
        }

        /**
         * For an anonymous region ({@link RegionLocation#anonymous}): leave this process dumpable. By default a
         * process that creates or attaches an anonymous region makes itself undumpable first
         * ({@code prctl(PR_SET_DUMPABLE, 0)}), so that other processes of the same user can neither open the region
         * through {@code /proc/<pid>/fd}, nor read the hand-off secret from {@code /proc/<pid>/environ}, nor attach a
         * debugger; the process then writes no core dump and its {@code /proc/<pid>} entries belong to root (tools
         * of the same user, {@code shm-ipc list} and {@code stat} included, see its anonymous regions only as root).
         * Set this when those matter more than keeping same-user processes out. Ignored for named regions.
         *
         * @param keepProcessDumpable true to leave the process dumpable.
         * @return this.
         */
        public Builder keepProcessDumpable(final boolean keepProcessDumpable)
        {
            this.keepProcessDumpable = keepProcessDumpable;
            return this;
        }

        /**
         * Build.
         *
         * @return the configuration.
         */
        public RegionConfig build()
        {
            return new RegionConfig(this);
        }
    }
}
