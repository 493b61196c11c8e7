package io.shmipc.tests.jvm;

import io.shmipc.tests.support.ChildJvms;
import io.shmipc.toolkit.ChildProcess;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Which accesses to a mapping whose file was truncated HotSpot survives (an {@link InternalError}) and which crash
 * the JVM, in the interpreter, with C1 and with C2: the facts the library's truncation handling stands on (see
 * {@code MappedBuffer} and docs/guarantees.md, "Hostile or broken memory"). Single loads and stores and
 * {@code copyMemory} are guarded in every mode, and so is {@code MappedBuffer.setMemory}, which zeroes by copying;
 * Agrona's {@code setMemory} (a {@code memset} in the VM from 100 bytes on) crashes in every mode, which is why the
 * library never uses it on a mapping; compare-and-set and atomic add are guarded once compiled, but crash in the
 * interpreter. HotSpot 25 guards Agrona's {@code setMemory} and an interpreted atomic add too; an interpreted
 * compare-and-set still crashes it. The cold accesses are atomics whose caller runs in the interpreter: guarded
 * whenever a compiler runs, since {@code MappedBuffer} and {@code MappedCounter} run them in methods compiled when
 * {@code MappedBuffer} loads ({@code -Xbatch} here, so that compilation has finished when the probe goes on).
 */
class MappingFaultTest
{
    @TempDir
    Path directory;

    @ParameterizedTest(name = "{0} {1}: {2}")
    @CsvSource({
        "int, get, GUARDED, GUARDED", "c1, get, GUARDED, GUARDED", "c2, get, GUARDED, GUARDED",
        "int, put, GUARDED, GUARDED", "c1, put, GUARDED, GUARDED", "c2, put, GUARDED, GUARDED",
        "int, copy, GUARDED, GUARDED", "c1, copy, GUARDED, GUARDED", "c2, copy, GUARDED, GUARDED",
        "int, mappedZero, GUARDED, GUARDED", "c1, mappedZero, GUARDED, GUARDED", "c2, mappedZero, GUARDED, GUARDED",
        "int, agronaZero, CRASH, GUARDED", "c1, agronaZero, CRASH, GUARDED", "c2, agronaZero, CRASH, GUARDED",
        "int, cas, CRASH, CRASH", "c1, cas, GUARDED, GUARDED", "c2, cas, GUARDED, GUARDED",
        "int, add, CRASH, GUARDED", "c1, add, GUARDED, GUARDED", "c2, add, GUARDED, GUARDED",
        "int, coldCas, CRASH, CRASH", "c1, coldCas, GUARDED, GUARDED", "c2, coldCas, GUARDED, GUARDED",
        "int, coldAdd, CRASH, GUARDED", "c1, coldAdd, GUARDED, GUARDED", "c2, coldAdd, GUARDED, GUARDED",
        "int, coldCounter, CRASH, GUARDED", "c1, coldCounter, GUARDED, GUARDED", "c2, coldCounter, GUARDED, GUARDED"})
    @Timeout(60)
    void accessToATruncatedMapping(final String compiler, final String access, final String onJava17,
        final String onJava25) throws IOException
    {
        // The probe runs on this test's JVM: HotSpot 25 also guards a memset and an interpreted atomic add.
        final String expected = Runtime.version().feature() >= 25 ? onJava25 : onJava17;
        final Path errors = Files.createDirectory(directory.resolve("errors"));
        final List<String> options = List.of(switch (compiler)
        {
            case "int" -> "-Xint";
            case "c1" -> "-XX:TieredStopAtLevel=1";
            default -> "-XX:-TieredCompilation";
        }, "-Xbatch", "-XX:-CreateCoredumpOnCrash", "-XX:ErrorFile=" + errors.resolve("hs_err_pid%p.log"));
        final ChildProcess probe = ChildJvms.start(options, MappingFaultProbeMain.class,
            directory.resolve("mapped").toString(), access);
        final int status = probe.awaitExit(Duration.ofSeconds(50));
        final boolean crashed;
        try (Stream<Path> files = Files.list(errors))
        {
            crashed = files.findAny().isPresent();
        }
        if (expected.equals("CRASH"))
        {
            assertTrue(crashed && status != 0, "expected a crash: status " + status + " " + probe.output());
        }
        else
        {
            assertEquals(0, status, probe.output());
            assertFalse(crashed, probe.output());
            assertTrue(probe.lines().stream().anyMatch(line -> line.startsWith("GUARDED ")), probe.output());
        }
    }
}
