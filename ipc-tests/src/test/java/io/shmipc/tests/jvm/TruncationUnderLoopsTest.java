package io.shmipc.tests.jvm;

import io.shmipc.tests.support.ChildJvms;
import io.shmipc.toolkit.ChildProcess;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.*;

/**
 * 400 truncations in a fresh JVM, each under a publisher thread and a subscriber thread looping on one channel
 * ({@link TruncationUnderLoopsMain}): every thread must end on {@code CorruptRegionException} on field
 * {@code file.size} through its own {@code catch}; no thread may be ended past it by a fault on the mapping that
 * HotSpot still held when the library threw (the library takes it first: {@code RegionHealth.takePendingFault},
 * docs/guarantees.md), and the JVM must not crash. With tiered compilation, C1 only and C2 only.
 */
class TruncationUnderLoopsTest
{
    private static final String TRUNCATIONS = "400";

    @TempDir
    Path directory;

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"tiered", "c1", "c2"})
    @Timeout(180)
    void everyLoopingThreadEndsOnTheTypedErrorThroughItsOwnCatch(final String compiler) throws IOException
    {
        final Path errors = Files.createDirectory(directory.resolve("errors"));
        final Path regions = Files.createDirectory(directory.resolve("regions"));
        final List<String> options = List.of(switch (compiler)
        {
            case "c1" -> "-XX:TieredStopAtLevel=1";
            case "c2" -> "-XX:-TieredCompilation";
            default -> "-XX:+TieredCompilation";
        }, "-XX:-CreateCoredumpOnCrash", "-XX:ErrorFile=" + errors.resolve("hs_err_pid%p.log"));
        try (ChildProcess child = ChildJvms.start(options, TruncationUnderLoopsMain.class, regions.toString(),
            TRUNCATIONS))
        {
            final int status = child.awaitExit(Duration.ofSeconds(170));
            try (Stream<Path> crashes = Files.list(errors))
            {
                assertFalse(crashes.findAny().isPresent(), child.output());
            }
            assertEquals(0, status, child.output());
            assertEquals(List.of(), child.lines().stream().filter(line -> line.startsWith("FAILED")).toList());
            assertTrue(child.lines().contains("DONE " + TRUNCATIONS), child.output());
        }
    }
}
