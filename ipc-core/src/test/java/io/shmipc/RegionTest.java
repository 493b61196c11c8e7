package io.shmipc;

import io.shmipc.exceptions.CorruptRegionException;
import io.shmipc.exceptions.InvalidConfigurationException;
import io.shmipc.exceptions.NativeCallException;
import io.shmipc.exceptions.RegionClosedException;
import io.shmipc.exceptions.RegionExistsException;
import io.shmipc.exceptions.RegionNotFoundException;
import io.shmipc.exceptions.RegionPermissionException;
import io.shmipc.layout.ChannelDescriptor;
import io.shmipc.layout.RegionHeaderDescriptor;
import io.shmipc.posix.FileLocks;
import io.shmipc.posix.Posix;
import io.shmipc.posix.PosixPlatform;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/**
 * A region's own life through the public API: create refuses an existing region, attach a missing, truncated or
 * symbolically linked one, permissions are applied exactly, sync writes a file region through, and nothing touches
 * the memory after close.
 */
class RegionTest extends RegionTestBase
{
    @TempDir
    Path tempDir;

    @Test
    void syncWritesAFileRegionThroughAndIsHarmlessInMemory() throws Exception
    {
        final Path file = tempDir.resolve("durable");
        final Region region = track(Region.create(RegionConfig.builder(RegionLocation.file(file))
            .channel("c", ChannelKind.ONE_TO_ONE, 4096).build()));
        final UnsafeBuffer message = new UnsafeBuffer(new byte[Long.BYTES]);
        message.putLong(0, 0x0123456789ABCDEFL);
        assertEquals(Publisher.OK, region.publisher("c").offer(message, 0, Long.BYTES));
        region.sync();
        final byte[] bytes = Files.readAllBytes(file);
        final byte[] payload = new byte[Long.BYTES];
        message.getBytes(0, payload);
        boolean found = false;
        for (int at = 0; at + payload.length <= bytes.length && !found; at += Long.BYTES)
        {
            found = java.util.Arrays.equals(bytes, at, at + payload.length, payload, 0, payload.length);
        }
        assertTrue(found, "the record's payload is in the file");
        track(Region.create(config(ChannelKind.MANY_TO_ONE))).sync();
        region.close();
        assertThrows(RegionClosedException.class, region::sync);
    }

    @Test
    void createFailsWhenRegionExists()
    {
        track(Region.create(config(ChannelKind.ONE_TO_ONE)));
        assertThrows(RegionExistsException.class, () -> Region.create(config(ChannelKind.ONE_TO_ONE)));
    }

    @Test
    void attachOfMissingRegionIsTyped()
    {
        final RegionNotFoundException ex = assertThrows(RegionNotFoundException.class,
            () -> Region.attach(RegionLocation.shm(shmName), Duration.ofMillis(20)));
        assertTrue(ex.getMessage().contains(shmName), ex.getMessage());
    }

    @Test
    void permissionsAreAppliedExactly() throws Exception
    {
        final Path file = tempDir.resolve("region");
        final RegionConfig config = RegionConfig.builder(RegionLocation.file(file))
            .channel("c", ChannelKind.ONE_TO_ONE, 4096).permissions(0660).build();
        track(Region.create(config));
        assertEquals("rw-rw----", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        assertThrows(InvalidConfigurationException.class,
            () -> RegionConfig.builder(RegionLocation.file(file)).permissions(0666));
    }

    @Test
    void aDataAreaTooLargeToMapIsRefusedNamingTheOption()
    {
        final RegionConfig.Builder builder = RegionConfig.builder(RegionLocation.file(tempDir.resolve("huge")));
        for (final long length : new long[] {-1, RegionConfig.MAX_DATA_AREA_LENGTH + 1, Long.MAX_VALUE})
        {
            final InvalidConfigurationException refused = assertThrows(InvalidConfigurationException.class,
                () -> builder.dataAreaLength(length));
            assertTrue(refused.getMessage().contains("invalid dataAreaLength: region=" + tempDir.resolve("huge") +
                " dataAreaLength=" + length + " (0 to 70368744177664 bytes, 64 TiB)"), refused.getMessage());
        }
        assertSame(builder, builder.dataAreaLength(RegionConfig.MAX_DATA_AREA_LENGTH));
    }

    @Test
    void aDirectoryOrAnEmptyPathIsNoRegionAndSaysSo() throws Exception
    {
        final Path directory = Files.createDirectory(tempDir.resolve("dir"));
        final RegionConfig config = RegionConfig.builder(RegionLocation.file(directory))
            .channel("c", ChannelKind.ONE_TO_ONE, 4096).build();
        for (final Executable open : new Executable[] {() -> Region.create(config),
            () -> Region.openOrCreate(config), () -> Region.attach(RegionLocation.file(directory), Duration.ZERO)})
        {
            final NativeCallException refused = assertThrows(NativeCallException.class, open);
            assertTrue(refused.getMessage().contains("region=" + directory + " errno=21") &&
                refused.getMessage().contains("the path is a directory, not a region"), refused.getMessage());
        }
        assertTrue(Files.isDirectory(directory), "left as it was");
        final InvalidConfigurationException empty = assertThrows(InvalidConfigurationException.class,
            () -> RegionLocation.file(Path.of("")));
        assertTrue(empty.getMessage().contains("invalid region path"), empty.getMessage());
    }

    @Test
    void aLocationParsesBackFromItsOwnText()
    {
        for (final RegionLocation location : List.of(RegionLocation.shm("orders"),
            RegionLocation.file(tempDir.resolve("orders")), RegionLocation.anonymous("orders"),
            RegionLocation.descriptor(12, 3)))
        {
            assertEquals(location, RegionLocation.parse(location.toString()), location::toString);
        }
        assertEquals(RegionLocation.shm("orders"), RegionLocation.parse("orders"));
        assertEquals(RegionLocation.file(Path.of("orders")), RegionLocation.parse("file:orders"));
        assertEquals(RegionLocation.file(Path.of("dir/orders")), RegionLocation.parse("dir/orders"));
        assertThrows(InvalidConfigurationException.class, () -> RegionLocation.parse("shm:a/b"));
    }

    @Test
    void symlinkAtPathIsRefused() throws Exception
    {
        final Path target = tempDir.resolve("target");
        final Path link = tempDir.resolve("link");
        Files.createSymbolicLink(link, target);
        final RegionConfig config = RegionConfig.builder(RegionLocation.file(link))
            .channel("c", ChannelKind.ONE_TO_ONE, 4096).build();
        // O_CREAT|O_EXCL never follows a link: create is refused as existing, and nothing appears at the target.
        assertThrows(RegionExistsException.class, () -> Region.create(config));
        assertFalse(Files.exists(target));
        final RegionPermissionException ex = assertThrows(RegionPermissionException.class,
            () -> Region.attach(RegionLocation.file(link), Duration.ZERO));
        assertTrue(ex.getMessage().contains("symbolic link"), ex.getMessage());
    }

    @Test
    void useAfterCloseNeverTouchesMemory()
    {
        final Region region = Region.create(config(ChannelKind.ONE_TO_ONE));
        final Publisher publisher = region.publisher("c");
        final Subscriber subscriber = region.subscriber("c");
        region.close();
        assertTrue(publisher.isClosed());
        assertEquals(Publisher.CLOSED, publisher.offer(new UnsafeBuffer(new byte[8]), 0, 8));
        assertThrows(RegionClosedException.class, () -> subscriber.poll((b, o, l) -> { }, 1));
        assertThrows(RegionClosedException.class, () -> region.publisher("c"));
    }

    @Test
    void theChannelListAndItsWaitOnATruncatedFileAreTheTypedError() throws Exception
    {
        final Path file = tempDir.resolve("listed");
        try (Region region = Region.create(RegionConfig.builder(RegionLocation.file(file))
            .channel("c", ChannelKind.ONE_TO_ONE, 64 * 1024).build());
            RegionInspector inspector = RegionInspector.open(RegionLocation.file(file)))
        {
            final int changeCount = region.directory().channelList().changeCount();
            try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE))
            {
                channel.truncate(0);
            }
            final CorruptRegionException listed = assertThrows(CorruptRegionException.class,
                () -> region.directory().channelList());
            assertEquals("file.size", listed.field());
            final CorruptRegionException awaited = assertThrows(CorruptRegionException.class,
                () -> region.directory().awaitChannelChange(changeCount, Duration.ofSeconds(5)));
            assertEquals("file.size", awaited.field());
            // The same through an inspector's own mapping.
            assertEquals("file.size", assertThrows(CorruptRegionException.class, inspector::channels).field());
            assertEquals("file.size", assertThrows(CorruptRegionException.class,
                () -> inspector.awaitChannelChange(changeCount, Duration.ofSeconds(5))).field());
        }
    }

    /**
     * A channel's failure mark read from the mapping of a truncated file is not taken for another endpoint's finding
     * (a load that faults reads whatever HotSpot makes up): the endpoint that meets it reports the truncation, on
     * field {@code file.size}, as every endpoint of the region then does. Here the mark is real and the file cut just
     * after the channel's control block, so the read does not fault and the outcome does not depend on timing.
     */
    @Test
    void aFailureMarkReadFromATruncatedFileIsReportedAsTheTruncation() throws Exception
    {
        final Path file = tempDir.resolve("marked");
        try (Region region = Region.create(RegionConfig.builder(RegionLocation.file(file))
            .channel("c", ChannelKind.ONE_TO_ONE, 64 * 1024).build()))
        {
            final Publisher publisher = region.publisher("c");
            final long controlOffset = RegionInspectorAccess.controlOffset(region, "c");
            try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE))
            {
                final ByteBuffer mark = ByteBuffer.allocate(Integer.BYTES).order(ByteOrder.LITTLE_ENDIAN)
                    .putInt(0, ChannelDescriptor.FAILURE_RECORD);
                channel.write(mark, controlOffset + ChannelDescriptor.CHANNEL_FAILURE_OFFSET);
                channel.truncate(controlOffset + ChannelDescriptor.CONTROL_LENGTH);
            }
            final UnsafeBuffer message = new UnsafeBuffer(new byte[8]);
            assertEquals("file.size", assertThrows(CorruptRegionException.class,
                () -> publisher.offer(message, 0, message.capacity())).field());
        }
    }

    /**
     * Adding and removing channels and opening endpoints on a region whose file was truncated under it: each call,
     * every time, is the typed error on field {@code file.size}, never the JVM's raw {@link InternalError}.
     */
    @Test
    void directoryChangesAndEndpointOpensOnATruncatedFileAreTheTypedError() throws Exception
    {
        final Path file = tempDir.resolve("changed");
        try (Region region = Region.create(RegionConfig.builder(RegionLocation.file(file))
            .channel("c", ChannelKind.ONE_TO_ONE, 64 * 1024).dataAreaLength(1 << 20).build()))
        {
            try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE))
            {
                channel.truncate(0);
            }
            final ChannelSpec added = new ChannelSpec("added", ChannelKind.MANY_TO_ONE, 64 * 1024, 0);
            final List<Executable> calls = List.of(() -> region.directory().openOrCreateChannel(added),
                () -> region.directory().createChannel(added), () -> region.directory().removeChannel("c"),
                () -> region.publisher("c"), () -> region.subscriber("c"));
            for (int round = 0; round < 2; round++)
            {
                for (final Executable call : calls)
                {
                    assertEquals("file.size", assertThrows(CorruptRegionException.class, call).field());
                }
            }
        }
    }

    @Test
    void aStateNoCreatorWritesIsCorruptAtOnceEvenWhileTheInitByteIsLocked() throws Exception
    {
        final Path file = tempDir.resolve("state");
        Region.create(RegionConfig.builder(RegionLocation.file(file)).channel("c", ChannelKind.ONE_TO_ONE, 4096)
            .build()).close();
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE))
        {
            channel.write(java.nio.ByteBuffer.allocate(Integer.BYTES).order(java.nio.ByteOrder.LITTLE_ENDIAN)
                .putInt(0, 7), RegionHeaderDescriptor.STATE_OFFSET);
        }
        final int creator = Posix.open(file.toString(), PosixPlatform.O_RDWR, 0, "test");
        try
        {
            assertTrue(FileLocks.tryLock(creator, PosixPlatform.F_WRLCK, RegionHeaderDescriptor.INIT_LOCK_OFFSET, 1,
                "test"), "the init byte, as a creator holds it");
            // Only States 0 and 1 are a creator's: waiting for another would end in the attach timeout.
            final CorruptRegionException ex = assertThrows(CorruptRegionException.class,
                () -> Region.attach(RegionLocation.file(file), Duration.ofSeconds(30)));
            assertEquals("header.state", ex.field());
            assertEquals("7", ex.actual());
        }
        finally
        {
            Posix.close(creator, "test");
        }
    }

    @Test
    void truncatedRegionIsRejected() throws Exception
    {
        final Path file = tempDir.resolve("truncated");
        Files.write(file, new byte[100]);
        final CorruptRegionException ex = assertThrows(CorruptRegionException.class,
            () -> Region.attach(RegionLocation.file(file), Duration.ZERO));
        assertEquals("file.size", ex.field());
    }
}
