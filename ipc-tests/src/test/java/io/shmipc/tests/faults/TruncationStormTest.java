package io.shmipc.tests.faults;

import io.shmipc.ChannelKind;
import io.shmipc.Region;
import io.shmipc.RegionConfig;
import io.shmipc.RegionLocation;
import io.shmipc.tests.support.ChildJvms;
import io.shmipc.toolkit.ChildProcess;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static io.shmipc.tests.faults.FaultSupport.START_TIMEOUT;
import static org.junit.jupiter.api.Assertions.*;

/**
 * A file-backed region truncated (to 0 bytes, or to its first page) under a JVM in which every kind of endpoint is
 * busy on its own thread ({@link TruncationStormMain}): the JVM must not crash (exit status 0, no {@code hs_err}
 * file) and every thread must get {@code CorruptRegionException} on field {@code file.size} from the library, never a
 * raw {@link InternalError} or anything else. Run with tiered compilation, with C1 only and with C2 only, after every
 * thread has made 20,000 operations (on a loaded machine: 3 s and at least 50); and cold: C2 only after 50 operations
 * per thread, when every path still runs in the interpreter but the atomics {@code MappedBuffer} compiles when it
 * loads ({@code -Xbatch}, so that this compilation has finished before the endpoints start).
 */
class TruncationStormTest
{
    private static final String ONE_TO_ONE = "o2o";
    private static final String MANY_TO_ONE = "m2o";
    private static final String BROADCAST = "b";
    private static final String LOG = "log";
    private static final String WARM_OPERATIONS = "20000";
    private static final String COLD_OPERATIONS = "50";
    private static final int THREADS = 12;

    @TempDir
    Path directory;

    @ParameterizedTest(name = "{0} truncated to {1}")
    @CsvSource({"tiered, 0", "tiered, 4096", "c1, 0", "c1, 4096", "c2, 0", "c2, 4096", "cold, 0", "cold, 4096"})
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void everyThreadGetsTheTypedErrorAndTheJvmSurvives(final String compiler, final long truncatedLength)
        throws IOException
    {
        final Path file = directory.resolve("region");
        final RegionLocation location = RegionLocation.file(file);
        Region.create(RegionConfig.builder(location)
            .channel(ONE_TO_ONE, ChannelKind.ONE_TO_ONE, 64 * 1024)
            .channel(MANY_TO_ONE, ChannelKind.MANY_TO_ONE, 64 * 1024)
            .channel(BROADCAST, ChannelKind.BROADCAST, 64 * 1024)
            .channel(LOG, ChannelKind.PUBLISH_SUBSCRIBE, 64 * 1024)
            .build()).close();
        final Path errors = Files.createDirectory(directory.resolve("errors"));
        final List<String> options = List.of(switch (compiler)
        {
            case "c1" -> "-XX:TieredStopAtLevel=1";
            case "c2", "cold" -> "-XX:-TieredCompilation";
            default -> "-XX:+TieredCompilation";
        }, compiler.equals("cold") ? "-Xbatch" : "-XX:+BackgroundCompilation",
            "-XX:ErrorFile=" + errors.resolve("hs_err_pid%p.log"));
        try (ChildProcess victim = ChildJvms.start(options, TruncationStormMain.class, file.toString(), ONE_TO_ONE,
            MANY_TO_ONE, BROADCAST, LOG, compiler.equals("cold") ? COLD_OPERATIONS : WARM_OPERATIONS))
        {
            victim.awaitLine(line -> line.equals("RUNNING") || line.startsWith("NOT-WARM"), START_TIMEOUT);
            assertTrue(victim.lines().contains("RUNNING"), victim.output());
            try (RandomAccessFile region = new RandomAccessFile(file.toFile(), "rw"))
            {
                region.setLength(truncatedLength);
            }
            final int status = victim.awaitExit(START_TIMEOUT.plusSeconds(30));
            try (Stream<Path> crashes = Files.list(errors))
            {
                assertEquals(List.of(), crashes.toList(), "hs_err file written: " + victim.output());
            }
            assertEquals(0, status, "exit status: " + victim.output());
            final List<String> threads = victim.lines().stream().filter(line -> line.startsWith("THREAD ")).toList();
            assertEquals(THREADS, threads.size(), victim.output());
            for (final String thread : threads)
            {
                assertTrue(thread.contains(" TYPED field=file.size "), thread + "\n" + victim.output());
            }
            System.out.println(compiler + " truncated to " + truncatedLength + ": " + threads);
        }
    }
}
