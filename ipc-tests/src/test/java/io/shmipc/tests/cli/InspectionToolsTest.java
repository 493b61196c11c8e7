package io.shmipc.tests.cli;

import io.shmipc.tests.support.ChildJvms;
import io.shmipc.Region;
import io.shmipc.RegionLocation;
import io.shmipc.toolkit.ChildProcess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.*;

/**
 * {@code shm-ipc list}, {@code stat} and {@code clean} run as separate processes against regions held by other
 * processes.
 */
@Timeout(120)
class InspectionToolsTest
{
    private static final Duration WAIT = Duration.ofSeconds(60);

    @TempDir
    Path directory;

    static ChildProcess tool(final String... args)
    {
        final List<String> command = new ArrayList<>(ChildJvms.javaCommand(List.of()));
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add("io.shmipc.examples.cli.ShmIpcCommand");
        command.addAll(List.of(args));
        return ChildProcess.start("shm-ipc " + String.join(" ", args), command);
    }

    static long jsonLong(final String json, final String field)
    {
        final Matcher matcher = Pattern.compile("\"" + field + "\":(-?\\d+)").matcher(json);
        assertTrue(matcher.find(), field + " missing in " + json);
        return Long.parseLong(matcher.group(1));
    }

    @Test
    void statJsonReportsWhatThePeerSentAndConsumed()
    {
        final String name = "shmipc-stat-" + UUID.randomUUID();
        try (ChildProcess peer = ChildJvms.start(ToolPeer.class, name, "250", "fixed"))
        {
            peer.awaitLineStartingWith("READY", WAIT);
            final ChildProcess stat = tool("stat", name, "--json");
            stat.awaitSuccess(WAIT);
            final String json = stat.lines().get(0);
            assertEquals(250, jsonLong(json, "publishedMessages"));
            assertEquals(25_000, jsonLong(json, "publishedBytes"));
            assertEquals(10, jsonLong(json, "consumedMessages"));
            // 240 records left of 8 header + 100 payload bytes, aligned to 8.
            assertEquals(240 * 112L, jsonLong(json, "producerPosition") - jsonLong(json, "consumerPosition"));
            assertTrue(json.contains("\"role\":\"publisher\",\"pid\":" + peer.pid() + ",\"alive\":true"), json);
            // Nobody blocks on this channel: both wake-up counts are there, and zero.
            assertEquals(0, jsonLong(json, "blockingSubscribers"));
            assertEquals(0, jsonLong(json, "waiters"));

            final ChildProcess table = tool("stat", name);
            table.awaitSuccess(WAIT);
            // One line for the channel: capacity, fill, bytes waiting, rates (none on a first look), published,
            // consumed, lost, live publishers and subscribers.
            assertTrue(table.lines().stream().anyMatch(line ->
                line.matches("c +ONE_TO_ONE +1 MiB +2\\.6% +26\\.3 KiB +- +- +250 +10 +0 +1 +1")), table.output());
            final ChildProcess wide = tool("stat", name, "--wide");
            wide.awaitSuccess(WAIT);
            assertTrue(wide.lines().stream().anyMatch(line ->
                line.matches(" +publisher +slot 0 +pid " + peer.pid() + " +ToolPeer +alive .*")), wide.output());
            peer.send("exit");
            peer.awaitSuccess(WAIT);
        }
        finally
        {
            Region.delete(RegionLocation.shm(name));
        }
    }

    @Test
    void statWatchJsonMovesWhileMessagesFlow()
    {
        final String name = "shmipc-watch-" + UUID.randomUUID();
        try (ChildProcess peer = ChildJvms.start(ToolPeer.class, name, "0", "stream"))
        {
            peer.awaitLineStartingWith("READY", WAIT);
            final ChildProcess watch = tool("stat", name, "--watch", "200ms", "--count", "4", "--json");
            watch.awaitSuccess(WAIT);
            final List<String> lines = watch.lines();
            assertEquals(4, lines.size(), watch.output());
            long previous = -1;
            for (final String line : lines)
            {
                final long published = jsonLong(line, "publishedMessages");
                assertTrue(published > previous, "published must grow between refreshes: " + watch.output());
                previous = published;
            }
            assertTrue(lines.get(3).matches(".*\"messagesPerSecond\":[1-9].*"), lines.get(3));
            peer.send("exit");
            peer.awaitSuccess(WAIT);
        }
        finally
        {
            Region.delete(RegionLocation.shm(name));
        }
    }

    @Test
    void statReadsARegionTheShellHandsItAsADescriptor()
    {
        final Path file = directory.resolve("handed");
        try (ChildProcess peer = ChildJvms.start(ToolPeer.class, file.toString(), "1", "fixed"))
        {
            peer.awaitLineStartingWith("READY", WAIT);
            final List<String> command = new ArrayList<>(List.of("bash", "-c", "exec \"$@\" 9<\"$0\"",
                file.toString()));
            command.addAll(ChildJvms.javaCommand(List.of()));
            command.addAll(List.of("-cp", System.getProperty("java.class.path"), "io.shmipc.examples.cli.ShmIpcCommand",
                "stat", "/proc/self/fd/9", "--json"));
            final ChildProcess stat = ChildProcess.start("shm-ipc stat /proc/self/fd/9", command);
            stat.awaitSuccess(WAIT);
            assertTrue(stat.output().contains("\"role\":\"publisher\",\"pid\":" + peer.pid()), stat.output());
            peer.send("exit");
            peer.awaitSuccess(WAIT);
        }
    }

    @Test
    void statRefusesAFileThatIsNotARegionAtOnceWithOrWithoutWatch() throws Exception
    {
        // Regions are built under a temporary name and linked to their own when complete, so a file at a region's
        // name is never one its creator has still to write: an empty file or one of zeros is not a region, and a
        // watch must not wait for it to become one.
        final Path empty = Files.createFile(directory.resolve("empty"));
        final Path zeros = Files.write(directory.resolve("zeros"), new byte[4096]);
        for (final String[] fileAndField : new String[][] {{empty.toString(), "file.size"},
            {zeros.toString(), "header.magic"}})
        {
            for (final List<String> options : List.of(List.<String>of(), List.of("--watch", "100ms", "--count", "3")))
            {
                final List<String> args = new ArrayList<>(List.of("stat", fileAndField[0]));
                args.addAll(options);
                final ChildProcess stat = tool(args.toArray(new String[0]));
                assertEquals(1, stat.awaitExit(Duration.ofSeconds(30)), stat.output());
                assertTrue(stat.output().contains("field=" + fileAndField[1]), stat.output());
            }
        }
        assertEquals(0, Files.size(empty));
        assertArrayEquals(new byte[4096], Files.readAllBytes(zeros));
    }

    @Test
    void cleanRemovesOnlyRegionsOfDeadProcessesAndListShowsBoth() throws Exception
    {
        final Path dead = directory.resolve("dead-region");
        final Path live = directory.resolve("live-region");
        try (ChildProcess deadPeer = ChildJvms.start(ToolPeer.class, dead.toString(), "1", "fixed");
            ChildProcess livePeer = ChildJvms.start(ToolPeer.class, live.toString(), "1", "fixed"))
        {
            deadPeer.awaitLineStartingWith("READY", WAIT);
            livePeer.awaitLineStartingWith("READY", WAIT);
            deadPeer.kill();

            final ChildProcess list = tool("list", "--no-shm", "--dir", directory.toString(), "--json");
            list.awaitSuccess(WAIT);
            assertEquals(2, list.lines().size(), list.output());
            assertTrue(list.output().contains("\"region\":\"" + dead + "\"") &&
                list.lines().get(0).contains("\"state\":\"stale\""), list.output());
            assertTrue(list.lines().get(1).contains("\"state\":\"live\""), list.output());

            final ChildProcess dryRun = tool("clean", "--no-shm", "--dir", directory.toString(), "--dry-run");
            dryRun.awaitSuccess(WAIT);
            assertTrue(Files.exists(dead), "a dry run deletes nothing");

            final ChildProcess clean = tool("clean", "--no-shm", "--dir", directory.toString());
            clean.awaitSuccess(WAIT);
            assertTrue(clean.output().contains("deleted " + dead), clean.output());
            assertTrue(clean.output().contains("stale regions deleted: 1"), clean.output());
            assertFalse(Files.exists(dead));
            assertTrue(Files.exists(live));

            final ChildProcess stat = tool("stat", live.toString(), "--json");
            stat.awaitSuccess(WAIT);
            assertTrue(stat.output().contains("\"alive\":true"), "the live region is untouched: " + stat.output());
            livePeer.send("exit");
            livePeer.awaitSuccess(WAIT);
        }
    }

    @Test
    void statOfMissingRegionFailsWithExitCodeOne()
    {
        final ChildProcess stat = tool("stat", "shmipc-missing-" + UUID.randomUUID());
        assertEquals(1, stat.awaitExit(WAIT));
        assertTrue(stat.output().contains("no such region"), stat.output());
        final ChildProcess usage = tool("stat");
        assertEquals(2, usage.awaitExit(WAIT));
    }
}
