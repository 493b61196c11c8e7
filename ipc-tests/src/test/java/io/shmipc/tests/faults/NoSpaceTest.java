package io.shmipc.tests.faults;

import io.shmipc.tests.support.Prerequisites;
import io.shmipc.ChannelKind;
import io.shmipc.Region;
import io.shmipc.RegionConfig;
import io.shmipc.RegionLocation;
import io.shmipc.exceptions.RegionNoSpaceException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.*;

/**
 * A full {@code /dev/shm}: a region larger than its tmpfs fails at create with a message that says how much was
 * asked, how much is free and how to make room, and leaves no file behind.
 */
class NoSpaceTest
{
    private static final String MOUNT_SIZE = "8m";

    @TempDir
    Path directory;

    @Test
    @Timeout(value = 30, unit = TimeUnit.SECONDS)
    void regionLargerThanTmpfsFailsAtCreateAndLeavesNoFile() throws IOException
    {
        Prerequisites.requireRoot("mount -t tmpfs");
        final Path mountPoint = Files.createDirectory(directory.resolve("small-shm"));
        final FaultSupport.CommandResult mount = FaultSupport.run(Duration.ofSeconds(10), "mount", "-t", "tmpfs",
            "-o", "size=" + MOUNT_SIZE, "tmpfs", mountPoint.toString());
        assertEquals(0, mount.exitCode(), mount.toString());
        try
        {
            final Path file = mountPoint.resolve("too-big");
            final RegionConfig config = RegionConfig.builder(RegionLocation.file(file))
                .channel("c", ChannelKind.MANY_TO_ONE, 16 << 20).build();
            RegionNoSpaceException noSpace = null;
            try (Region unexpected = Region.create(config))
            {
                fail("created a region larger than its file system: " + unexpected);
            }
            catch (final RegionNoSpaceException ex)
            {
                noSpace = ex;
            }
            final String message = noSpace.getMessage();
            assertTrue(noSpace.requestedBytes() > 16 << 20, message);
            assertTrue(noSpace.freeBytes() > 0 && noSpace.freeBytes() <= 8 << 20, message);
            assertTrue(message.contains("requested=" + noSpace.requestedBytes()), message);
            assertTrue(message.contains("free=" + noSpace.freeBytes()), message);
            assertFalse(message.contains("--shm-size"), "Docker's /dev/shm size is no help to a file elsewhere: " +
                message);
            assertTrue(message.contains(file.toString()), message);
            try (Stream<Path> left = Files.list(mountPoint))
            {
                assertEquals(List.of(), left.toList(), "no file left behind");
            }
        }
        finally
        {
            final FaultSupport.CommandResult umount = FaultSupport.run(Duration.ofSeconds(10), "umount",
                mountPoint.toString());
            if (umount.exitCode() != 0)
            {
                // Busy (a failed run left something open): detach it now rather than leave a mount behind.
                FaultSupport.run(Duration.ofSeconds(10), "umount", "-l", mountPoint.toString());
            }
        }
    }
}
