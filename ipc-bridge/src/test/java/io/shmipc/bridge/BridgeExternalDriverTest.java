package io.shmipc.bridge;

import io.shmipc.ChannelKind;
import io.shmipc.Region;
import io.shmipc.RegionConfig;
import io.shmipc.RegionLocation;
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
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A bridge on an external media driver, in a process of its own, that stops: the bridge fails with a
 * {@link BridgeException} naming the driver's directory, and the JVM that runs it goes on (Aeron's own default
 * would end it).
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class BridgeExternalDriverTest
{
    @TempDir
    Path temp;

    @Test
    void aStoppedExternalDriverFailsTheBridgeAndLeavesTheJvmRunning() throws Exception
    {
        final Path driverDirectory = temp.resolve("driver");
        final Path driverLog = temp.resolve("driver.log");
        final Process driver = new ProcessBuilder(List.of(
            ProcessHandle.current().info().command().orElseThrow(),
            "--add-exports", "java.base/jdk.internal.misc=ALL-UNNAMED",
            "--add-opens", "java.base/sun.nio.ch=ALL-UNNAMED",
            "-cp", System.getProperty("java.class.path"),
            "-Daeron.dir=" + driverDirectory, "-Daeron.dir.delete.on.shutdown=true",
            "io.aeron.driver.MediaDriver"))
            .redirectErrorStream(true).redirectOutput(driverLog.toFile()).start();
        final RegionLocation location = RegionLocation.shm("bridge-external-driver-" + ProcessHandle.current().pid() +
            "-" + System.nanoTime());
        final int port = 31000 + (int)(ProcessHandle.current().pid() % 1000) * 2;
        final BridgeConfig config = BridgeConfig.builder(location).name("external")
            .aeronDirectory(driverDirectory.toString())
            .listen("127.0.0.1:" + port).peer("127.0.0.1:" + (port + 1)).route(BridgeRoute.out("orders"))
            .replayCapacity(256 * 1024).termLength(256 * 1024)
            .build();
        final LinkedBlockingQueue<Throwable> errors = new LinkedBlockingQueue<>();
        try (Region region = Region.create(RegionConfig.builder(location)
            .channel("orders", ChannelKind.ONE_TO_ONE, 64 * 1024).deleteOnClose(true).build());
            BridgeRunner bridge = BridgeRunner.start(config, errors::add))
        {
            assertEquals(driverDirectory.toString(), bridge.bridge().aeronDirectory());
            assertTrue(errors.isEmpty(), errors.toString());

            driver.destroy(); // SIGTERM: the driver shuts down and marks its directory so
            assertTrue(driver.waitFor(30, TimeUnit.SECONDS), "the driver did not stop: " + log(driverLog));

            final Throwable error = errors.poll(30, TimeUnit.SECONDS);
            assertNotNull(error, "no error reported after the driver stopped");
            assertInstanceOf(BridgeException.class, error, String.valueOf(error));
            assertTrue(error.getMessage().contains("aeronDir=" + driverDirectory + " (external driver)"),
                error.getMessage());
            assertTrue(error.getMessage().contains("has been shutdown"), error.getMessage());

            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (!bridge.isClosed())
            {
                assertTrue(System.nanoTime() - deadline < 0, "the bridge's thread did not stop");
                LockSupport.parkNanos(1_000_000L);
            }
            assertTrue(errors.isEmpty(), "told once: " + errors);
            assertTrue(!region.isClosed(), "the application's own region stays open");
        }
        finally
        {
            driver.destroyForcibly();
            Bridge.deleteHome(config.homeDirectory());
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
