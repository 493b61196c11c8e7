package io.shmipc.tests.cli;

import io.shmipc.tests.support.ChildJvms;
import io.shmipc.Region;
import io.shmipc.RegionLocation;
import io.shmipc.examples.cli.ShmIpcCommand;
import io.shmipc.examples.support.DoneLine;
import io.shmipc.toolkit.ChildProcess;
import org.junit.jupiter.api.AfterEach;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * What the command-line tests share: starting {@code shm-ipc} subcommands as separate JVMs, unique region names,
 * reading {@code done:} lines, and cleaning up processes and regions after each test.
 */
abstract class CliTestBase
{
    static final Duration STARTUP = Duration.ofSeconds(60);
    static final Duration RUN = Duration.ofSeconds(90);

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

    private ChildProcess track(final ChildProcess process)
    {
        processes.add(process);
        return process;
    }
}
