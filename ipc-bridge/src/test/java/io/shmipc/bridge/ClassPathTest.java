package io.shmipc.bridge;

import io.aeron.Aeron;
import io.aeron.driver.MediaDriver;
import org.agrona.concurrent.AgentRunner;
import org.junit.jupiter.api.Test;

import java.io.File;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Aeron runs on the Agrona of ipc-core, the only one on the class path (Aeron's own is excluded by the build).
 */
class ClassPathTest
{
    @Test
    void exactlyOneAgronaTheProjectsAndAeronLoadsAgainstIt() throws Exception
    {
        final List<String> agronaJars = Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
            .filter(entry -> Path.of(entry).getFileName().toString().startsWith("agrona"))
            .toList();
        final String version = System.getProperty("shmipc.agrona.version");
        assertEquals(1, agronaJars.size(), agronaJars.toString());
        assertEquals("agrona-" + version + ".jar", Path.of(agronaJars.get(0)).getFileName().toString());
        final Path loadedFrom = Path.of(AgentRunner.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        assertEquals(Path.of(agronaJars.get(0)), loadedFrom);
        // Aeron's client and driver link against it (the loopback test runs them).
        assertTrue(Aeron.class.getProtectionDomain().getCodeSource().getLocation().getPath().contains("aeron-client"));
        assertTrue(MediaDriver.class.getProtectionDomain().getCodeSource().getLocation().getPath()
            .contains("aeron-driver"));
    }
}
