package io.shmipc.tests.cli;

import io.shmipc.toolkit.ChildProcess;
import io.shmipc.toolkit.ChildProcessBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What every command does the same way, through {@code ./shm-ipc}: typos suggest the nearest command or option,
 * errors name the option and go to standard error, timeouts exit 3 with an error line, region names follow one rule,
 * and every tool's help has the same layout, examples and the exit codes.
 */
@Timeout(300)
class ConsistencyTest extends CliTestBase
{
    @TempDir
    Path directory;

    @Test
    void typosSuggestTheNearestCommandOrOption()
    {
        for (final String[] typo : new String[][]{{"sned", "send"}, {"lsit", "list"}, {"recieve", "receive"},
            {"stats", "stat"}})
        {
            final ChildProcess process = launch(typo[0]);
            assertEquals(2, process.awaitExit(RUN));
            assertEquals(List.of("shm-ipc: error: unknown command '" + typo[0] + "'",
                "Did you mean: shm-ipc " + typo[1] + "?", "Try 'shm-ipc --help' for more information."),
                process.errorLines());
            assertTrue(process.lines().isEmpty(), process.output());
        }
        final ChildProcess option = launch("send", "--regoin", "chat");
        assertEquals(2, option.awaitExit(RUN));
        assertEquals(List.of("shm-ipc send: error: unknown option '--regoin'", "Did you mean: --region?",
            "Try 'shm-ipc send --help' for more information."), option.errorLines());
    }

    @Test
    void validationErrorsNameTheOptionAndItsValueOnStandardError()
    {
        final Map<List<String>, String> cases = Map.of(
            List.of("send", "--count", "-1"), "shm-ipc send: error: Invalid value for option '--count': " +
                "-1 is negative: give 0 or more",
            List.of("demo", "--producers", "9"), "shm-ipc demo: error: --producers must be from 1 to 8: 9",
            List.of("receive", "--timeout", "soon"), "shm-ipc receive: error: Invalid value for option '--timeout': " +
                "invalid duration: 'soon'",
            List.of("ping", "--size", "8"), "shm-ipc ping: error: --size must be from 24 to 8192: 8",
            List.of("order-client", "--max-clients", "64"),
                "shm-ipc order-client: error: --max-clients must be from 1 to 63: 64",
            List.of("stat"), "shm-ipc stat: error: missing REGION",
            List.of("call", "--message", "x", "--count", "0"), "shm-ipc call: error: Invalid value for option " +
                "'--count': 0 is less than 1",
            List.of("stat", "x", "--watch=-1s"), "shm-ipc stat: error: Invalid value for option '--watch': '-1s' is " +
                "no interval: use e.g. 250ms, 1s or 2m (more than 0)",
            List.of("peek", "x", "--count", "99999999999999999999"), "shm-ipc peek: error: Invalid value for option " +
                "'--count': '99999999999999999999' is too large: at most 9223372036854775807");
        for (final Map.Entry<List<String>, String> entry : cases.entrySet())
        {
            final ChildProcess process = launch(entry.getKey().toArray(new String[0]));
            assertEquals(2, process.awaitExit(RUN), process::output);
            assertTrue(process.errorLines().get(0).startsWith(entry.getValue()), process.errors());
            assertTrue(process.lines().isEmpty(), process.output());
        }
    }

    @Test
    void namesAndLimitsAreRefusedAsTheyAreReadBeforeAnyRegionIsMade()
    {
        final Map<List<String>, String> cases = Map.of(
            List.of("send", "--channel", ".."), "shm-ipc send: error: Invalid value for option '--channel': " +
                "invalid channel name: channel=.. ('.' and '..' are not names)",
            List.of("receive", "--channel", "bad/name"), "shm-ipc receive: error: Invalid value for option " +
                "'--channel': invalid channel name: channel=bad/name (only letters, digits, '.', '_' and '-' are " +
                "allowed; found '/' at index 3)",
            List.of("send", "--max-channels", "0"), "shm-ipc send: error: Invalid value for option " +
                "'--max-channels': 0 is less than 1",
            List.of("serve", "--max-channels", "2000"), "shm-ipc serve: error: Invalid value for option " +
                "'--max-channels': 2000 is more than 1024, the most channels a region holds",
            List.of("serve", "--service", "bad/name"), "shm-ipc serve: error: Invalid value for option " +
                "'--service': invalid service name: service=bad/name",
            List.of("call", "--service", ".."), "shm-ipc call: error: Invalid value for option '--service': " +
                "invalid service name: service=..",
            List.of("receive", "--room", "0"), "shm-ipc receive: error: Invalid value for option '--room': " +
                "0 is less than 1",
            List.of("receive", "--show", "-3"), "shm-ipc receive: error: Invalid value for option '--show': " +
                "-3 is negative: give 0 or more",
            List.of("pong", "--channel", "a b"), "shm-ipc pong: error: Invalid value for option '--channel': " +
                "invalid channel name: channel=a b",
            List.of("receive", "--from-oldest"), "shm-ipc receive: error: --untethered and --from-oldest are for " +
                "--kind PUBLISH_SUBSCRIBE, not MANY_TO_ONE");
        for (final Map.Entry<List<String>, String> entry : cases.entrySet())
        {
            final String region = uniqueRegion("refused");
            final ChildProcess process = launch(withRegion(entry.getKey(), region));
            assertEquals(2, process.awaitExit(RUN), process::output);
            assertTrue(process.errorLines().get(0).startsWith(entry.getValue()), process.errors());
            assertTrue(process.lines().isEmpty(), process.output());
            assertFalse(shmExists(region), () -> entry.getKey() + " made a region: " + process.errors());
        }
    }

    @Test
    void aRoomNoRegionCanHoldIsRefusedAsItIsReadBeforeAnyRegionIsMade()
    {
        final String region = uniqueRegion("refused");
        final ChildProcess process = launch(withRegion(List.of("send", "--count", "1", "--room", "100000000"), region));
        assertEquals(2, process.awaitExit(RUN), process::output);
        assertEquals("shm-ipc send: error: --room 100000000 is too large: a channel like this one takes 1064960 " +
            "bytes and a region holds at most 70368744177664 bytes of channels, so at most 66076419 of them",
            process.errorLines().get(0), process::errors);
        assertFalse(shmExists(region), process::errors);
    }

    @Test
    void aSizeAboveTheChannelsLimitIsAUsageErrorNamingTheLimitAndLeavesNoRegion()
    {
        final String region = uniqueRegion("size");
        final ChildProcess process = launch(withRegion(List.of("send", "--count", "1", "--capacity", "64k",
            "--size", "8193"), region));
        assertEquals(2, process.awaitExit(RUN), process::output);
        assertTrue(process.errors().contains("shm-ipc send: error: --size 8193 exceeds the longest message channel " +
            "'messages' takes: 8192 bytes (a channel made with --capacity BYTES takes BYTES / 8)"), process::errors);
        assertFalse(process.output().contains("created region"), "refused before any region is made: " +
            process.output());
        assertFalse(shmExists(region), process::errors);
    }

    @Test
    void everyTimeoutExitsThreeWithAnErrorLineAndTheRegionIsGone()
    {
        final Map<List<String>, String> cases = Map.of(
            List.of("receive", "--count", "5", "--timeout", "300ms"), "receive: error: no message for 300ms",
            List.of("market-subscriber", "--timeout", "300ms"), "market-subscriber: error: no quote for 300ms",
            List.of("log-writer", "--timeout", "300ms"), "log-writer: error: no line for 300ms",
            List.of("order-matcher", "--timeout", "300ms"), "order-matcher: error: no order for 300ms",
            List.of("pong", "--timeout", "300ms"), "pong: error: no message from ping for 300ms",
            List.of("ping", "--timeout", "300ms"), "ping: error: no pong attached to channel 'ping' within 300ms",
            List.of("send", "--await-subscriber", "--count", "1", "--timeout", "300ms"),
                "send: error: no receiver attached to channel 'messages' within 300ms");
        for (final Map.Entry<List<String>, String> entry : cases.entrySet())
        {
            final String region = uniqueRegion("timeout");
            final ChildProcess process = launch(withRegion(entry.getKey(), region));
            assertEquals(3, process.awaitExit(RUN), process::output);
            assertEquals("timeout", doneLine(process).get("stop"), process::output);
            assertTrue(process.errors().contains("shm-ipc " + entry.getValue()), process.errors());
            assertFalse(shmExists(region), () -> entry.getKey() + " left its region: " + process.output());
        }
    }

    @Test
    void regionNamesFollowOneRuleAndADirectoryIsRefused() throws IOException
    {
        final String name = uniqueRegion("slash");
        final ChildProcess slash = launch("send", "--region", "/" + name, "--count", "0");
        assertEquals(0, slash.awaitExit(RUN), slash::output);
        assertTrue(slash.errors().contains("created region shm:" + name), slash.errors());
        assertFalse(Files.exists(Path.of("/" + name)), "no file at the root");

        final ChildProcess trailing = launch("send", "--region", name + "/", "--count", "0");
        assertEquals(2, trailing.awaitExit(RUN));
        assertTrue(trailing.errorLines().get(0).startsWith("shm-ipc send: error: Invalid value for option " +
            "'--region': '" + name + "/' ends with '/': that names a directory"), trailing.errors());
        assertFalse(shmExists(name));
        for (final String command : List.of("rm", "stat", "peek"))
        {
            // rm takes several: the second is refused as the first would be.
            final ChildProcess positional = "rm".equals(command) ? launch(command, name, name + "/") :
                launch(command, name + "/");
            assertEquals(2, positional.awaitExit(RUN), positional::output);
            assertTrue(positional.errorLines().get(0).startsWith("shm-ipc " + command + ": error: Invalid value for " +
                "positional parameter") && positional.errorLines().get(0).contains("'" + name + "/' ends with " +
                "'/': that names a directory"), positional.errors());
        }

        final ChildProcess relative = startIn(directory, "send", "--region", "./here", "--count", "1");
        assertEquals(0, relative.awaitExit(RUN), relative::output);
        assertTrue(Files.exists(directory.resolve("here")), "a file region in the working directory");
        assertTrue(relative.errors().contains("left region " + directory.resolve("here") + " (4.1 MiB) in " +
            directory), relative.errors());

        final ChildProcess missing = launch("send", "--region", directory.resolve("no/such/x").toString());
        assertEquals(2, missing.awaitExit(RUN));
        assertTrue(missing.errors().contains("directory " + directory.resolve("no/such") + " does not exist"),
            missing.errors());

        final ChildProcess stat = launch("stat", "--region", "shm:" + name + "-none");
        assertEquals(1, stat.awaitExit(RUN));
        assertEquals("shm-ipc stat: error: no such region: shm:" + name + "-none (shm-ipc list shows the regions; " +
            "with --watch, stat waits for it)", stat.errorLines().get(0));
    }

    @Test
    void everyToolsHelpHasItsExamplesAndTheExitCodes() throws IOException
    {
        final ChildProcess top = launch("--help");
        assertEquals(0, top.awaitExit(RUN));
        for (final String row : List.of("  3    timeout", "  4    peer gone", "  5    handshake failure",
            "  130  interrupted by Ctrl-C (SIGINT), 143 by SIGTERM"))
        {
            assertTrue(top.lines().stream().anyMatch(line -> line.startsWith(row)), () -> row + ":\n" + top.output());
        }
        for (final String command : List.of("list", "stat", "peek", "rm", "clean", "bench", "completion", "send",
            "market-feed", "container-peer", "bridge"))
        {
            final ChildProcess help = launch(command, "--help");
            assertEquals(0, help.awaitExit(RUN), help::output);
            // The layout of every command: one-line header, usage, description, options, examples, exit codes.
            assertTrue(help.lines().get(1).startsWith("Usage: shm-ipc " + command + " "), help.output());
            assertTrue(help.lines().stream().anyMatch(line -> line.startsWith("Examples")),
                () -> command + ":\n" + help.output());
            assertTrue(help.lines().stream().anyMatch(line -> line.startsWith("Exit codes: 0 ok, 1 failure, 2 usage," +
                " 3 timeout, 4 peer gone")), () -> command + ":\n" + help.output());
            assertTrue(help.lines().stream().allMatch(line -> line.length() <= 100), help::output);
        }

        final ChildProcess completion = launch("completion");
        assertEquals(0, completion.awaitExit(RUN));
        final Path script = directory.resolve("shm-ipc.bash");
        Files.write(script, completion.lines());
        final ChildProcess bash = ChildProcess.start("bash", List.of("bash", "-c", "source " + script +
            " && complete -p shm-ipc ./shm-ipc && declare -F _complete_shm-ipc"));
        assertEquals(0, bash.awaitExit(RUN), bash::output);
        assertTrue(completion.output().contains("peek") && completion.output().contains("--keep-region"),
            "every command and option");
    }

    @Test
    void theContainerPeerFailsAHandshakeWithFiveAndStopsAtOnceOnSigterm()
    {
        // What the container tests rely on, without Docker: the image's entry point is this launcher's command line.
        final String region = uniqueRegion("peer-handshake");
        final ChildProcess respond = launch("container-peer", "handshake", "respond", "shm:" + region, "--timeout",
            "1");
        assertEquals(5, respond.awaitExit(RUN), respond::output);
        assertTrue(respond.output().contains("HANDSHAKE FAILED not the same memory: region shm:" + region +
            " did not appear here"), respond.output());
        assertFalse(shmExists(region));

        final ChildProcess idle = launch("container-peer", "idle");
        awaitOutput(idle, "READY role=idle");
        final long signalled = System.nanoTime();
        idle.signal("TERM");
        assertEquals(143, idle.awaitExit(RUN), idle::output);
        assertTrue(System.nanoTime() - signalled < Duration.ofSeconds(5).toNanos(),
            "docker stop ends a peer without waiting out the shutdown grace period");
    }

    /**
     * A producer whose subscriber keeps up, so that it is never back-pressured while the subscriber lives, still
     * notices its death once the ring fills: exit 4, as docker/README.md's table says.
     */
    @Test
    void aContainerPeerProducerWhoseConsumerIsKilledStopsWithPeerGone()
    {
        final String region = uniqueRegion("peer-killed");
        final ChildProcess consume = launch("container-peer", "consume", "shm:" + region, "0", "--create",
            "--delete-on-close");
        awaitOutput(consume, "READY role=consumer");
        final ChildProcess produce = launch("container-peer", "produce", "shm:" + region, "0");
        awaitOutput(produce, "PRODUCED 20000");
        consume.signal("KILL");
        assertEquals(4, produce.awaitExit(RUN), produce::output);
        assertTrue(produce.output().contains("SUBSCRIBER GONE produced="), produce.output());
        assertExit(launch("rm", region), 0);
    }

    private ChildProcess startIn(final Path workingDirectory, final String... args)
    {
        final ChildProcessBuilder builder = ChildProcess.builder("shm-ipc " + String.join(" ", args),
            launcherCommand(args)).separateErrors().directory(workingDirectory);
        return track(builder.start());
    }

    private static String[] withRegion(final List<String> args, final String region)
    {
        final String[] all = args.toArray(new String[args.size() + 2]);
        all[args.size()] = "--region";
        all[args.size() + 1] = region;
        return all;
    }
}
