package io.shmipc.bridge;

import io.shmipc.ChannelKind;
import io.shmipc.Region;
import io.shmipc.RegionConfig;
import io.shmipc.RegionLocation;
import org.agrona.concurrent.AgentRunner;
import org.agrona.concurrent.AgentTerminationException;
import org.agrona.concurrent.SleepingMillisIdleStrategy;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A bridge on an external media driver, in a process of its own, that stops: the bridge fails with a
 * {@link BridgeException} naming the driver's directory, and the JVM that runs it goes on (Aeron's own default
 * would end it). Run by an Agrona {@link AgentRunner} of the application's own, the bridge ends the runner on the next
 * cycle instead of failing on every one.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class BridgeExternalDriverTest
{
    @TempDir
    Path temp;

    private final LinkedBlockingQueue<Throwable> errors = new LinkedBlockingQueue<>();
    private final RegionLocation location = RegionLocation.shm("bridge-external-driver-" +
        ProcessHandle.current().pid() + "-" + System.nanoTime());
    private Path driverDirectory;
    private Path driverLog;
    private Process driver;
    private BridgeConfig config;

    @BeforeEach
    void startDriver() throws IOException
    {
        driverDirectory = temp.resolve("driver");
        driverLog = temp.resolve("driver.log");
        driver = new ProcessBuilder(List.of(
            ProcessHandle.current().info().command().orElseThrow(),
            "--add-exports", "java.base/jdk.internal.misc=ALL-UNNAMED",
            "--add-opens", "java.base/sun.nio.ch=ALL-UNNAMED",
            "-cp", System.getProperty("java.class.path"),
            "-Daeron.dir=" + driverDirectory, "-Daeron.dir.delete.on.shutdown=true",
            "io.aeron.driver.MediaDriver"))
            .redirectErrorStream(true).redirectOutput(driverLog.toFile()).start();
    }

    @AfterEach
    void removeDriver()
    {
        driver.destroyForcibly();
        if (config != null)
        {
            Bridge.deleteHome(config.homeDirectory());
        }
    }

    /** The bridge's configuration, on the external driver, one pair of ports per test. */
    private BridgeConfig config(final int portOffset)
    {
        // Below Linux's ephemeral range (32768 and up), where Aeron's publication sockets take their ports.
        final int port = 31000 + (int)(ProcessHandle.current().pid() % 400) * 4 + portOffset;
        config = BridgeConfig.builder(location).name("external")
            .aeronDirectory(driverDirectory.toString())
            .listen("127.0.0.1:" + port).peer("127.0.0.1:" + (port + 1)).route(BridgeRoute.out("orders"))
            .replayCapacity(256 * 1024).termLength(256 * 1024)
            .build();
        return config;
    }

    private Region region()
    {
        return Region.create(RegionConfig.builder(location)
            .channel("orders", ChannelKind.ONE_TO_ONE, 64 * 1024).deleteOnClose(true).build());
    }

    /** SIGTERM: the driver shuts down and marks its directory so; then its error is the first one reported. */
    private Throwable stopDriver() throws InterruptedException
    {
        driver.destroy();
        assertTrue(driver.waitFor(30, TimeUnit.SECONDS), "the driver did not stop: " + log(driverLog));
        final Throwable error = errors.poll(30, TimeUnit.SECONDS);
        assertNotNull(error, "no error reported after the driver stopped");
        assertInstanceOf(BridgeException.class, error, String.valueOf(error));
        assertTrue(error.getMessage().contains("aeronDir=" + driverDirectory + " (external driver)"),
            error.getMessage());
        assertTrue(error.getMessage().contains("has been shutdown"), error.getMessage());
        return error;
    }

    @Test
    void aStoppedExternalDriverFailsTheBridgeAndLeavesTheJvmRunning() throws Exception
    {
        try (Region region = region();
            BridgeRunner bridge = BridgeRunner.start(config(0), errors::add))
        {
            assertEquals(driverDirectory.toString(), bridge.bridge().aeronDirectory());
            assertTrue(errors.isEmpty(), errors.toString());
            stopDriver();
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (!bridge.isClosed())
            {
                assertTrue(System.nanoTime() - deadline < 0, "the bridge's thread did not stop");
                LockSupport.parkNanos(1_000_000L);
            }
            assertTrue(errors.isEmpty(), "told once: " + errors);
            assertFalse(region.isClosed(), "the application's own region stays open");
        }
    }

    @Test
    void aPlainAgentRunnerStopsAfterTheFailureInsteadOfReportingItOnEveryCycle() throws Exception
    {
        try (Region region = region();
            Bridge bridge = Bridge.open(config(2));
            AgentRunner runner = new AgentRunner(new SleepingMillisIdleStrategy(1), errors::add, null, bridge))
        {
            AgentRunner.startOnThread(runner);
            final Throwable failure = stopDriver();
            final Throwable termination = errors.poll(30, TimeUnit.SECONDS);
            assertInstanceOf(AgentTerminationException.class, termination, String.valueOf(termination));
            assertSame(failure, termination.getCause(), "the next cycle ends the runner, naming the failure");
            runner.thread().join(TimeUnit.SECONDS.toMillis(30));
            assertFalse(runner.thread().isAlive(), "the runner's thread did not stop");
            assertTrue(errors.isEmpty(), "told twice, then nothing: " + errors);
            assertThrows(AgentTerminationException.class, bridge::doWork, "a stopped bridge stays stopped");
            assertFalse(region.isClosed(), "the application's own region stays open");
        }
    }

    private static String log(final Path file)
    {
        try
        {
            return Files.readString(file);
        }
        catch (final IOException ex)
        {
            return "(no log: " + ex + ")";
        }
    }
}
