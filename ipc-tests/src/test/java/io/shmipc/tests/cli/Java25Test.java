package io.shmipc.tests.cli;

import io.shmipc.examples.cli.ShmIpcCommand;
import io.shmipc.tests.support.Prerequisites;
import io.shmipc.toolkit.ChildProcess;
import io.shmipc.toolkit.JvmFlags;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The command line on Java 25, where every restricted method call (JNA's {@code System.load}) prints a four-line
 * warning unless native access is enabled: the launcher, the runnable jar's manifest and the child JVMs of the
 * demo all enable it, so no JVM warns. The JDK is {@code -Dshmipc.test.jdk25=JAVA_HOME}, else the first Java 25
 * under /usr/lib/jvm; under CI (CI=true) a missing one fails the test instead of skipping it.
 */
@Timeout(240)
class Java25Test extends CliTestBase
{
    private static final String RESTRICTED_WARNING = "WARNING: A restricted method";

    @Test
    void theQuickStartRunsOnJava25WithoutAWarningFromAnyOfItsJvms()
    {
        final Path jdk = java25();
        final String region = uniqueRegion("java25");
        final ChildProcess demo = launch(Map.of("JAVA_HOME", jdk.toString(), "JAVA_OPTS", "-Xmx256m"),
            "demo", "--region", region, "--messages", "20000", "--round-trips", "2000", "--warmup", "500");
        assertEquals(0, demo.awaitExit(RUN), demo::output);
        assertFalse(demo.output().contains("WARNING"), demo::output);
        assertEquals("true", doneLine(demo).get("region-deleted"));
        assertEquals(40_000, number(doneLine(demo), "received"));
    }

    @Test
    void theRunnableJarNeedsNoFlagAndTheClassPathTheTwoFlagsOfJvmFlags()
    {
        final String java = java25().resolve("bin/java").toString();
        final String jar = examplesJar().toString();
        final String region = uniqueRegion("java25-jar");
        final ChildProcess viaJar = start("jar", List.of(java, "-jar", jar, "send", "--region", region, "--count",
            "0"));
        assertEquals(0, viaJar.awaitExit(RUN), viaJar::output);
        assertFalse(viaJar.output().contains(RESTRICTED_WARNING), viaJar::output);

        final List<String> bare = List.of(java, "--add-exports", "java.base/jdk.internal.misc=ALL-UNNAMED", "-cp",
            jar, ShmIpcCommand.class.getName(), "send", "--region", region, "--count", "0");
        final ChildProcess withoutNativeAccess = start("class path, export only", bare);
        assertEquals(0, withoutNativeAccess.awaitExit(RUN), withoutNativeAccess::output);
        assertTrue(withoutNativeAccess.output().contains(RESTRICTED_WARNING),
            "the warning this all prevents: " + withoutNativeAccess.output());

        final List<String> flagged = new ArrayList<>(List.of(java));
        flagged.addAll(JvmFlags.forRelease(25));
        flagged.addAll(List.of("-cp", jar, ShmIpcCommand.class.getName(), "send", "--region", region, "--count", "0"));
        final ChildProcess withFlags = start("class path, JvmFlags", flagged);
        assertEquals(0, withFlags.awaitExit(RUN), withFlags::output);
        assertFalse(withFlags.output().contains(RESTRICTED_WARNING), withFlags::output);
    }

    private ChildProcess start(final String name, final List<String> command)
    {
        return track(ChildProcess.builder(name, command).separateErrors().start());
    }

    /**
     * A Java 25 home.
     *
     * @return the JDK's home.
     */
    static Path java25()
    {
        final String given = System.getProperty("shmipc.test.jdk25");
        if (given != null && !given.isBlank())
        {
            return Path.of(given);
        }
        try (DirectoryStream<Path> homes = Files.newDirectoryStream(Path.of("/usr/lib/jvm")))
        {
            for (final Path home : homes)
            {
                final Path release = home.resolve("release");
                if (Files.isExecutable(home.resolve("bin/java")) && Files.isRegularFile(release) &&
                    Files.readString(release).contains("JAVA_VERSION=\"25"))
                {
                    return home;
                }
            }
        }
        catch (final IOException ex)
        {
            // none found: below
        }
        Prerequisites.require("the Java 25 test", "no Java 25 under /usr/lib/jvm and no -Dshmipc.test.jdk25");
        return null;
    }
}
