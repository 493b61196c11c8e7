package io.shmipc.tests.channels;

import io.shmipc.ChannelKind;
import io.shmipc.Region;
import io.shmipc.RegionConfig;
import io.shmipc.RegionLocation;
import io.shmipc.examples.cli.ShmIpcCommand;
import io.shmipc.examples.support.RegionSupport;
import io.shmipc.tests.support.ChildArguments;
import io.shmipc.tests.support.ChildProcesses;
import io.shmipc.toolkit.ChildProcess;
import io.shmipc.tests.support.RegionDumpOnFailure;
import io.shmipc.tests.support.Summary;
import io.shmipc.tests.support.UnprivilegedJava;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Create, attach and {@code openOrCreate} by processes of an ordinary user. These machines run the tests as
 * root, and root passes every permission check, so without this class a library that only works for root would
 * pass; here the children run as {@code nobody} through {@code setpriv} (skipped when the tests do not run as
 * root: then every other test already runs unprivileged).
 */
class UnprivilegedUserTest
{
    private static final long MESSAGES = 10_000;
    private static final int RACERS = 4;

    @RegisterExtension
    final RegionDumpOnFailure dump = new RegionDumpOnFailure();

    @TempDir
    Path directory;

    private final ChildProcesses children = new ChildProcesses();
    private final RegionLocation location = dump.watch(RegionLocation.shm("shmipc-test-" + UUID.randomUUID()));
    private UnprivilegedJava unprivileged;

    @BeforeEach
    void setUp()
    {
        UnprivilegedJava.require();
        unprivileged = UnprivilegedJava.prepare(directory);
    }

    @AfterEach
    void tearDown()
    {
        children.close();
        Region.delete(location);
    }

    @Test
    @Timeout(60)
    void unprivilegedProducerCreatesAndUnprivilegedConsumerAttaches() throws Exception
    {
        final String region = "region=" + ChildArguments.format(location);
        final ChildProcess producer = start(RingProducer.class, region, "channel=c", "count=" + MESSAGES,
            "seed=" + System.nanoTime(), "create=true", "capacity=65536");
        producer.awaitLineStartingWith("READY ", Duration.ofSeconds(30));
        assertEquals(UnprivilegedJava.NOBODY, ((Number)Files.getAttribute(location.path(), "unix:uid")).intValue());
        final ChildProcess consumer = start(RingConsumer.class, region, "channel=c", "count=" + MESSAGES);
        RingStreamAssertions.assertDelivered(consumer, List.of(producer), MESSAGES, Duration.ofSeconds(40));
    }

    @Test
    @Timeout(60)
    void unprivilegedOpenOrCreateRaceHasOneCreatorAndNoPermissionError()
    {
        final List<ChildProcess> racers = new ArrayList<>();
        for (int id = 0; id < RACERS; id++)
        {
            racers.add(start(OpenOrCreateRacer.class, "region=" + ChildArguments.format(location), "id=" + id,
                "racers=" + RACERS));
        }
        for (final ChildProcess racer : racers)
        {
            racer.awaitLineStartingWith("READY ", Duration.ofSeconds(40));
        }
        racers.forEach(racer -> racer.send("GO"));
        int creators = 0;
        for (final ChildProcess racer : racers)
        {
            creators += Boolean.parseBoolean(Summary.parse(racer.awaitLineStartingWith("OPENED ",
                Duration.ofSeconds(30))).text("created")) ? 1 : 0;
        }
        assertEquals(1, creators, "creators");
        for (final ChildProcess racer : racers)
        {
            racer.awaitLineStartingWith("ACKED ", Duration.ofSeconds(30));
            racer.awaitSuccess(Duration.ofSeconds(10));
        }
    }

    @Test
    @Timeout(60)
    void listAndCleanRunAsAnotherUserNameTheFilesTheyMayNotReadInsteadOfLeavingThemOutSilently() throws Exception
    {
        final Path regions = Files.createDirectory(directory.resolve("regions"));
        Files.setPosixFilePermissions(regions, PosixFilePermissions.fromString("rwxr-xr-x"));
        final RegionLocation shared = RegionLocation.file(regions.resolve("shared"));
        final RegionLocation mine = RegionLocation.file(regions.resolve("mine"));
        Region.create(RegionConfig.builder(shared).permissions(0644).channel("c", ChannelKind.ONE_TO_ONE, 64 * 1024)
            .build()).close();
        Region.create(RegionConfig.builder(mine).permissions(0600).channel("c", ChannelKind.ONE_TO_ONE, 64 * 1024)
            .build()).close();
        final ChildProcess list = start(ShmIpcCommand.class, "list", "--no-shm", "--no-anonymous", "--dir",
            regions.toString());
        list.awaitSuccess(Duration.ofSeconds(30));
        assertTrue(list.lines().stream().anyMatch(line -> line.startsWith(shared + " ")), list::output);
        assertTrue(list.lines().stream().noneMatch(line -> line.startsWith(mine.toString())), list::output);
        assertTrue(list.lines().contains("shm-ipc list: left out 1 file this user may not read, regions or not " +
            "(run as the owner or root to see them): " + mine.path() + " (owner root)"), list::output);
        final ChildProcess clean = start(ShmIpcCommand.class, "clean", "--dry-run", "--no-shm", "--dir",
            regions.toString());
        clean.awaitSuccess(Duration.ofSeconds(30));
        assertTrue(clean.lines().contains("shm-ipc clean: left out 1 file this user may not read, regions or not " +
            "(run as the owner or root to see them): " + mine.path() + " (owner root)"), clean::output);
        // A stale region this user may read but not write: neither run removes it, and both say why.
        final String leftAlone = "leave alone " + shared + " (" + RegionSupport.bytes(Files.size(shared.path())) +
            "): no process uses it, but this user may not write it";
        assertTrue(clean.lines().contains("would " + leftAlone + " (run as its owner or root to delete it)"),
            clean::output);
        final ChildProcess realClean = start(ShmIpcCommand.class, "clean", "--no-shm", "--dir", regions.toString());
        realClean.awaitSuccess(Duration.ofSeconds(30));
        assertTrue(realClean.output().contains("left alone " + shared), realClean::output);
        assertTrue(Files.exists(shared.path()));
    }

    private ChildProcess start(final Class<?> mainClass, final String... args)
    {
        return children.start(mainClass.getSimpleName() + " as nobody", unprivileged.command(mainClass, args));
    }
}
