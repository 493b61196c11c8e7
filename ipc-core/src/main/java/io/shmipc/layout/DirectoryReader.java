package io.shmipc.layout;

import io.shmipc.exceptions.CorruptRegionException;
import org.agrona.concurrent.UnsafeBuffer;

import java.lang.invoke.VarHandle;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static io.shmipc.layout.DirectoryDescriptor.*;

/**
 * Reads the directory of a live region without its lock: an entry is used only when it is READY and its Entry
 * Status reads the same before and after its fields (see {@link DirectoryDescriptor}); a snapshot of every channel
 * is used only when no entry changed while it was read. Every field is validated as {@link LayoutReader} does, and a
 * value that fails while its entry changed under the read is read again rather than reported.
 */
public final class DirectoryReader
{
    /** Reads of one entry, or of the whole directory, before a directory that never holds still is reported. */
    public static final int MAX_ATTEMPTS = 1000;

    private DirectoryReader()
    {
    }

    /**
     * The Entry Status of an entry, loaded with acquire semantics.
     *
     * @param metadata a buffer over the header and directory.
     * @param index    the entry index.
     * @return the status: {@link DirectoryDescriptor#state(long)} and {@link DirectoryDescriptor#generation(long)}.
     */
    public static long status(final UnsafeBuffer metadata, final int index)
    {
        return metadata.getLongAcquire(entryOffset(index) + ENTRY_STATUS_OFFSET);
    }

    /**
     * Read one entry: its channel if it is READY, {@code null} if it is FREE or INITIALISING.
     *
     * @param metadata a buffer over the header and directory.
     * @param header   the validated header.
     * @param index    the entry index.
     * @param region   the region, for messages.
     * @return the channel, with the entry status it was read under, or {@code null}.
     * @throws CorruptRegionException naming the field when the entry is READY and invalid, or its state is unknown.
     */
    public static ChannelLayout entry(
        final UnsafeBuffer metadata, final LayoutReader.Header header, final int index, final String region)
    {
        for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++)
        {
            final long before = status(metadata, index);
            final int state = state(before);
            if (state == ENTRY_FREE || state == ENTRY_INITIALISING)
            {
                return null;
            }
            if (state != ENTRY_READY)
            {
                throw new CorruptRegionException(region, "directory[" + index + "].entryState", ENTRY_FREE + ", " +
                    ENTRY_INITIALISING + " or " + ENTRY_READY, Integer.toString(state));
            }
            ChannelLayout channel = null;
            CorruptRegionException failure = null;
            try
            {
                channel = LayoutReader.readEntry(metadata, index, header.regionLength(), header.dataAreaOffset(),
                    region, before);
            }
            catch (final CorruptRegionException ex)
            {
                failure = ex;
            }
            VarHandle.acquireFence(); // the fields were read before the status is read again
            if (metadata.getLongVolatile(entryOffset(index) + ENTRY_STATUS_OFFSET) == before)
            {
                if (failure != null)
                {
                    throw failure;
                }
                return channel;
            }
        }
        throw unsettled(region, "directory[" + index + "].entryStatus");
    }

    /**
     * Find a READY channel by name.
     *
     * @param metadata a buffer over the header and directory.
     * @param header   the validated header.
     * @param name     the channel name.
     * @param region   the region, for messages.
     * @return the channel, or {@code null} when no READY entry has that name.
     * @throws CorruptRegionException naming the field of the first invalid READY entry met.
     */
    public static ChannelLayout find(
        final UnsafeBuffer metadata, final LayoutReader.Header header, final String name, final String region)
    {
        for (int index = 0; index < header.directoryCapacity(); index++)
        {
            final ChannelLayout channel = entry(metadata, header, index, region);
            if (channel != null && channel.name().equals(name))
            {
                return channel;
            }
        }
        return null;
    }

    /**
     * Every READY channel, read as one consistent snapshot (no entry changed between the first read and the last),
     * with unique names and channel areas that do not overlap.
     *
     * @param metadata a buffer over the header and directory.
     * @param header   the validated header.
     * @param region   the region, for messages.
     * @return the channels, in entry order.
     * @throws CorruptRegionException naming the field of the first invalid entry, a duplicate name or an overlap.
     */
    public static List<ChannelLayout> channels(
        final UnsafeBuffer metadata, final LayoutReader.Header header, final String region)
    {
        final int capacity = header.directoryCapacity();
        final long[] statuses = new long[capacity];
        for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++)
        {
            final List<ChannelLayout> channels = new ArrayList<>();
            for (int index = 0; index < capacity; index++)
            {
                statuses[index] = status(metadata, index);
                final ChannelLayout channel = entry(metadata, header, index, region);
                if (channel != null)
                {
                    statuses[index] = channel.entryStatus();
                    channels.add(channel);
                }
            }
            if (unchanged(metadata, statuses))
            {
                checkDistinct(channels, region);
                return channels;
            }
        }
        throw unsettled(region, "directory");
    }

    /**
     * Check that names are unique and channel areas do not overlap.
     *
     * @param channels the channels of one snapshot.
     * @param region   the region, for messages.
     * @throws CorruptRegionException naming the entry that repeats a name or overlaps another's area.
     */
    public static void checkDistinct(final List<ChannelLayout> channels, final String region)
    {
        final Set<String> names = new HashSet<>();
        for (final ChannelLayout channel : channels)
        {
            if (!names.add(channel.name()))
            {
                throw new CorruptRegionException(region, "directory[" + channel.index() + "].name", "a unique name",
                    channel.name());
            }
        }
        final ChannelLayout[] byOffset = channels.toArray(new ChannelLayout[0]);
        Arrays.sort(byOffset, Comparator.comparingLong(ChannelLayout::channelOffset));
        for (int i = 1; i < byOffset.length; i++)
        {
            final ChannelLayout previous = byOffset[i - 1];
            if (byOffset[i].channelOffset() < previous.channelOffset() + previous.channelLength())
            {
                throw new CorruptRegionException(region, "directory[" + byOffset[i].index() + "].channelOffset",
                    "no overlap with channel " + previous.name() + " ending at " +
                    (previous.channelOffset() + previous.channelLength()), Long.toString(byOffset[i].channelOffset()));
            }
        }
    }

    private static boolean unchanged(final UnsafeBuffer metadata, final long[] statuses)
    {
        VarHandle.acquireFence();
        for (int index = 0; index < statuses.length; index++)
        {
            final long now = metadata.getLongVolatile(entryOffset(index) + ENTRY_STATUS_OFFSET);
            if (now != statuses[index])
            {
                return false;
            }
        }
        return true;
    }

    /**
     * The error for a directory that changed under every one of {@link #MAX_ATTEMPTS} reads in a row.
     *
     * @param region the region, for messages.
     * @param field  what was read.
     * @return the error.
     */
    public static Unsettled unsettled(final String region, final String field)
    {
        return new Unsettled(region, field);
    }

    /**
     * A directory that changed under every one of {@link #MAX_ATTEMPTS} lock-free reads in a row: damage (an Entry
     * Status that never holds still), or changes by faster processes that overtook a slow reader each time. A
     * reader that can take the Directory Lock reads once more under it, where no change can overtake it
     * ({@code ChannelDirectory.readSettled}); a damaged directory then fails that read too.
     */
    public static final class Unsettled extends CorruptRegionException
    {
        private static final long serialVersionUID = 1L;

        Unsettled(final String region, final String field)
        {
            super(region, field, "a directory that holds still for one read",
                "changed under " + MAX_ATTEMPTS + " reads in a row");
        }
    }
}
