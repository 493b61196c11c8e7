package io.shmipc.tests.cli;

import io.shmipc.toolkit.ChildProcess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code shm-ipc stat --watch} as a user (or a script reading its pipe) sees it: a line per channel within 120
 * columns, a row per broadcast receiver, a timestamp per refresh, no escape codes into a pipe, a region waited for
 * and followed through deletion and re-creation, and channels filtered.
 */
@Timeout(240)
class StatWatchTest extends CliTestBase
{
    private static final String TIMESTAMP = "\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d(\\.\\d+)?Z  region .*";

    @Test
    void everyBroadcastReceiverHasItsRowAndEveryRefreshItsTimestampWithin120PlainColumns()
    {
        final String region = uniqueRegion("stat-bcast");
        final ChildProcess fast = launch("market-subscriber", "--region", region);
        final ChildProcess slow = launch("market-subscriber", "--region", region, "--slow");
        awaitOutput(fast, "waiting for quotes");
        awaitOutput(slow, "waiting for quotes");
        final ChildProcess feed = launch("market-feed", "--region", region, "--rate", "20000");
        awaitPublished(region, "quotes", 20_000);

        final ChildProcess stat = launch("stat", region, "--watch", "200ms", "--count", "3");
        assertEquals(0, stat.awaitExit(RUN), stat::output);
        final List<String> lines = stat.lines();
        assertFalse(stat.output().contains("\u001b"), "no escape codes into a pipe");
        assertTrue(lines.stream().allMatch(line -> line.length() <= 120), stat::output);
        assertEquals(3, lines.stream().filter(line -> line.matches(TIMESTAMP)).count(), stat::output);
        assertEquals(2, lines.stream().filter(String::isEmpty).count(), "a blank line between refreshes");
        // No consumed count: each receiver has its own row.
        final String channelRow = "quotes +BROADCAST +1 MiB +- +- +\\S+ +\\S+ +\\d+ +- +\\d+ +1 +2";
        assertEquals(3, lines.stream().filter(line -> line.matches(channelRow)).count(), stat::output);
        final String fastRow = " +receiver slot +\\d+ +pid " + fast.pid() + " +market-subscriber +at [\\d,]+  behind " +
            "[\\d,]+  lost 0";
        final String slowRow = " +receiver slot +\\d+ +pid " + slow.pid() + " +market-subscriber --slow +at [\\d,]+  " +
            "behind [\\d,]+  lost [\\d,]+";
        assertEquals(3, lines.stream().filter(line -> line.matches(fastRow)).count(), stat::output);
        assertEquals(3, lines.stream().filter(line -> line.matches(slowRow)).count(), stat::output);

        feed.signal("INT");
        assertEquals(130, feed.awaitExit(RUN), feed::output);
        assertEquals(0, fast.awaitExit(RUN), fast::output);
        assertEquals(0, slow.awaitExit(RUN), slow::output);
    }

    /**
     * A report whose standard output cannot be written (a full disk here; a closed pipe alike) fails with exit 1 and
     * says so, and a watch ends at its first refresh instead of refreshing into nothing for ever.
     */
    @Test
    void reportsThatCannotBeWrittenFailAndAWatchEnds() throws Exception
    {
        final String region = uniqueRegion("stat-full");
        assertEquals(0, launch("send", "--region", region, "--count", "3").awaitExit(RUN));
        try
        {
            for (final List<String> command : List.of(List.of("stat", region, "--json"), List.of("list"),
                List.of("peek", region), List.of("stat", region, "--watch", "100ms")))
            {
                final Process process = new ProcessBuilder(launcherCommand(command.toArray(String[]::new)))
                    .redirectOutput(new File("/dev/full")).redirectError(ProcessBuilder.Redirect.PIPE).start();
                final String errors = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
                assertTrue(process.waitFor(RUN.toSeconds(), TimeUnit.SECONDS), command + " ended");
                assertEquals(1, process.exitValue(), command + ": " + errors);
                assertTrue(errors.contains("shm-ipc " + command.get(0) + ": error: cannot write to standard output " +
                    "(closed, or the disk is full): what it printed is incomplete"), command + ": " + errors);
                if (command.contains("--watch"))
                {
                    assertTrue(errors.contains("] done: refreshes=0 stop=failed"), command + ": " + errors);
                }
            }
        }
        finally
        {
            assertEquals(0, launch("rm", "--force", region).awaitExit(RUN));
        }
    }

    /**
     * A receive whose reader leaves the pipe ({@code receive | head -1}) fails with exit 1 after its {@code done:}
     * line, and, as the only subscriber of the ring, removes the region as it would after any other stop.
     */
    @Test
    void aReceiveWhoseReaderLeftPrintsItsDoneLineAndReleasesTheRegion() throws Exception
    {
        final String region = uniqueRegion("receive-pipe");
        final Process receive = receiveAfterSending(region);
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(receive.getInputStream(),
            StandardCharsets.UTF_8)))
        {
            assertTrue(lines.readLine().startsWith("message 0 from send"));
        } // the reader leaves
        final String errors = new String(receive.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(receive.waitFor(RUN.toSeconds(), TimeUnit.SECONDS), "receive ended");
        assertEquals(1, receive.exitValue(), errors);
        final int done = errors.indexOf("] done: received=");
        final int error = errors.indexOf("shm-ipc receive: error: cannot write to standard output (Broken pipe): " +
            "what it printed is incomplete"); // the same words as every command's, with the system's reason
        assertTrue(done >= 0 && errors.indexOf("stop=failed", done) > done && error > done, errors);
        assertFalse(shmExists(region), errors);
    }

    /**
     * A log writer whose standard output is a full disk fails as {@code receive} does: its {@code done:} line, then
     * the one-line error with the system's reason, exit 1, and no stack trace.
     */
    @Test
    void aLogWriterWhoseOutputFailsPrintsItsDoneLineAndTheError() throws Exception
    {
        final String region = uniqueRegion("logs-full");
        final Process writer = new ProcessBuilder(launcherCommand("log-writer", "--region", region))
            .redirectOutput(new File("/dev/full")).redirectError(ProcessBuilder.Redirect.PIPE).start();
        try
        {
            awaitRegion(region);
            launch("log-shipper", "--region", region, "--count", "100").awaitExit(RUN); // 0, or 4 if the writer died
            final String errors = new String(writer.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(writer.waitFor(RUN.toSeconds(), TimeUnit.SECONDS), "log-writer ended");
            assertEquals(1, writer.exitValue(), errors);
            final int done = errors.indexOf("] done: lines=");
            final int error = errors.indexOf("shm-ipc log-writer: error: cannot write to standard output (No space " +
                "left on device): what it printed is incomplete");
            assertTrue(done >= 0 && errors.indexOf("stop=failed", done) > done && error > done, errors);
            assertFalse(errors.contains("Exception"), errors);
        }
        finally
        {
            writer.destroyForcibly();
            if (shmExists(region))
            {
                launch("rm", "--force", region).awaitExit(RUN);
            }
        }
    }

    /**
     * A log writer whose {@code --output} cannot be opened (a directory that does not exist, a directory) says so in
     * one line naming the file and the system's reason, exit 1, with no stack trace and no region left behind.
     */
    @Test
    void aLogWriterWhoseOutputCannotBeOpenedSaysWhyInOneLine() throws Exception
    {
        final String region = uniqueRegion("logs-nowhere");
        final Path missing = Files.createTempDirectory("shmipc-out").resolve("no-such-dir").resolve("all.log");
        final ChildProcess nowhere = shmIpc("log-writer", "--region", region, "--output", missing.toString());
        assertExit(nowhere, 1);
        assertTrue(nowhere.output().contains("shm-ipc log-writer: error: cannot open " + missing +
            " to append to it: No such file or directory"), nowhere.output());
        final ChildProcess directory = shmIpc("log-writer", "--region", region, "--output",
            missing.getParent().getParent().toString());
        assertExit(directory, 1);
        assertTrue(directory.output().contains("shm-ipc log-writer: error: cannot open " +
            missing.getParent().getParent() + " to append to it: "), directory.output());
        for (final ChildProcess writer : List.of(nowhere, directory))
        {
            assertFalse(writer.output().contains("Exception") || writer.output().contains("\tat "), writer.output());
        }
        assertFalse(shmExists(region), "no region left behind");
    }

    @Test
    void aMissingRegionIsWaitedForAndARecreatedOneIsFollowed()
    {
        final String region = uniqueRegion("stat-follow");
        final ChildProcess stat = launch("stat", "--region", region, "--watch", "100ms");
        awaitError(stat, "waiting for region shm:" + region + " to be created");

        assertEquals(0, launch("send", "--region", region, "--count", "1").awaitExit(RUN));
        stat.awaitLine(line -> line.matches("messages +MANY_TO_ONE .* +1 +0 +0 +0 +0"), RUN);
        assertEquals(0, launch("rm", region).awaitExit(RUN));
        awaitError(stat, "region shm:" + region + " was deleted: waiting for it to be created again");
        assertEquals(0, launch("send", "--region", region, "--count", "2").awaitExit(RUN));
        awaitError(stat, "region shm:" + region + " is there: created ");
        stat.awaitLine(line -> line.matches("messages +MANY_TO_ONE .* +2 +0 +0 +0 +0"), RUN);
        stat.signal("INT");

        assertEquals(130, stat.awaitExit(RUN), stat::output);
        assertTrue(stat.errorLines().get(stat.errorLines().size() - 1)
            .matches("\\[stat \\d+] done: refreshes=\\d+ stop=interrupted"),
            stat.errors());
    }

    @Test
    void channelsAreFilteredByNameOrPrefix()
    {
        final String region = uniqueRegion("stat-filter");
        final ChildProcess pong = launch("pong", "--region", region);
        awaitOutput(pong, "echoing 'ping'");

        final ChildProcess one = launch("stat", region, "--channel", "ping.reply");
        assertEquals(0, one.awaitExit(RUN), one::output);
        final List<String> rows = new ArrayList<>();
        for (final String line : one.lines())
        {
            if (line.contains("ONE_TO_ONE"))
            {
                rows.add(line.split(" +")[0]);
            }
        }
        assertEquals(List.of("ping.reply"), rows, one::output);
        final ChildProcess both = launch("stat", region, "--channel", "ping*");
        assertEquals(0, both.awaitExit(RUN), both::output);
        assertEquals(2, both.lines().stream().filter(line -> line.contains("ONE_TO_ONE")).count(), both::output);
        final ChildProcess none = launch("stat", region, "--channel", "nope");
        assertEquals(1, none.awaitExit(RUN));
        assertTrue(none.errors().contains("no channel of region shm:" + region + " matches --channel [nope]; its " +
            "channels: [ping, ping.reply]"), none.errors());

        pong.signal("TERM");
        assertEquals(143, pong.awaitExit(RUN), pong::output);
        assertFalse(shmExists(region), "pong unlinks its region");
    }
}
