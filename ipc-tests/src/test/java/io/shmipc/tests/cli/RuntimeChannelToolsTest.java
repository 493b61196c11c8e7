package io.shmipc.tests.cli;

import io.shmipc.toolkit.ChildProcess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The tools of channels added at runtime: {@code serve} and {@code call} try request/response from two terminals,
 * {@code stat --watch} follows a client's reply channel as it appears and goes, and {@code send} adds its channel
 * to a region {@code receive} created, which then stays for that channel.
 */
class RuntimeChannelToolsTest extends CliTestBase
{
    @Test
    @Timeout(300)
    void callPrintsEveryStreamedResponseOfTheEchoServer()
    {
        final String region = uniqueRegion("serve");
        final ChildProcess serve = shmIpc("serve", "--region", region, "--service", "echo", "--responses", "3",
            "--count", "2");
        serve.awaitLine(line -> line.contains("serving service 'echo'"), STARTUP);
        final ChildProcess call = shmIpc("call", "--region", region, "--service", "echo", "--message", "hello",
            "--count", "2");

        final Map<String, String> called = result(call);
        assertEquals(2, number(called, "requests"));
        assertEquals(6, number(called, "responses"));
        assertEquals(0, number(called, "failed"));
        assertExit(call, 0);
        final List<String> responses = call.lines().stream().filter(line -> line.contains("response "))
            .collect(Collectors.toList());
        assertEquals(List.of("response 1: hello", "response 1: hello", "final response 1: hello",
            "response 2: hello", "response 2: hello", "final response 2: hello"), responses, call.output());

        final Map<String, String> served = result(serve);
        assertEquals(2, number(served, "handled"));
        assertEquals(0, number(served, "unanswered"));
        assertExit(serve, 0);
    }

    @Test
    @Timeout(300)
    void callWithoutAServerFailsNamingTheCommandThatStartsOne()
    {
        final String region = uniqueRegion("noserver");
        final ChildProcess call = shmIpc("call", "--region", region, "--service", "echo", "--message", "x",
            "--timeout", "300ms");
        assertExit(call, 3);
        assertTrue(call.output().contains("no server of service 'echo' within 300ms (start one with: shm-ipc " +
            "serve --region " + region + " --service echo)"), call.output());
        assertEquals("timeout", doneLine(call).get("stop"), "the done line comes before the error line");
        assertEquals("0", doneLine(call).get("requests"));
    }

    @Test
    @Timeout(300)
    void callOnStandardInputEndsAtCtrlCAndARequestTimingOutEndsWithAnErrorAndExit3()
    {
        final String region = uniqueRegion("callend");
        final ChildProcess serve = quietEchoServer(region);

        // Through the launcher, with SIGINT at its default action (a test run from a script may inherit it ignored).
        final ChildProcess waiting = launch("call", "--region", region, "--service", "echo");
        awaitError(waiting, "each line of standard input");
        final long interruptedAt = System.nanoTime();
        waiting.signal("INT"); // nothing typed: the command waits for a line that never comes
        assertExit(waiting, 130);
        assertTrue(System.nanoTime() - interruptedAt < Duration.ofSeconds(5).toNanos(),
            "Ctrl-C ended it at once, not the 10 s watchdog: " + waiting.output());
        assertEquals("interrupted", doneLine(waiting).get("stop"), waiting.errors());

        serve.signal("STOP"); // alive, answering nothing
        final ChildProcess unanswered = launch("call", "--region", region, "--service", "echo", "--message", "x",
            "--timeout", "300ms");
        assertExit(unanswered, 3);
        assertEquals("timeout", doneLine(unanswered).get("stop"), unanswered.errors());
        assertTrue(unanswered.errors().contains("shm-ipc call: error: 1 of 1 request failed (1 timed out after " +
            "300ms); the last: request 1: request timed out"), unanswered.errors());
        serve.signal("CONT");
        serve.close();
    }

    /**
     * After its server is killed, a call waits for a new one before its next request, as it does before its first,
     * and the new server answers it. It used to send every later request at once to no server, each failing as
     * "service unavailable" (a `--count` loop did so millions of times a second).
     */
    @Test
    @Timeout(300)
    void callWaitsForANewServerAfterItsServerIsKilled()
    {
        final String region = uniqueRegion("respawn");
        final ChildProcess first = quietEchoServer(region);
        final ChildProcess call = shmIpc("call", "--region", region, "--service", "echo", "--timeout", "60s");
        call.awaitLine(line -> line.contains("each line of standard input"), STARTUP);
        call.send("one");
        call.awaitLine("final response 1: one"::equals, RUN);
        first.kill();
        call.send("two");
        call.awaitLine(line -> line.contains("for a server of service 'echo'"), RUN);
        final ChildProcess second = quietEchoServer(region);
        call.awaitLine("final response 2: two"::equals, RUN);
        call.closeInput();
        assertExit(call, 0);
        assertEquals(0, number(result(call), "failed"));
        second.close();
    }

    @Test
    @Timeout(300)
    void statWatchShowsAReplyChannelAppearAndGo()
    {
        final String region = uniqueRegion("watch");
        final ChildProcess serve = quietEchoServer(region);
        final ChildProcess stat = shmIpc("stat", region, "--watch", "100ms", "--json");
        stat.awaitLine(line -> line.contains("\"echo\""), STARTUP);

        final ChildProcess call = shmIpc("call", "--region", region, "--service", "echo");
        call.awaitLine(line -> line.contains("each line of standard input"), STARTUP);
        final String appeared = stat.awaitLine(line -> line.contains("echo.reply-"), RUN);
        call.send("ping");
        call.awaitLine("final response 1: ping"::equals, RUN);
        call.closeInput();
        assertExit(call, 0);
        final int seenAt = stat.lines().indexOf(appeared);
        stat.awaitLine(line -> stat.lines().indexOf(line) > seenAt && line.contains("\"echo\"") &&
            !line.contains("echo.reply-"), RUN);
        stat.close();
        serve.close();
    }

    /**
     * A region without room for one more channel: the library's error names its configuration's limit, and the
     * command line adds the option that sets it when a command creates the region.
     */
    @Test
    @Timeout(300)
    void aFullRegionNamesTheOptionThatSetsItsLimit()
    {
        final String region = uniqueRegion("full");
        // Each region made below stays for the message its sender leaves in it.
        assertExit(shmIpc("send", "--region", region, "--max-channels", "1", "--count", "1"), 0);
        final ChildProcess channels = shmIpc("send", "--region", region, "--channel", "other", "--count", "1");
        assertExit(channels, 1);
        assertTrue(channels.output().contains("maxChannels=1 all hold channels") && channels.output().contains(
            "(on the command line, the command that creates a region sets its limits: --max-channels; a region that " +
            "exists keeps its own)"), channels.output());
        assertExit(shmIpc("rm", region), 0);

        assertExit(shmIpc("send", "--region", region, "--room", "1", "--capacity", "64k", "--count", "1"), 0);
        final ChildProcess space = shmIpc("send", "--region", region, "--channel", "other", "--capacity", "1m",
            "--count", "1");
        assertExit(space, 1);
        assertTrue(space.output().contains("dataAreaLength=") && space.output().contains("sets its limits: --room, " +
            "channels like its own; a region that exists keeps its own)"), space.output());
        assertExit(shmIpc("rm", region), 0);
    }

    @Test
    @Timeout(300)
    void sendAddsItsChannelToARegionReceiveCreatedAndTheRegionStaysForIt()
    {
        final String region = uniqueRegion("add");
        final ChildProcess receive = shmIpc("receive", "--region", region, "--channel", "first", "--count", "1",
            "--timeout", "60s");
        receive.awaitLine(line -> line.contains("receiving on channel 'first'"), STARTUP);
        final ChildProcess second = shmIpc("send", "--region", region, "--channel", "second", "--kind", "ONE_TO_ONE",
            "--count", "1");
        assertEquals(1, number(result(second), "sent"));
        assertExit(second, 0);

        final ChildProcess stat = shmIpc("stat", region);
        assertExit(stat, 0);
        assertTrue(stat.lines().stream().anyMatch(line -> line.startsWith("first ")), stat.output());
        assertTrue(stat.lines().stream().anyMatch(line -> line.startsWith("second ")), stat.output());

        final ChildProcess first = shmIpc("send", "--region", region, "--channel", "first", "--count", "1");
        assertExit(first, 0);
        assertEquals(1, number(result(receive), "received"));
        assertExit(receive, 0);
        assertFalse(receive.output().contains("unlinked region"), "the region holds channel 'second': " +
            receive.output());
        final ChildProcess after = shmIpc("stat", region);
        assertExit(after, 0);
        assertTrue(after.lines().stream().anyMatch(line -> line.startsWith("second ")), after.output());
    }

    private ChildProcess quietEchoServer(final String region)
    {
        final ChildProcess serve = shmIpc("serve", "--region", region, "--service", "echo", "--quiet");
        serve.awaitLine(line -> line.contains("serving service 'echo'"), STARTUP);
        return serve;
    }
}
