package io.shmipc.tests.faults;

import io.shmipc.tests.support.ChildJvms;
import io.shmipc.ChannelKind;
import io.shmipc.Publisher;
import io.shmipc.Region;
import io.shmipc.RegionConfig;
import io.shmipc.RegionLiveness;
import io.shmipc.RegionLocation;
import io.shmipc.RegionSummary;
import io.shmipc.Regions;
import io.shmipc.exceptions.RegionExistsException;
import io.shmipc.exceptions.RegionPermissionException;
import io.shmipc.toolkit.ChildProcess;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static io.shmipc.tests.faults.FaultSupport.START_TIMEOUT;
import static io.shmipc.tests.faults.FaultSupport.STEP_TIMEOUT;
import static org.junit.jupiter.api.Assertions.*;

/**
 * Hostile paths and dead owners: a symbolic link planted where a region goes is refused without touching its
 * target, and stale-region cleanup removes exactly the regions whose processes died.
 */
class SymlinkAndStaleCleanupTest
{
    private static final String VICTIM_TEXT = "must stay as it is";

    @TempDir
    Path directory;

    @Test
    @Timeout(value = 30, unit = TimeUnit.SECONDS)
    void symbolicLinkAtFilePathIsRefusedAndItsTargetUntouched() throws IOException
    {
        final Path victim = victim();
        final Path link = Files.createSymbolicLink(directory.resolve("region"), victim);
        assertRefused(RegionLocation.file(link), link, victim);
        assertEquals(List.of(), Regions.cleanStale(directory, false), "cleanup ignores links and other files");
        assertTrue(Files.isSymbolicLink(link));
    }

    @Test
    @Timeout(value = 30, unit = TimeUnit.SECONDS)
    void symbolicLinkAtSharedMemoryNameIsRefusedAndItsTargetUntouched() throws IOException
    {
        final Path victim = victim();
        final RegionLocation location = RegionLocation.shm(FaultSupport.uniqueName("symlink"));
        final Path link = Files.createSymbolicLink(location.path(), victim);
        try
        {
            assertRefused(location, link, victim);
        }
        finally
        {
            Files.deleteIfExists(link);
        }
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void cleanStaleRemovesOnlyRegionsWhoseProcessesDied()
    {
        final Path deadPath = directory.resolve("dead-owner");
        final Path livePath = directory.resolve("live-owner");
        try (ChildProcess dead = ChildJvms.start(EndpointHolderMain.class, "--create", deadPath.toString(), "sub:up");
            ChildProcess live = ChildJvms.start(EndpointHolderMain.class, "--create", livePath.toString(), "sub:up"))
        {
            dead.awaitLineStartingWith("READY ", START_TIMEOUT);
            live.awaitLineStartingWith("READY ", START_TIMEOUT);
            assertEquals(Map.of(deadPath, RegionLiveness.LIVE, livePath, RegionLiveness.LIVE), liveness());
            assertEquals(List.of(), Regions.cleanStale(directory, false), "nothing is stale while both live");

            dead.kill();
            assertEquals(Map.of(deadPath, RegionLiveness.STALE, livePath, RegionLiveness.LIVE), liveness());
            assertEquals(List.of(deadPath), paths(Regions.cleanStale(directory, true)), "dry run");
            assertTrue(Files.exists(deadPath), "a dry run deletes nothing");

            assertEquals(List.of(deadPath), paths(Regions.cleanStale(directory, false)));
            assertFalse(Files.exists(deadPath), "the dead owner's region is gone");
            assertTrue(Files.exists(livePath), "the live owner's region remains");
            assertEquals(Map.of(livePath, RegionLiveness.LIVE), liveness());

            try (Region region = Region.attach(RegionLocation.file(livePath), Duration.ofSeconds(5));
                Publisher publisher = region.publisher("up"))
            {
                final byte[] text = "still usable".getBytes(StandardCharsets.UTF_8);
                assertEquals(Publisher.OK, publisher.offer(new UnsafeBuffer(text), 0, text.length));
                live.awaitLineStartingWith("GOT up still usable", STEP_TIMEOUT);
            }
            live.send("EXIT");
            live.awaitSuccess(STEP_TIMEOUT);
        }
    }

    private Path victim() throws IOException
    {
        final Path victim = Files.writeString(directory.resolve("victim"), VICTIM_TEXT);
        Files.setPosixFilePermissions(victim, PosixFilePermissions.fromString("rw-r--r--"));
        return victim;
    }

    private static void assertRefused(final RegionLocation location, final Path link, final Path victim)
        throws IOException
    {
        final RegionConfig config = RegionConfig.builder(location).channel("c", ChannelKind.MANY_TO_ONE, 4096)
            .permissions(0660).build();
        assertThrows(RegionExistsException.class, () -> Region.create(config), "create with O_EXCL");
        final RegionPermissionException attach = assertThrows(RegionPermissionException.class,
            () -> Region.attach(location, Duration.ZERO), "attach with O_NOFOLLOW");
        assertTrue(attach.getMessage().contains("symbolic link"), attach.getMessage());
        assertThrows(RegionPermissionException.class, () -> Region.openOrCreate(config), "open or create");
        assertThrows(RegionPermissionException.class, () -> Regions.deleteIfStale(location), "stale check");
        assertTrue(Files.isSymbolicLink(link), "the link is left where it was");
        assertEquals(VICTIM_TEXT, Files.readString(victim), "the target is not written");
        assertEquals(PosixFilePermissions.fromString("rw-r--r--"), Files.getPosixFilePermissions(victim),
            "the target's mode is not changed");
    }

    private Map<Path, RegionLiveness> liveness()
    {
        return Regions.list(directory).stream().collect(Collectors.toMap(summary -> summary.location().path(),
            RegionSummary::liveness));
    }

    private static List<Path> paths(final List<RegionSummary> summaries)
    {
        return summaries.stream().map(summary -> summary.location().path()).toList();
    }
}
