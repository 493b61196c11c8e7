package io.shmipc.tests.faults;

import io.shmipc.tests.support.ChildJvms;
import io.shmipc.toolkit.ChildProcess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static io.shmipc.tests.faults.FaultSupport.longField;
import static org.junit.jupiter.api.Assertions.*;

/**
 * 10,000 randomly corrupted regions (headers, directories, control blocks, endpoint tables, Agrona trailers and
 * records, file lengths): attaching, polling, publishing and inspecting each either works or throws a
 * {@code ShmIpcException}; no other exception, no JVM crash, no hang. The fuzz runs in a child JVM, so a crash
 * is a non-zero exit status and a hang is caught by its watchdog.
 * <p>
 * The seed is random and printed; rerun one with {@code -Dshmipc.fuzz.seed=<seed>}. The template region holds
 * pids and times, so a seed replays the same mutations on a template that differs in those fields only.
 */
class LayoutFuzzTest
{
    private static final long ITERATIONS = 10_000;

    @Test
    @Timeout(value = 150, unit = TimeUnit.SECONDS)
    void corruptedRegionsWorkOrThrowTypedExceptions() throws IOException
    {
        final long seed = Long.getLong("shmipc.fuzz.seed", ThreadLocalRandom.current().nextLong());
        System.out.println("layout fuzz seed=" + seed + " (rerun with -Dshmipc.fuzz.seed=" + seed + ")");
        // On tmpfs, as regions normally are: writing 10,000 region files is then memory copies.
        final Path work = Files.createTempDirectory(Path.of("/dev/shm"), "faults-fuzz-");
        try (ChildProcess fuzzer = ChildJvms.start(LayoutFuzzerMain.class, work.toString(), Long.toString(seed),
            Long.toString(ITERATIONS)))
        {
            final String done = fuzzer.awaitLine(line -> line.startsWith("FUZZ DONE") || line.startsWith("HANG"),
                Duration.ofSeconds(120));
            final int exit = fuzzer.awaitExit(Duration.ofSeconds(20));
            final String context = "seed=" + seed + "\n" + fuzzer.output();
            assertTrue(done.startsWith("FUZZ DONE"), context);
            assertEquals(0, exit, "exit status (0: nothing bad, 1: untyped exceptions, 3: hang, >128: crash); " +
                context);
            assertEquals(ITERATIONS, longField(done, "iterations"), context);
            assertEquals(0, longField(done, "bad"), context);
            assertTrue(longField(done, "worked") > ITERATIONS / 10, "enough mutations leave a usable region: " +
                done);
            assertTrue(longField(done, "typed") > ITERATIONS / 10, "enough mutations are caught: " + done);
            System.out.println("layout fuzz seed=" + seed + ": " + done);
        }
        finally
        {
            try (Stream<Path> paths = Files.walk(work))
            {
                for (final Path path : paths.sorted(Comparator.reverseOrder()).toList())
                {
                    Files.deleteIfExists(path);
                }
            }
        }
    }
}
