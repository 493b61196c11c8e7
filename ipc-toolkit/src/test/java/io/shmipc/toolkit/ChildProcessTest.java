package io.shmipc.toolkit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Child JVMs as every tool and test starts them: the flags shm-ipc needs, lines waited for, standard input, signals.
 */
@Timeout(120)
class ChildProcessTest
{
    private static final Duration WAIT = Duration.ofSeconds(60);

    @Test
    void aChildJvmGetsTheFlagsEchoesItsInputAndEndsOnSigterm()
    {
        final List<String> command = JavaCommand.thisJava().option("-Xmx64m").mainClass(Echo.class, List.of("hi"));
        assertTrue(command.containsAll(JvmFlags.forThisJvm()), command::toString);
        try (ChildProcess child = ChildProcess.builder("echo", command).defaultSignals().separateErrors().start())
        {
            child.awaitLine(line -> line.startsWith("flags "), WAIT);
            final String flags = child.lines().get(0);
            assertTrue(flags.contains(JvmFlags.AGRONA_EXPORT), flags);
            assertTrue(flags.contains(JvmFlags.NATIVE_ACCESS), flags);
            child.send("ping");
            assertEquals("echo ping", child.awaitLine(line -> line.startsWith("echo "), WAIT));
            child.signal("TERM");
            assertEquals(143, child.awaitExit(WAIT));
            assertEquals(List.of("to stderr: hi"), child.errorLines());
        }
    }

    @Test
    void aChildThatExitsBeforeTheLineFailsWithItsOutput()
    {
        try (ChildProcess child = ChildProcess.start("quick", JavaCommand.thisJava().mainClass(Echo.class,
            List.of("exit"))))
        {
            final ChildProcessException ex = assertThrows(ChildProcessException.class,
                () -> child.awaitLine(line -> line.equals("never"), WAIT));
            assertTrue(ex.getMessage().contains("exited with 3 before printing the line waited for"), ex.getMessage());
            assertTrue(ex.getMessage().contains("to stderr: exit"), ex.getMessage());
            assertFalse(child.isAlive());
        }
    }

    @Test
    void aChildThatDoesNotReactToASignalIsReportedWithTheSignalsSentAndItsSignalState()
    {
        final List<String> command = List.of("sh", "-c", "trap '' INT; echo ready; exec sleep 60");
        try (ChildProcess child = ChildProcess.start("deaf", command))
        {
            child.awaitLine(line -> line.equals("ready"), WAIT);
            child.signal("INT");
            final ChildProcessException ex = assertThrows(ChildProcessException.class,
                () -> child.awaitLine(line -> line.equals("never"), Duration.ofMillis(200)));
            assertTrue(ex.getMessage().contains("did not print the line waited for within 200ms (sent SIGINT at "),
                ex.getMessage());
            // SIGINT is signal 2: bit 1 of the ignored set, which the kernel prints in hexadecimal.
            final String ignored = ex.getMessage().replaceAll("(?s).*SigIgn=([0-9a-f]+).*", "$1");
            assertEquals(2, Long.parseUnsignedLong(ignored, 16) & 2, ex.getMessage());
            assertTrue(child.isAlive());
        }
    }

    @Test
    void likeThisJvmKeepsThisJvmsOptionsAndAddsOnlyMissingFlags()
    {
        final List<String> options = JavaCommand.likeThisJvm().options();
        for (final String flag : JvmFlags.forThisJvm())
        {
            // The JVM reports --add-exports X as --add-exports=X.
            assertEquals(1, options.stream().filter(option -> option.equals(flag)).count(), options::toString);
        }
        final List<String> spaced = List.of("--add-exports", "java.base/jdk.internal.misc=ALL-UNNAMED");
        final List<String> added = JvmFlags.withFlags(spaced, JvmFlags.forRelease(17));
        assertEquals(List.of(spaced.get(0), spaced.get(1), JvmFlags.NATIVE_ACCESS), added);
    }

    /**
     * A child: prints its input arguments, echoes standard input, exits 3 when its argument says so.
     */
    public static final class Echo
    {
        private Echo()
        {
        }

        public static void main(final String[] args) throws Exception
        {
            System.err.println("to stderr: " + args[0]);
            if (args[0].equals("exit"))
            {
                System.exit(3);
            }
            System.out.println("flags " +
                java.lang.management.ManagementFactory.getRuntimeMXBean().getInputArguments());
            final java.io.BufferedReader in = new java.io.BufferedReader(new java.io.InputStreamReader(System.in,
                java.nio.charset.StandardCharsets.UTF_8));
            String line;
            while ((line = in.readLine()) != null)
            {
                System.out.println("echo " + line);
            }
        }
    }
}
