package io.shmipc.tests.faults;

import io.shmipc.ChannelKind;
import io.shmipc.Region;
import io.shmipc.RegionConfig;
import io.shmipc.RegionLocation;
import io.shmipc.Regions;
import io.shmipc.exceptions.CorruptRegionException;
import io.shmipc.exceptions.RegionExistsException;
import io.shmipc.layout.RegionHeaderDescriptor;
import io.shmipc.toolkit.ChildProcess;
import io.shmipc.tests.support.ChildJvms;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;

import static io.shmipc.tests.faults.FaultSupport.START_TIMEOUT;
import static io.shmipc.tests.faults.FaultSupport.STEP_TIMEOUT;
import static org.junit.jupiter.api.Assertions.*;

/**
 * What can be found at a region's name. Only a file proven to be a shm-ipc region is ever deleted or replaced: a
 * FIFO, another program's file, an empty file, a file of zeros or one of another layout major version, at a
 * shared-memory name or a file path, survives {@link Regions#deleteIfStale}, {@link Regions#cleanStale},
 * {@link Region#delete} and {@link Region#openOrCreate} with {@code replaceStale}, each of which reports a typed
 * error or {@code false} at once. And a region is at its name only complete: watched from this JVM while another
 * creates and deletes it in a loop, and after that JVM is killed at random moments, the name holds a whole READY
 * region or nothing, an attach racing the creator gets a whole region or none, and a creator's temporary file (on
 * file systems without unnamed files) is cleaned.
 */
class RegionNameFaultTest
{
    /** The files a region's name may hold that are not shm-ipc regions, or not provably so. */
    enum Foreign
    {
        FIFO, TEXT, EMPTY, ZEROS, RANDOM, OTHER_MAJOR_VERSION
    }

    /** A 64 MiB channel: allocating it takes long enough for a watcher or a kill to land in the middle. */
    private static final int CHURN_CAPACITY = 64 << 20;
    private static final int PROOF_LENGTH = RegionHeaderDescriptor.STATE_OFFSET + Integer.BYTES;

    @TempDir
    Path directory;

    private final List<Path> planted = new ArrayList<>();

    @AfterEach
    void tearDown() throws IOException
    {
        for (final Path path : planted)
        {
            Files.deleteIfExists(path);
        }
    }

    @ParameterizedTest
    @EnumSource(Foreign.class)
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void aFileThatIsNotARegionIsNeverDeletedOrReplaced(final Foreign foreign) throws Exception
    {
        final RegionLocation shm = RegionLocation.shm(FaultSupport.uniqueName("foreign"));
        final RegionLocation file = RegionLocation.file(directory.resolve("foreign"));
        for (final RegionLocation location : List.of(shm, file))
        {
            final Path path = location.path();
            planted.add(path);
            final byte[] content = plant(foreign, path);
            assertFalse(Regions.deleteIfStale(location), "deleteIfStale " + location);
            assertUntouched(foreign, path, content);
            final RegionConfig replace = RegionConfig.builder(location).channel("c", ChannelKind.MANY_TO_ONE, 4096)
                .replaceStale(true).attachTimeout(Duration.ofSeconds(10)).build();
            assertThrows(RegionExistsException.class, () -> Region.create(replace).close());
            final long start = System.nanoTime();
            final CorruptRegionException refused = assertThrows(CorruptRegionException.class,
                () -> Region.openOrCreate(replace).close(), "openOrCreate with replaceStale " + location);
            assertTrue(System.nanoTime() - start < Duration.ofSeconds(5).toNanos(),
                "refused at once, not after the attach timeout: " + refused.getMessage());
            assertTrue(refused.getMessage().contains("region=" + location), refused.getMessage());
            if (foreign == Foreign.OTHER_MAJOR_VERSION)
            {
                assertUntouched(foreign, path, content);
                assertTrue(Region.delete(location), "a region of another layout version is deleted when asked by name");
                continue;
            }
            assertThrows(CorruptRegionException.class, () -> Region.delete(location), "delete " + location);
            assertUntouched(foreign, path, content);
        }
        final List<String> before = entries(directory);
        assertEquals(List.of(), Regions.cleanStale(directory, false), "cleanStale");
        assertEquals(before, entries(directory), "cleanStale");
    }

    @Test
    @Timeout(value = 30, unit = TimeUnit.SECONDS)
    void deleteOnCloseLeavesAFileThatTookTheNameMeanwhile() throws Exception
    {
        final RegionLocation location = RegionLocation.file(directory.resolve("region"));
        final Region region = Region.create(RegionConfig.builder(location)
            .channel("c", ChannelKind.ONE_TO_ONE, 4096).deleteOnClose(true).build());
        assertTrue(Region.delete(location));
        final byte[] content = plant(Foreign.TEXT, location.path());
        region.close();
        assertUntouched(Foreign.TEXT, location.path(), content);
    }

    @Test
    @Timeout(value = 30, unit = TimeUnit.SECONDS)
    void aRegionWhoseCreatorDiedBeforeReadyIsProvenByItsHeaderAndReplaced() throws Exception
    {
        // What a creator of an earlier version, which built regions at their name, leaves when it dies.
        final Path path = directory.resolve("half");
        final byte[] header = new byte[RegionHeaderDescriptor.HEADER_LENGTH * 2];
        final UnsafeBuffer buffer = new UnsafeBuffer(header);
        buffer.putLong(RegionHeaderDescriptor.MAGIC_OFFSET, RegionHeaderDescriptor.MAGIC);
        buffer.putInt(RegionHeaderDescriptor.MAJOR_VERSION_OFFSET, RegionHeaderDescriptor.MAJOR_VERSION);
        buffer.putInt(RegionHeaderDescriptor.STATE_OFFSET, RegionHeaderDescriptor.STATE_INITIALISING);
        Files.write(path, header);
        try (Region region = Region.openOrCreate(RegionConfig.builder(RegionLocation.file(path))
            .channel("c", ChannelKind.ONE_TO_ONE, 4096).build()))
        {
            assertTrue(region.wasCreated(), "magic, version and a free init byte prove a dead creator's region");
        }
    }

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void aRegionIsAtItsNameOnlyComplete()
    {
        final RegionLocation location = RegionLocation.shm(FaultSupport.uniqueName("atomic"));
        try (ChildProcess creator = churn(location, "unnamed"))
        {
            final long length = length(creator);
            int seen = 0;
            final List<String> partial = new ArrayList<>();
            final long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (!creator.lines().contains("CREATED 100") && System.nanoTime() - deadline < 0)
            {
                final String problem = problem(location.path(), length);
                if (problem != null && !problem.isEmpty())
                {
                    partial.add(problem);
                }
                seen += problem != null ? 1 : 0;
            }
            creator.send("EXIT");
            creator.awaitLineStartingWith("EXITED", STEP_TIMEOUT);
            assertEquals(List.of(), partial.subList(0, Math.min(10, partial.size())),
                partial.size() + " of " + seen + " looks at the name found a region not yet complete");
            System.out.println("looked at a whole region " + seen + " times");
            assertTrue(seen >= 20, "the name was seen holding a region only " + seen + " times");
        }
        finally
        {
            FaultSupport.deleteQuietly(location);
        }
    }

    /**
     * Attach races creation and deletion in another process: it finds a whole region, or waits for one, and never
     * reads a header before its creator finished it (which an attach at a name that held a region being built in
     * place could read as layout version 0, an {@code IncompatibleLayoutException}, or as a corrupt or stale
     * region).
     */
    @ParameterizedTest
    @ValueSource(strings = { "unnamed", "temporary" })
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void anAttachRacingTheCreatorFindsAWholeRegionOrNone(final String how)
    {
        final RegionLocation location = how.equals("unnamed") ? RegionLocation.shm(FaultSupport.uniqueName("race")) :
            RegionLocation.file(directory.resolve("race"));
        try (ChildProcess creator = churn(location, how))
        {
            length(creator);
            int attached = 0;
            final long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (!creator.lines().contains("CREATED 60") && System.nanoTime() - deadline < 0)
            {
                // Waits while the name is empty or names a region being deleted; anything else is an error.
                try (Region region = Region.attach(location, STEP_TIMEOUT))
                {
                    assertEquals(1, region.channels().size());
                    attached++;
                }
            }
            creator.send("EXIT");
            creator.awaitLineStartingWith("EXITED", STEP_TIMEOUT);
            System.out.println("attached " + attached + " times while the creator ran");
            assertTrue(attached >= 20, "attached only " + attached + " times while the creator ran");
        }
        finally
        {
            FaultSupport.deleteQuietly(location);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = { "unnamed", "temporary" })
    @Timeout(value = 180, unit = TimeUnit.SECONDS)
    void aCreatorKilledAtAnyMomentLeavesNothingHalfMade(final String how) throws IOException
    {
        final boolean unnamed = how.equals("unnamed");
        final RegionLocation location = unnamed ? RegionLocation.shm(FaultSupport.uniqueName("killed")) :
            RegionLocation.file(directory.resolve("killed"));
        try
        {
            for (int round = 0; round < 10; round++)
            {
                final long length;
                try (ChildProcess creator = churn(location, how))
                {
                    length = length(creator);
                    creator.awaitLineStartingWith("CREATED " + (2 + round), START_TIMEOUT);
                    LockSupport.parkNanos(ThreadLocalRandom.current().nextLong(TimeUnit.MILLISECONDS.toNanos(40)));
                    creator.kill();
                }
                final String found = problem(location.path(), length);
                assertTrue(found == null || found.isEmpty(), "after a kill in round " + round + ": " + found);
                if (found != null)
                {
                    assertTrue(Regions.deleteIfStale(location), "a whole region whose creator died is stale");
                }
                if (!unnamed)
                {
                    Regions.cleanStale(directory, false);
                    assertEquals(List.of(), entries(directory), "temporary files of the killed creator");
                }
            }
        }
        finally
        {
            FaultSupport.deleteQuietly(location);
        }
    }

    private static ChildProcess churn(final RegionLocation location, final String how)
    {
        return ChildJvms.start(RegionChurnMain.class, location.isShm() ? location.shmName() :
            location.path().toString(), Integer.toString(CHURN_CAPACITY), how);
    }

    private static long length(final ChildProcess creator)
    {
        return Long.parseLong(creator.awaitLineStartingWith("LENGTH ", START_TIMEOUT).substring("LENGTH ".length()));
    }

    /**
     * Look at the name once, from outside the library.
     *
     * @return null when nothing is there, "" for a whole READY region of the expected length, else what is wrong.
     */
    private static String problem(final Path path, final long length)
    {
        try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS))
        {
            final long size = channel.size();
            final ByteBuffer header = ByteBuffer.allocate(PROOF_LENGTH).order(ByteOrder.LITTLE_ENDIAN);
            channel.read(header, 0);
            final long magic = header.position() >= Long.BYTES ? header.getLong(0) : 0;
            final int state = header.position() >= PROOF_LENGTH ? header.getInt(RegionHeaderDescriptor.STATE_OFFSET) :
                -1;
            if (size == length && magic == RegionHeaderDescriptor.MAGIC && state == RegionHeaderDescriptor.STATE_READY)
            {
                return "";
            }
            return "size=" + size + " magic=0x" + Long.toHexString(magic) + " state=" + state;
        }
        catch (final NoSuchFileException ex)
        {
            return null;
        }
        catch (final IOException ex)
        {
            return "unreadable: " + ex;
        }
    }

    private static List<String> entries(final Path directory) throws IOException
    {
        try (Stream<Path> files = Files.list(directory))
        {
            return files.map(path -> path.getFileName().toString()).sorted().toList();
        }
    }

    private static byte[] plant(final Foreign foreign, final Path path) throws IOException
    {
        final byte[] content;
        switch (foreign)
        {
            case FIFO:
                final FaultSupport.CommandResult mkfifo = FaultSupport.run(Duration.ofSeconds(10), "mkfifo", "-m",
                    "600", path.toString());
                assertEquals(0, mkfifo.exitCode(), mkfifo.toString());
                return null;
            case TEXT:
                content = "not a region, but somebody's data\n".getBytes(StandardCharsets.UTF_8);
                break;
            case EMPTY:
                content = new byte[0];
                break;
            case ZEROS:
                content = new byte[RegionHeaderDescriptor.HEADER_LENGTH * 2];
                break;
            case RANDOM:
                content = new byte[RegionHeaderDescriptor.HEADER_LENGTH * 2];
                new Random(42).nextBytes(content);
                break;
            case OTHER_MAJOR_VERSION:
                content = new byte[RegionHeaderDescriptor.HEADER_LENGTH * 2];
                final UnsafeBuffer header = new UnsafeBuffer(content);
                header.putLong(RegionHeaderDescriptor.MAGIC_OFFSET, RegionHeaderDescriptor.MAGIC);
                header.putInt(RegionHeaderDescriptor.MAJOR_VERSION_OFFSET, RegionHeaderDescriptor.MAJOR_VERSION + 1);
                header.putInt(RegionHeaderDescriptor.STATE_OFFSET, RegionHeaderDescriptor.STATE_READY);
                break;
            default:
                throw new IllegalArgumentException(foreign.name());
        }
        Files.write(path, content);
        return content;
    }

    private static void assertUntouched(final Foreign foreign, final Path path, final byte[] content)
        throws IOException
    {
        assertTrue(Files.exists(path, LinkOption.NOFOLLOW_LINKS), path + " is still there");
        if (foreign == Foreign.FIFO)
        {
            assertEquals(true, Files.getAttribute(path, "basic:isOther", LinkOption.NOFOLLOW_LINKS),
                path + " is still a FIFO");
            return;
        }
        assertTrue(Arrays.equals(content, Files.readAllBytes(path)), path + " keeps its content");
    }
}
