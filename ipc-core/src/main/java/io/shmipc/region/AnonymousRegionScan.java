package io.shmipc.region;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Finds the anonymous regions of running processes the way any tool can: the descriptors in
 * {@code /proc/<pid>/fd} whose link reads {@code /memfd:shmipc:<label> (deleted)}, grouped by the file they
 * open (its inode). Only processes this one may look into are seen: its own user's dumpable processes, or every
 * process for root. A holder that closed its descriptor and kept only the mapping is not seen.
 */
public final class AnonymousRegionScan
{
    private static final String LINK_PREFIX = "/memfd:" + RegionCreation.MEMORY_FILE_PREFIX;
    private static final String LINK_SUFFIX = " (deleted)";

    private AnonymousRegionScan()
    {
    }

    /**
     * One process's descriptor of an anonymous region.
     *
     * @param pid the process.
     * @param fd  the descriptor.
     */
    public record Descriptor(long pid, int fd)
    {
    }

    /**
     * The descriptors of one anonymous region.
     *
     * @param label       its label.
     * @param inode       the inode of its memory file.
     * @param descriptors every descriptor of it seen, by process id then descriptor.
     */
    public record Found(String label, long inode, List<Descriptor> descriptors)
    {
    }

    /**
     * Scan {@code /proc}.
     *
     * @return the regions found, in the order their first descriptor was seen.
     */
    public static List<Found> scan()
    {
        final Map<Long, Found> found = new LinkedHashMap<>();
        try (DirectoryStream<Path> processes = Files.newDirectoryStream(Path.of("/proc"), "[0-9]*"))
        {
            for (final Path process : processes)
            {
                scanProcess(process, found);
            }
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot list /proc", ex);
        }
        return new ArrayList<>(found.values());
    }

    private static void scanProcess(final Path process, final Map<Long, Found> found)
    {
        final long pid = Long.parseLong(process.getFileName().toString());
        try (DirectoryStream<Path> descriptors = Files.newDirectoryStream(process.resolve("fd")))
        {
            for (final Path descriptor : descriptors)
            {
                final String link = linkOf(descriptor);
                if (link == null || !link.startsWith(LINK_PREFIX) || !link.endsWith(LINK_SUFFIX))
                {
                    continue;
                }
                final Object inode = Files.getAttribute(descriptor, "unix:ino");
                final String label = link.substring(LINK_PREFIX.length(), link.length() - LINK_SUFFIX.length());
                found.computeIfAbsent((Long)inode, key -> new Found(label, key, new ArrayList<>())).descriptors()
                    .add(new Descriptor(pid, Integer.parseInt(descriptor.getFileName().toString())));
            }
        }
        catch (final IOException | RuntimeException ex)
        {
            // A process that has exited, or that this one may not look into: not seen.
        }
    }

    private static String linkOf(final Path descriptor)
    {
        try
        {
            return Files.readSymbolicLink(descriptor).toString();
        }
        catch (final IOException | RuntimeException ex)
        {
            return null;
        }
    }
}
