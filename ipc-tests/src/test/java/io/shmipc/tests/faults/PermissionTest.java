package io.shmipc.tests.faults;

import io.shmipc.tests.support.Prerequisites;
import io.shmipc.tests.support.ChildJvms;
import io.shmipc.Publisher;
import io.shmipc.Region;
import io.shmipc.RegionConfig;
import io.shmipc.RegionLocation;
import io.shmipc.RegionSummary;
import io.shmipc.Regions;
import io.shmipc.Subscriber;
import io.shmipc.toolkit.ChildProcess;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static io.shmipc.tests.faults.FaultSupport.START_TIMEOUT;
import static io.shmipc.tests.faults.FaultSupport.STEP_TIMEOUT;
import static org.junit.jupiter.api.Assertions.*;

/**
 * The permission model across users: a region created by root with mode 0600 is refused to another user, and
 * one with mode 0660 whose group is the other user's group is shared with it.
 * <p>
 * The other user is {@code nobody} (uid 65534, group {@code nogroup}, gid 65534), reached with
 * {@code setpriv --reuid=65534 --regid=65534 --clear-groups}. Group sharing is arranged the way an operator
 * would: the creator makes the region 0660 and then changes its group to the shared group ({@code chown
 * :65534}); both regions get that group, so only the mode decides. Its JVM cannot read root's Maven repository
 * or the build directories, so the test class path is copied to a world-readable temporary directory, and
 * {@code java.io.tmpdir} and {@code jna.tmpdir} point at a directory it may write.
 */
class PermissionTest
{
    private static final int OTHER_ID = 65534;

    private static Path sandbox;
    private static List<String> otherUserJava;

    private final List<RegionLocation> locations = new ArrayList<>();

    @BeforeAll
    static void prepareSandbox() throws IOException
    {
        if (!Prerequisites.isRoot())
        {
            return;
        }
        sandbox = Files.createTempDirectory("shmipc-faults-permissions-");
        Files.setPosixFilePermissions(sandbox, PosixFilePermissions.fromString("rwxr-xr-x"));
        final Path classes = Files.createDirectory(sandbox.resolve("classpath"));
        final Path temp = Files.createDirectory(sandbox.resolve("tmp"));
        Files.setPosixFilePermissions(temp, PosixFilePermissions.fromString("rwxrwxrwx"));
        final List<String> classPath = new ArrayList<>();
        int index = 0;
        for (final String entry : System.getProperty("java.class.path").split(java.io.File.pathSeparator))
        {
            final Path source = Path.of(entry);
            if (!Files.exists(source))
            {
                continue;
            }
            final Path copy = classes.resolve(index++ + "-" + source.getFileName());
            copyReadable(source, copy);
            classPath.add(copy.toString());
        }
        final List<String> command = new ArrayList<>(List.of("env", "--chdir=" + temp, "setpriv",
            "--reuid=" + OTHER_ID, "--regid=" + OTHER_ID, "--clear-groups"));
        command.addAll(ChildJvms.javaCommand(List.of("-Djava.io.tmpdir=" + temp, "-Djna.tmpdir=" + temp,
            "-Duser.home=" + temp, "-XX:-UsePerfData")));
        command.addAll(List.of("-cp", String.join(java.io.File.pathSeparator, classPath)));
        otherUserJava = command;
    }

    @AfterAll
    static void deleteSandbox() throws IOException
    {
        if (sandbox != null)
        {
            try (Stream<Path> paths = Files.walk(sandbox))
            {
                for (final Path path : paths.sorted(Comparator.reverseOrder()).toList())
                {
                    Files.deleteIfExists(path);
                }
            }
        }
    }

    @AfterEach
    void deleteRegions()
    {
        locations.forEach(FaultSupport::deleteQuietly);
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void regionWithMode0600IsRefusedToAnotherUser() throws IOException
    {
        Prerequisites.requireRoot("running a child as another user (setpriv)");
        final RegionLocation location = location("private");
        try (Region region = Region.create(EndpointHolderMain.channels(location)))
        {
            Files.setAttribute(location.path(), "unix:gid", OTHER_ID);
            assertMode(location, 0600);
            try (ChildProcess other = startAsOtherUser(location, "pub:up"))
            {
                final String failed = other.awaitLineStartingWith("FAILED ", START_TIMEOUT);
                assertTrue(failed.startsWith("FAILED RegionPermissionException "), failed);
                assertTrue(failed.contains("permission denied"), failed);
                assertEquals(3, other.awaitExit(STEP_TIMEOUT));
            }
            assertFalse(region.isClosed());
        }
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void regionWithMode0660IsSharedWithItsGroup() throws IOException
    {
        Prerequisites.requireRoot("running a child as another user (setpriv)");
        final RegionLocation location = location("shared");
        final RegionConfig config = RegionConfig.builder(location)
            .channel("up", io.shmipc.ChannelKind.ONE_TO_ONE, 64 * 1024)
            .channel("down", io.shmipc.ChannelKind.ONE_TO_ONE, 64 * 1024)
            .permissions(0660)
            .build();
        try (Region region = Region.create(config);
            Subscriber up = region.subscriber("up");
            Publisher down = region.publisher("down"))
        {
            Files.setAttribute(location.path(), "unix:gid", OTHER_ID);
            assertMode(location, 0660);
            try (ChildProcess other = startAsOtherUser(location, "pub:up", "sub:down"))
            {
                final String ready = other.awaitLineStartingWith("READY ", START_TIMEOUT);
                final long otherPid = FaultSupport.longField(ready, "pid");
                assertEquals(OTHER_ID, ((Number)Files.getAttribute(Path.of("/proc/" + otherPid), "unix:uid"))
                    .intValue(), "the peer runs as the other user");
                final String[] text = new String[1];
                assertEquals(1, up.poll((buffer, offset, length) -> text[0] =
                    buffer.getStringWithoutLengthUtf8(offset, length), 1, new BackoffIdleStrategy(),
                    Duration.ofSeconds(10)));
                assertEquals("hello from pid=" + otherPid, text[0]);
                final byte[] ping = "ping from root".getBytes(StandardCharsets.UTF_8);
                assertEquals(Publisher.OK, down.offer(new UnsafeBuffer(ping), 0, ping.length));
                other.awaitLineStartingWith("GOT down ping from root", STEP_TIMEOUT);
                other.send("EXIT");
                other.awaitSuccess(STEP_TIMEOUT);
            }
        }
    }

    private RegionLocation location(final String label)
    {
        final RegionLocation location = RegionLocation.shm(FaultSupport.uniqueName("perm-" + label));
        locations.add(location);
        return location;
    }

    private static ChildProcess startAsOtherUser(final RegionLocation location, final String... endpoints)
    {
        final List<String> command = new ArrayList<>(otherUserJava);
        command.add(EndpointHolderMain.class.getName());
        command.add(location.shmName());
        command.addAll(List.of(endpoints));
        return ChildProcess.start("EndpointHolderMain as uid " + OTHER_ID, command);
    }

    private static void assertMode(final RegionLocation location, final int mode)
    {
        final RegionSummary summary = Regions.summarize(location);
        assertEquals(0, summary.ownerUid(), summary.toString());
        assertEquals(mode, summary.permissions(), summary.toString());
    }

    private static void copyReadable(final Path source, final Path target) throws IOException
    {
        if (Files.isDirectory(source))
        {
            try (Stream<Path> paths = Files.walk(source))
            {
                for (final Path path : paths.toList())
                {
                    final Path copy = target.resolve(source.relativize(path).toString());
                    if (Files.isDirectory(path))
                    {
                        Files.createDirectories(copy);
                        Files.setPosixFilePermissions(copy, PosixFilePermissions.fromString("rwxr-xr-x"));
                    }
                    else
                    {
                        Files.copy(path, copy);
                        Files.setPosixFilePermissions(copy, PosixFilePermissions.fromString("rw-r--r--"));
                    }
                }
            }
        }
        else
        {
            Files.copy(source, target);
            Files.setPosixFilePermissions(target, PosixFilePermissions.fromString("rw-r--r--"));
        }
    }
}
