package io.shmipc.tests.jvm;

import io.shmipc.tests.support.ChildJvms;
import io.shmipc.toolkit.ChildProcess;
import io.shmipc.toolkit.JvmFlags;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Java the tests run on, and that their child JVMs run on the same with the flags shm-ipc needs and no warning.
 * CI runs the multi-process tests a second time on Java 25 and says so with {@code -Dshmipc.test.javaFeature=25}:
 * this test then fails if the JVMs are not that release.
 */
@Timeout(60)
class RunningJavaTest
{
    @Test
    void childJvmsRunOnThisJavaWithTheFlagsAndWithoutAWarning()
    {
        final String expected = System.getProperty("shmipc.test.javaFeature", "");
        if (!expected.isBlank())
        {
            assertEquals(Integer.parseInt(expected), Runtime.version().feature(), "the Java of the test JVM");
        }
        final String region = "shmipc-running-java-" + ProcessHandle.current().pid();
        try (ChildProcess child = ChildJvms.start(FlaglessMain.class, region))
        {
            assertEquals(0, child.awaitExit(Duration.ofSeconds(30)), child::output);
            assertFalse(child.output().contains("WARNING"), child::output);
            assertTrue(child.output().startsWith("CREATED Region{shm:shmipc-running-java-"), child::output);
        }
        assertEquals(2, JvmFlags.forThisJvm().size(), "Agrona's export and native access");
    }
}
