package io.shmipc.tests.cli;

import io.shmipc.examples.support.DoneLine;
import io.shmipc.toolkit.ChildProcess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The {@code ./shm-ipc} launcher script over the shaded jar, as a user runs it: help, exit codes, the message when
 * the jar is not built, and the quick-start {@code demo} end to end.
 */
@Timeout(180)
class LauncherTest extends CliTestBase
{
    private static final List<String> COMMANDS = List.of("demo", "send", "receive", "ping", "pong", "serve", "call",
        "market-feed", "market-subscriber", "order-matcher", "order-client", "log-writer", "log-shipper");

    @TempDir
    Path directory;

    @Test
    void helpListsEveryCommandAndEachCommandHasHelp()
    {
        final ChildProcess help = launcher("--help");
        assertExit(help, 0);
        for (final String command : COMMANDS)
        {
            assertTrue(help.lines().stream().anyMatch(line -> line.startsWith("  " + command + " ")),
                () -> command + " missing from:\n" + help.output());
        }
        final ChildProcess demoHelp = launcher("demo", "--help");
        assertExit(demoHelp, 0);
        assertTrue(demoHelp.output().contains("Usage: shm-ipc demo"), demoHelp.output());
    }

    @Test
    void usageErrorsExitWithTwo()
    {
        final ChildProcess unknown = launcher("bogus");
        assertExit(unknown, 2);
        assertTrue(unknown.output().contains("shm-ipc: error: unknown command 'bogus'"), unknown.output());
        assertTrue(unknown.output().contains("Try 'shm-ipc --help' for more information."), unknown.output());

        final ChildProcess missing = launcher();
        assertExit(missing, 2);
        assertTrue(missing.output().contains("shm-ipc: error: missing command"), missing.output());

        final ChildProcess badValue = launcher("receive", "--timeout", "soon");
        assertExit(badValue, 2);
        assertTrue(badValue.output().contains("invalid duration: 'soon'"), badValue.output());
    }

    @Test
    void missingJarTellsHowToBuildIt() throws IOException
    {
        final Path script = directory.resolve("shm-ipc");
        Files.copy(repositoryRoot().resolve("shm-ipc"), script, StandardCopyOption.COPY_ATTRIBUTES);
        final ChildProcess launcher = command("shm-ipc without jar", List.of(script.toString(), "--help"));
        assertExit(launcher, 1);
        assertTrue(launcher.output().contains("ipc-examples/target/shm-ipc.jar is missing; build it first:"),
            launcher.output());
        assertTrue(launcher.output().contains("./mvnw -B -q -DskipTests package"), launcher.output());
    }

    @Test
    void demoRunsSeparateProcessesPrintsItsSummaryAndUnlinksItsRegion()
    {
        final String region = uniqueRegion("demo");
        final ChildProcess demo = launcher("demo", "--region", region);
        final Map<String, String> result = DoneLine.parse(demo.awaitLine(
            line -> line.startsWith("[demo ") && line.contains("] " + DoneLine.MARKER), RUN));
        assertExit(demo, 0);

        assertEquals(5, number(result, "processes"));
        assertEquals(400_000, number(result, "sent"));
        assertEquals(400_000, number(result, "received"));
        assertTrue(number(result, "rate") > 0, result::toString);
        assertEquals(20_000, number(result, "round-trips"));
        assertTrue(decimal(result, "p50-us") <= decimal(result, "p99-us"), result::toString);
        assertTrue(decimal(result, "p99-us") <= decimal(result, "max-us"), result::toString);
        assertEquals("true", result.get("region-deleted"));
        assertFalse(Files.exists(Path.of("/dev/shm", region)), "region left behind");

        final String output = demo.output();
        for (final String role : List.of("demo", "consumer", "producer-1", "producer-2", "pong", "ping"))
        {
            assertTrue(output.contains("[" + role + " "), () -> role + " printed nothing:\n" + output);
        }
        assertTrue(output.contains("] message 1: message 0 from producer-"), output);
        assertTrue(output.contains("] summary"), output);
        assertTrue(output.contains("  latency (us)  p50 "), output);
        assertTrue(output.contains("  region        shm:" + region + " unlinked"), output);
    }

    private ChildProcess launcher(final String... args)
    {
        assertTrue(Files.exists(examplesJar()), examplesJar() + " is not built: run ./mvnw package");
        final List<String> command = new ArrayList<>();
        command.add(repositoryRoot().resolve("shm-ipc").toString());
        command.addAll(List.of(args));
        return command("shm-ipc " + String.join(" ", args), command);
    }
}
