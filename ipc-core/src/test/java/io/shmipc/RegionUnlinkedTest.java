package io.shmipc;

import io.shmipc.exceptions.RegionClosedException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link Region#isUnlinked()}: a handle learns that its file lost its name, also when another region took the name.
 */
class RegionUnlinkedTest
{
    private final RegionLocation shm = RegionLocation.shm("shmipc-unlinked-" + UUID.randomUUID());

    @TempDir
    Path directory;

    @AfterEach
    void tearDown()
    {
        Region.delete(shm);
    }

    private static RegionConfig config(final RegionLocation location)
    {
        return RegionConfig.builder(location).channel("c", ChannelKind.ONE_TO_ONE, 1024).build();
    }

    @Test
    void anUnlinkedShmRegionIsSeenUnlinkedByEveryHandleEvenOnceTheNameIsTakenAgain()
    {
        try (Region creator = Region.create(config(shm));
            Region attached = Region.attach(config(shm)))
        {
            assertFalse(creator.isUnlinked());
            assertFalse(attached.isUnlinked());
            assertTrue(Region.delete(shm));
            assertTrue(creator.isUnlinked());
            assertTrue(attached.isUnlinked());
            try (Region successor = Region.create(config(shm)))
            {
                assertTrue(attached.isUnlinked(), "a new region under the name is another file");
                assertFalse(successor.isUnlinked());
            }
        }
    }

    @Test
    void aFileRegionRemovedByAnotherMeansIsUnlinked() throws Exception
    {
        final RegionLocation file = RegionLocation.file(directory.resolve("region"));
        try (Region region = Region.create(config(file)))
        {
            assertFalse(region.isUnlinked());
            Files.delete(file.path());
            assertTrue(region.isUnlinked());
        }
    }

    @Test
    void aClosedHandleRefusesToAnswer()
    {
        final Region region = Region.create(config(shm));
        region.close();
        assertThrows(RegionClosedException.class, region::isUnlinked);
    }
}
