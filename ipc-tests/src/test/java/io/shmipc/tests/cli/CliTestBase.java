package io.shmipc.tests.cli;

import io.shmipc.tests.support.ChildJvms;
import io.shmipc.ChannelStatus;
import io.shmipc.Region;
import io.shmipc.RegionInspector;
import io.shmipc.RegionLocation;
import io.shmipc.examples.cli.ShmIpcCommand;
import io.shmipc.examples.support.DoneLine;
import io.shmipc.exceptions.ShmIpcException;
import io.shmipc.toolkit.ChildProcess;
import io.shmipc.toolkit.ChildProcessBuilder;
import org.junit.jupiter.api.AfterEach;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.locks.LockSupport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What the command-line tests share: starting {@code shm-ipc} subcommands as separate JVMs, unique region names,
 * reading {@code done:} lines, and cleaning up processes and regions after each test.
 */
abstract class CliTestBase
{
    static final Duration STARTUP = Duration.ofSeconds(60);
    static final Duration RUN = Duration.ofSeconds(90);
    private static final long POLL_NS = 20_000_000L;

    private final List<ChildProcess> processes = new ArrayList<>();
    private final List<RegionLocation> regions = new ArrayList<>();

    @AfterEach
    void cleanUp()
    {
        processes.forEach(ChildProcess::close);
        for (final RegionLocation region : regions)
        {
            Region.delete(region);
        }
    }

    /**
     * A region name no other test uses; deleted after the test.
     *
     * @param purpose a word for the name.
     * @return the name, to pass as {@code --region}.
     */
    String uniqueRegion(final String purpose)
    {
        final String name = "cli-" + purpose + "-" + UUID.randomUUID().toString().substring(0, 8);
        regions.add(RegionLocation.shm(name));
        return name;
    }

    /**
     * Start {@code shm-ipc <args>} in its own JVM from the test class path.
     *
     * @param args the subcommand and its options.
     * @return the running process, killed after the test if still alive.
     */
    ChildProcess shmIpc(final String... args)
    {
        return track(ChildJvms.start(ShmIpcCommand.class, args));
    }

    /**
     * Start any command; killed after the test if still alive.
     *
     * @param description how failures name it.
     * @param command     the command.
     * @return the running process.
     */
    ChildProcess command(final String description, final List<String> command)
    {
        return track(ChildProcess.start(description, command));
    }

    /**
     * Start {@code ./shm-ipc <args>}, the launcher script as a user runs it, over the shaded jar: its own JVM, whose
     * pid is the process's (the script execs java), with SIGINT and SIGTERM at their default action so the test
     * can signal it, and standard error kept apart from standard output.
     *
     * @param args the command and its options.
     * @return the running process, killed after the test if still alive.
     */
    ChildProcess launch(final String... args)
    {
        return launch(Map.of(), args);
    }

    /**
     * Wait until the region's file exists: its creator made it (a region is at its name only when complete).
     *
     * @param region the region's name in /dev/shm.
     */
    static void awaitRegion(final String region)
    {
        final long deadline = System.nanoTime() + STARTUP.toNanos();
        while (!shmExists(region))
        {
            assertTrue(System.nanoTime() - deadline < 0, "region " + region + " never appeared");
            Thread.yield();
        }
    }

    /**
     * Send 20,000 messages of 32 bytes into a new region, then start {@code receive} on it as a bare process whose
     * standard output the test reads (or leaves unread) itself, its standard error piped.
     *
     * @param region the region.
     * @return the receiving process.
     * @throws java.io.IOException when it cannot start.
     */
    Process receiveAfterSending(final String region) throws java.io.IOException
    {
        assertEquals(0, launch("send", "--region", region, "--count", "20000", "--size", "32").awaitExit(RUN));
        return new ProcessBuilder(launcherCommand("receive", "--region", region))
            .redirectError(ProcessBuilder.Redirect.PIPE).start();
    }

    /**
     * Start {@code ./shm-ipc <args>} with extra environment variables (for example {@code JAVA_HOME}).
     *
     * @param environment variables to set.
     * @param args        the command and its options.
     * @return the running process, killed after the test if still alive.
     */
    ChildProcess launch(final Map<String, String> environment, final String... args)
    {
        final ChildProcessBuilder builder = ChildProcess.builder("shm-ipc " + String.join(" ", args),
            launcherCommand(args)).separateErrors().defaultSignals();
        environment.forEach(builder::environment);
        return track(builder.start());
    }

    /**
     * The command running {@code ./shm-ipc <args>}.
     *
     * @param args the command and its options.
     * @return the command.
     */
    static List<String> launcherCommand(final String... args)
    {
        assertTrue(Files.exists(examplesJar()), examplesJar() + " is not built: run ./mvnw package");
        final List<String> command = new ArrayList<>();
        command.add(repositoryRoot().resolve("shm-ipc").toString());
        command.addAll(List.of(args));
        return command;
    }

    /**
     * Wait for a line on standard output containing {@code text}.
     *
     * @param process the process.
     * @param text    what the line contains.
     * @return the line.
     */
    static String awaitOutput(final ChildProcess process, final String text)
    {
        return process.awaitLine(line -> line.contains(text), STARTUP);
    }

    /**
     * Wait for a line on standard error containing {@code text} (commands whose standard output carries data).
     *
     * @param process the process.
     * @param text    what the line contains.
     * @return the line.
     */
    static String awaitError(final ChildProcess process, final String text)
    {
        return process.awaitErrorLine(line -> line.contains(text), STARTUP);
    }

    /**
     * The values of the process's last {@code done:} line (a demo's own comes after its children's), from either
     * stream, once it has exited.
     *
     * @param process the process, exited.
     * @return the values.
     */
    static Map<String, String> doneLine(final ChildProcess process)
    {
        final List<String> all = new ArrayList<>(process.lines());
        all.addAll(process.errorLines());
        String last = null;
        for (final String line : all)
        {
            if (line.startsWith("[") && line.contains("] " + DoneLine.MARKER))
            {
                last = line;
            }
        }
        if (last == null)
        {
            throw new AssertionError("no done: line from " + process + ":\n" + process.output());
        }
        return DoneLine.parse(last);
    }

    /**
     * Wait until a channel's counters say at least {@code count} messages were published into it, read-only.
     *
     * @param region  the region's shared-memory name.
     * @param channel the channel.
     * @param count   how many.
     */
    static void awaitPublished(final String region, final String channel, final long count)
    {
        final long deadline = System.nanoTime() + RUN.toNanos();
        long published = -1;
        while (System.nanoTime() - deadline < 0)
        {
            try (RegionInspector inspector = RegionInspector.open(RegionLocation.shm(region)))
            {
                for (final ChannelStatus status : inspector.channels())
                {
                    if (status.spec().name().equals(channel))
                    {
                        published = status.counts().publishedMessages();
                    }
                }
            }
            catch (final ShmIpcException ex)
            {
                published = -1; // not there yet
            }
            if (published >= count)
            {
                return;
            }
            LockSupport.parkNanos(POLL_NS);
        }
        throw new AssertionError("channel " + channel + " of " + region + ": " + published + " of " + count +
            " messages published within " + RUN);
    }

    /**
     * Wait until at least {@code count} messages wait in a ring channel, counted read-only.
     *
     * @param region  the region's shared-memory name.
     * @param channel the channel.
     * @param count   how many.
     */
    static void awaitWaiting(final String region, final String channel, final long count)
    {
        final long deadline = System.nanoTime() + RUN.toNanos();
        long waiting = -1;
        while (System.nanoTime() - deadline < 0)
        {
            try (RegionInspector inspector = RegionInspector.open(RegionLocation.shm(region)))
            {
                waiting = inspector.peek(channel, 0, null).messages();
            }
            catch (final ShmIpcException ex)
            {
                waiting = -1; // not there yet
            }
            if (waiting >= count)
            {
                return;
            }
            LockSupport.parkNanos(POLL_NS);
        }
        throw new AssertionError("channel " + channel + " of " + region + ": " + waiting + " of " + count +
            " messages waiting within " + RUN);
    }

    /**
     * Whether a shared-memory region exists.
     *
     * @param name its name.
     * @return true when {@code /dev/shm/NAME} exists.
     */
    static boolean shmExists(final String name)
    {
        return Files.exists(Path.of("/dev/shm", name));
    }

    /**
     * Wait for the process's {@code done:} line and read its values.
     *
     * @param process the process.
     * @return the values.
     */
    static Map<String, String> result(final ChildProcess process)
    {
        return DoneLine.parse(process.awaitLine(line -> line.contains("] " + DoneLine.MARKER), RUN));
    }

    /**
     * Wait for the process to exit with {@code expected}.
     *
     * @param process  the process.
     * @param expected the exit code.
     */
    static void assertExit(final ChildProcess process, final int expected)
    {
        assertEquals(expected, process.awaitExit(RUN), () -> "exit code; output:\n" + process.output());
    }

    static long number(final Map<String, String> result, final String key)
    {
        final String value = result.get(key);
        if (value == null)
        {
            throw new AssertionError("no " + key + " in " + result);
        }
        return Long.parseLong(value);
    }

    static double decimal(final Map<String, String> result, final String key)
    {
        final String value = result.get(key);
        if (value == null)
        {
            throw new AssertionError("no " + key + " in " + result);
        }
        return Double.parseDouble(value);
    }

    /**
     * The repository root, where the {@code shm-ipc} launcher lives.
     *
     * @return the directory.
     */
    static Path repositoryRoot()
    {
        return examplesJar().getParent().getParent().getParent();
    }

    /**
     * The shaded jar the launcher runs.
     *
     * @return its path.
     */
    static Path examplesJar()
    {
        return Path.of(System.getProperty("shmipc.examples.jar", "../ipc-examples/target/shm-ipc.jar"))
            .toAbsolutePath().normalize();
    }

    ChildProcess track(final ChildProcess process)
    {
        processes.add(process);
        return process;
    }
}
