package io.shmipc.examples.support;

import io.shmipc.ChannelSpec;
import io.shmipc.Region;
import io.shmipc.RegionLocation;

import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;

/**
 * Opening regions the way the tools do, and describing them.
 */
public final class RegionSupport
{
    private RegionSupport()
    {
    }

    /**
     * Why a region no process uses cannot be deleted here, when that is the reason: its file system is read-only, or
     * this user may not write the file, so it can neither prove it stale under the region's locks nor (in a sticky
     * directory such as /dev/shm) unlink it.
     *
     * @param location the region.
     * @return the reason, or null when this user may write it.
     */
    public static String notWritable(final RegionLocation location)
    {
        if (location.isAnonymous() || location.isDescriptor())
        {
            return null;
        }
        try
        {
            if (Files.getFileStore(location.path()).isReadOnly())
            {
                return "it is on a read-only file system";
            }
        }
        catch (final IOException ex)
        {
            // gone meanwhile, or not readable: the mode check below says what it can
        }
        return Files.isWritable(location.path()) ? null :
            "this user may not write it (run as its owner or root to delete it)";
    }

    /**
     * A channel for people: {@code 'quotes' BROADCAST 256 KiB}.
     *
     * @param channel the channel.
     * @return the text.
     */
    public static String describe(final ChannelSpec channel)
    {
        return "'" + channel.name() + "' " + channel.kind() + " " + bytes(channel.capacity());
    }

    /**
     * Every channel of a region, for people.
     *
     * @param region the region.
     * @return the channels, comma separated.
     */
    public static String describeChannels(final Region region)
    {
        final List<String> channels = new ArrayList<>();
        for (final ChannelSpec channel : region.channels())
        {
            channels.add(describe(channel));
        }
        return String.join(", ", channels);
    }

    /**
     * A byte count for people: {@code 512 B}, {@code 64 KiB}, {@code 1 MiB}, {@code 1.5 MiB}.
     *
     * @param bytes the count.
     * @return the text.
     */
    public static String bytes(final long bytes)
    {
        if (bytes < 1024)
        {
            return bytes + " B";
        }
        final String[] units = {"KiB", "MiB", "GiB", "TiB"};
        double value = bytes / 1024.0;
        int unit = 0;
        while (value >= 1024 && unit < units.length - 1)
        {
            value /= 1024;
            unit++;
        }
        return (value == Math.rint(value) ? Long.toString((long)value) : String.format(
            java.util.Locale.ROOT, "%.1f", value)) + " " + units[unit];
    }
}
