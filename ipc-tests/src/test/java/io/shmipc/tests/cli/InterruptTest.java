package io.shmipc.tests.cli;

import io.shmipc.toolkit.ChildProcess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Ctrl-C (SIGINT) and SIGTERM, sent to the real pids of {@code ./shm-ipc} processes: each stops at once, prints its
 * {@code done:} line, releases its region and exits 130 (SIGINT) or 143 (SIGTERM).
 */
@Timeout(240)
class InterruptTest extends CliTestBase
{
    private static final Pattern ROLE_PID = Pattern.compile("^\\[([a-z0-9-]+) (\\d+)\\] ");

    @Test
    void ctrlCEndsAnInteractiveSendBlockedOnItsInputAndItSaysWhatItLeaves()
    {
        final String region = uniqueRegion("stdin-int");
        final ChildProcess send = launch("send", "--region", region);
        awaitError(send, "sending each line of standard input");
        send.send("typed line");
        awaitWaiting(region, "messages", 1);
        send.signal("INT");

        assertEquals(130, send.awaitExit(RUN), send::output);
        final Map<String, String> done = doneLine(send);
        assertEquals("interrupted", done.get("stop"), done::toString);
        assertEquals(1, number(done, "sent"));
        assertTrue(send.errors().contains("left region shm:" + region + " (4.1 MiB) in /dev/shm: 1 undelivered " +
            "message (10 B) in 'messages' for a subscriber; remove it with: shm-ipc rm " + region), send.errors());
        assertTrue(shmExists(region), "the message waits in the region for a receiver");
    }

    @Test
    void sigtermEndsAnInteractiveSendThatSentNothingAndRemovesTheRegionItMade()
    {
        final String region = uniqueRegion("stdin-term");
        final ChildProcess send = launch("send", "--region", region);
        awaitError(send, "sending each line of standard input");
        send.signal("TERM");

        assertEquals(143, send.awaitExit(RUN), send::output);
        assertEquals("interrupted", doneLine(send).get("stop"));
        assertEquals(0, number(doneLine(send), "sent"));
        assertTrue(send.errors().contains("removed region shm:" + region + ": nobody uses it and nothing waits in it"),
            send.errors());
        assertFalse(shmExists(region), "region left behind");
    }

    @Test
    void ctrlCOnPingMidRunPrintsThePercentilesSoFarAndPongEndsItsSession()
    {
        final String region = uniqueRegion("ping-int");
        final ChildProcess pong = launch("pong", "--region", region);
        awaitOutput(pong, "echoing 'ping'");
        final ChildProcess ping = launch("ping", "--region", region, "--count", "1000000000", "--warmup", "100");
        awaitOutput(ping, "measuring:");
        awaitPublished(region, "ping", 2_000);
        ping.signal("INT");

        assertEquals(130, ping.awaitExit(RUN), ping::output);
        final Map<String, String> done = doneLine(ping);
        assertEquals("interrupted", done.get("stop"));
        assertTrue(number(done, "round-trips") > 0, done::toString);
        assertTrue(decimal(done, "p50-us") > 0 && decimal(done, "p50-us") <= decimal(done, "p99-us"), done::toString);
        assertTrue(ping.output().contains("measured before the interrupted stop:"), ping.output());
        assertTrue(ping.output().contains("         50% "), ping.output());
        assertEquals(0, pong.awaitExit(RUN), pong::output);
        assertEquals("session-ended", doneLine(pong).get("stop"));
        assertFalse(shmExists(region), "pong unlinks the region");
    }

    @Test
    void sigtermOnTheDemoStopsEveryProcessItStartedAndUnlinksItsRegion()
    {
        final String region = uniqueRegion("demo-term");
        final ChildProcess demo = launch("demo", "--region", region, "--messages", "100000000", "--producers", "1");
        awaitPublished(region, "messages", 10_000);
        demo.signal("TERM");

        assertEquals(143, demo.awaitExit(RUN), demo::output);
        final Map<String, String> done = doneLine(demo);
        assertEquals("interrupted", done.get("stop"), done::toString);
        assertEquals("true", done.get("region-deleted"));
        assertFalse(shmExists(region), "region left behind");
        final List<Long> children = new ArrayList<>();
        for (final String line : demo.lines())
        {
            final Matcher matcher = ROLE_PID.matcher(line);
            if (matcher.find() && !matcher.group(1).equals("demo"))
            {
                children.add(Long.parseLong(matcher.group(2)));
            }
        }
        assertFalse(children.isEmpty(), demo::output);
        for (final long pid : children)
        {
            assertFalse(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false), "child " + pid + " alive");
        }
        assertTrue(demo.output().contains("[consumer ") && demo.output().contains("stop=interrupted"), demo.output());
        assertTrue(demo.output().contains("processes     2 JVMs besides this one (of 4); stopped"),
            "stopped in its first step: the consumer and the producer ran, not pong and ping: " + demo.output());
    }

    /**
     * {@code receive | reader-that-stopped}: the pipe fills and {@code receive} blocks in its write. SIGTERM still
     * ends it within the signal's first second, with its {@code done:} line and the region's release, instead of
     * the JVM giving up after the whole grace period with neither.
     */
    @Test
    void sigtermEndsAReceiveBlockedWritingToAPipeNobodyReads() throws Exception
    {
        final String region = uniqueRegion("pipe-term");
        final Process receive = receiveAfterSending(region); // its standard output is never read
        final String errors = sigtermWhileBlockedWriting(receive, region);
        final Matcher done = Pattern.compile("\\] done: received=(\\d+) .* stop=interrupted").matcher(errors);
        assertTrue(done.find(), errors);
        assertTrue(Long.parseLong(done.group(1)) > 0, errors);
        assertTrue(errors.contains("unlinked region shm:" + region), errors);
    }

    /**
     * A reader that is slow but keeps reading (about 40 KiB/s) is not taken for a stopped one: after SIGTERM,
     * {@code receive} stops taking messages and writes out everything it took (its 64 KiB buffer: more than a
     * second's worth at that pace), and the reader gets exactly the messages the {@code done:} line counts.
     */
    @Test
    void sigtermLetsAReceiveFinishWritingToASlowReaderThatKeepsReading() throws Exception
    {
        final String region = uniqueRegion("pipe-slow");
        final Process receive = receiveAfterSending(region);
        final long[] lines = new long[1];
        final Thread reader = new Thread(() ->
        {
            final byte[] piece = new byte[4 * 1024];
            try (var in = receive.getInputStream())
            {
                for (int read; (read = in.read(piece)) >= 0; )
                {
                    for (int i = 0; i < read; i++)
                    {
                        lines[0] += piece[i] == '\n' ? 1 : 0;
                    }
                    Thread.sleep(100); // the scenario itself, not synchronisation: a reader taking 40 KiB/s
                }
            }
            catch (final IOException | InterruptedException ex)
            {
                // reported by the count falling short
            }
        }, "slow-reader");
        reader.start();
        final String errors = sigtermWhileBlockedWriting(receive, region);
        reader.join();
        final Matcher done = Pattern.compile("\\] done: received=(\\d+) .* stop=interrupted").matcher(errors);
        assertTrue(done.find(), errors);
        assertTrue(Long.parseLong(done.group(1)) < 20_000, "stopped taking messages at the signal: " + errors);
        assertEquals(Long.parseLong(done.group(1)), lines[0], "every message received was written: " + errors);
    }

    /** The same for {@code log-writer}, whose lines a shipper sent before it stopped. */
    @Test
    void sigtermEndsALogWriterBlockedWritingToAPipeNobodyReads() throws Exception
    {
        final String region = uniqueRegion("logs-term");
        final Process writer = new ProcessBuilder(launcherCommand("log-writer", "--region", region))
            .redirectError(ProcessBuilder.Redirect.PIPE).start(); // its standard output is never read
        awaitRegion(region);
        assertEquals(0, launch("log-shipper", "--region", region, "--count", "5000").awaitExit(RUN));
        final String errors = sigtermWhileBlockedWriting(writer, region);
        final Matcher done = Pattern.compile("\\] done: lines=(\\d+) .* stop=interrupted").matcher(errors);
        assertTrue(done.find(), errors);
        assertTrue(Long.parseLong(done.group(1)) > 0, errors);
    }

    /**
     * A FIFO nobody opens for reading holds the system's open of it: Ctrl-C still ends the wait, with the
     * {@code done:} line, before any region is made.
     */
    @Test
    void ctrlCEndsALogWriterWaitingForAReaderOfItsFifo(@TempDir final Path directory) throws Exception
    {
        final Path fifo = directory.resolve("lines.fifo");
        assertEquals(0, new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor());
        final String region = uniqueRegion("logs-fifo");
        final ChildProcess writer = launch("log-writer", "--region", region, "--output", fifo.toString());
        awaitError(writer, "waiting for a reader to open FIFO " + fifo);
        writer.signal("INT");

        assertEquals(130, writer.awaitExit(RUN), writer::output);
        final Map<String, String> done = doneLine(writer);
        assertEquals("interrupted", done.get("stop"), done::toString);
        assertEquals(0, number(done, "lines"));
        assertFalse(writer.errors().contains("still stopping"), writer.errors());
        assertFalse(shmExists(region), writer.errors());
    }

    /**
     * Once the process sits in its blocked write, SIGTERM it: it must exit 143 without the grace period's "still
     * stopping" line, and release its region. Returns its standard error.
     */
    private String sigtermWhileBlockedWriting(final Process process, final String region) throws Exception
    {
        try
        {
            awaitBlockedWritingStandardOutput(process.pid());
            process.toHandle().destroy(); // SIGTERM, the streams left open (Process.destroy closes them)
            final String errors = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(process.waitFor(RUN.toSeconds(), TimeUnit.SECONDS), "ended");
            assertEquals(143, process.exitValue(), errors);
            assertFalse(errors.contains("still stopping"), errors);
            assertFalse(shmExists(region), errors);
            return errors;
        }
        finally
        {
            if (process.isAlive())
            {
                process.destroyForcibly(); // only then: it also closes the streams a reader may still be draining
            }
            if (shmExists(region))
            {
                launch("rm", "--force", region).awaitExit(RUN);
            }
        }
    }

    /**
     * Wait until a thread of the process sits in {@code write(1, ...)} (x86-64 system call 1, first argument 0x1), as
     * {@code /proc/<pid>/task/<tid>/syscall} shows: its standard output's pipe is full.
     */
    private static void awaitBlockedWritingStandardOutput(final long pid) throws IOException
    {
        final Path tasks = Path.of("/proc", Long.toString(pid), "task");
        while (true)
        {
            assertTrue(Files.isDirectory(tasks), "process " + pid + " ended");
            try (Stream<Path> list = Files.list(tasks))
            {
                for (final Path task : (Iterable<Path>)list::iterator)
                {
                    try
                    {
                        if (Files.readString(task.resolve("syscall")).startsWith("1 0x1 "))
                        {
                            return;
                        }
                    }
                    catch (final IOException ex)
                    {
                        // the thread ended meanwhile
                    }
                }
            }
            catch (final java.io.UncheckedIOException | java.nio.file.NoSuchFileException ex)
            {
                // the process ended meanwhile: the assertion above says so
            }
            Thread.yield();
        }
    }
}
