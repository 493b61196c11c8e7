package io.shmipc.tests.channels;

import io.shmipc.ChannelKind;
import io.shmipc.Region;
import io.shmipc.RegionConfig;
import io.shmipc.RegionLocation;
import io.shmipc.exceptions.CorruptRegionException;
import io.shmipc.exceptions.IncompatibleLayoutException;
import io.shmipc.exceptions.RegionNotFoundException;
import io.shmipc.exceptions.ShmIpcException;
import io.shmipc.layout.DirectoryDescriptor;
import io.shmipc.layout.RegionHeaderDescriptor;
import io.shmipc.tests.support.ChildArguments;
import io.shmipc.tests.support.ChildProcesses;
import io.shmipc.toolkit.ChildProcess;
import io.shmipc.tests.support.RegionDumpOnFailure;
import io.shmipc.tests.support.Summary;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Attaching to a region that is missing or damaged must fail with a typed exception naming the bad field, and
 * must leave the attaching JVM sound: a region whose directory points past the end of the file would crash a JVM
 * with {@code SIGBUS} if the library touched it. Each damage is made with plain file I/O on a region the library
 * created, then attached to both in this JVM (to assert the exception object) and from a child JVM, which must
 * report the same and then still pass a message through a fresh region and exit normally.
 */
class CorruptRegionAttachTest
{
    private static final Duration ATTACH_TIMEOUT = Duration.ofMillis(200);

    @RegisterExtension
    final RegionDumpOnFailure dump = new RegionDumpOnFailure();

    private final ChildProcesses children = new ChildProcesses();
    private final List<RegionLocation> locations = new ArrayList<>();

    /**
     * One way of damaging a region, and what attach must report.
     */
    enum Damage
    {
        MISSING(RegionNotFoundException.class, null, null),
        WRONG_MAGIC(CorruptRegionException.class, "header.magic", "0x123456789abcdef"),
        NEWER_MAJOR_VERSION(IncompatibleLayoutException.class, "header.majorVersion",
            (RegionHeaderDescriptor.MAJOR_VERSION + 1) + "." + RegionHeaderDescriptor.MINOR_VERSION),
        TRUNCATED_BELOW_HEADER(CorruptRegionException.class, "file.size", "1000"),
        TRUNCATED_BELOW_REGION_LENGTH(CorruptRegionException.class, "header.regionLength", null),
        DIRECTORY_ENTRY_PAST_END(CorruptRegionException.class, "directory[1].channelOffset", null);

        final Class<? extends ShmIpcException> exception;
        final String field;
        final String actual;

        Damage(final Class<? extends ShmIpcException> exception, final String field, final String actual)
        {
            this.exception = exception;
            this.field = field;
            this.actual = actual;
        }

        void applyTo(final RegionLocation location) throws IOException
        {
            if (this == MISSING)
            {
                return;
            }
            Region.create(RegionConfig.builder(location)
                .channel("first", ChannelKind.ONE_TO_ONE, 64 * 1024)
                .channel("second", ChannelKind.BROADCAST, 64 * 1024)
                .build()).close();
            final Path file = location.path();
            try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE))
            {
                switch (this)
                {
                    case WRONG_MAGIC:
                        writeLong(channel, RegionHeaderDescriptor.MAGIC_OFFSET, 0x0123_4567_89AB_CDEFL);
                        break;
                    case NEWER_MAJOR_VERSION:
                        writeInt(channel, RegionHeaderDescriptor.MAJOR_VERSION_OFFSET,
                            RegionHeaderDescriptor.MAJOR_VERSION + 1);
                        break;
                    case TRUNCATED_BELOW_HEADER:
                        channel.truncate(1000);
                        break;
                    case TRUNCATED_BELOW_REGION_LENGTH:
                        channel.truncate(channel.size() / 2);
                        break;
                    case DIRECTORY_ENTRY_PAST_END:
                        final long secondEntry =
                            RegionHeaderDescriptor.HEADER_LENGTH + DirectoryDescriptor.ENTRY_LENGTH;
                        writeLong(channel, secondEntry + DirectoryDescriptor.CHANNEL_OFFSET_OFFSET,
                            channel.size() + RegionHeaderDescriptor.PAGE_SIZE);
                        break;
                    default:
                        throw new IllegalStateException(name());
                }
            }
        }

        private static void writeLong(final FileChannel channel, final long offset, final long value)
            throws IOException
        {
            channel.write(ByteBuffer.allocate(Long.BYTES).order(ByteOrder.LITTLE_ENDIAN).putLong(0, value), offset);
        }

        private static void writeInt(final FileChannel channel, final long offset, final int value)
            throws IOException
        {
            channel.write(ByteBuffer.allocate(Integer.BYTES).order(ByteOrder.LITTLE_ENDIAN).putInt(0, value),
                offset);
        }
    }

    @AfterEach
    void tearDown() throws IOException
    {
        children.close();
        // Region.delete refuses a file whose magic is not a region's: these were damaged on purpose.
        for (final RegionLocation location : locations)
        {
            Files.deleteIfExists(location.path());
        }
    }

    @ParameterizedTest
    @EnumSource(Damage.class)
    @Timeout(30)
    void attachInThisJvmFailsTypedNamingTheField(final Damage damage) throws IOException
    {
        final RegionLocation location = damaged(damage);
        final ShmIpcException ex = assertThrows(damage.exception, () -> Region.attach(location, ATTACH_TIMEOUT));
        assertEquals(damage.exception, ex.getClass(), ex::toString);
        assertTrue(ex.getMessage().contains(location.shmName()), ex::getMessage);
        if (damage.field != null)
        {
            final CorruptRegionException corrupt = (CorruptRegionException)ex;
            assertEquals(damage.field, corrupt.field(), ex::getMessage);
            assertTrue(ex.getMessage().contains("field=" + damage.field), ex::getMessage);
            if (damage.actual != null)
            {
                assertEquals(damage.actual, corrupt.actual(), ex::getMessage);
            }
        }
    }

    @Test
    @Timeout(60)
    void childJvmReportsEveryDamageTypedAndSurvives() throws IOException
    {
        final List<String> args = new ArrayList<>();
        for (final Damage damage : Damage.values())
        {
            args.add("probe." + damage.name() + "=" + ChildArguments.format(damaged(damage)));
        }
        final RegionLocation selfCheck = RegionLocation.shm("shmipc-test-" + UUID.randomUUID());
        locations.add(selfCheck);
        args.add("selfCheck=" + ChildArguments.format(selfCheck));
        args.add("attachTimeoutMs=" + ATTACH_TIMEOUT.toMillis());

        final ChildProcess probe = children.start(AttachProbe.class, args.toArray(new String[0]));
        for (final Damage damage : Damage.values())
        {
            final Summary result = Summary.parse(probe.awaitLineStartingWith("PROBE label=" + damage.name() + " ",
                Duration.ofSeconds(30)));
            System.out.println(result.line());
            result.assertText("class", damage.exception.getSimpleName())
                .assertText("field", damage.field == null ? "-" : damage.field);
            if (damage.actual != null)
            {
                result.assertText("actual", damage.actual);
            }
        }
        Summary.parse(probe.awaitLineStartingWith("ALIVE ", Duration.ofSeconds(20))).assertValue("received", 42);
        probe.awaitSuccess(Duration.ofSeconds(10));
    }

    private RegionLocation damaged(final Damage damage) throws IOException
    {
        final RegionLocation location = dump.watch(RegionLocation.shm("shmipc-test-" + UUID.randomUUID()));
        locations.add(location);
        damage.applyTo(location);
        return location;
    }
}
