package io.shmipc.tests.jvm;

import io.shmipc.toolkit.ChildProcess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.*;

/**
 * A JVM started without {@code --add-exports java.base/jdk.internal.misc=ALL-UNNAMED} gets a message naming the
 * flag on every use, not an {@link IllegalAccessError} from deep inside Agrona.
 */
@Timeout(60)
class AgronaFlagTest
{
    @Test
    void firstUseWithoutTheFlagNamesIt()
    {
        final String name = "shmipc-flagless-" + UUID.randomUUID();
        final List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "-cp", System.getProperty("java.class.path"), FlaglessMain.class.getName(), name);
        final ChildProcess child = ChildProcess.start("flagless JVM", command);
        child.awaitSuccess(Duration.ofSeconds(30));
        final String flag = "--add-exports java.base/jdk.internal.misc=ALL-UNNAMED";
        assertTrue(child.lines().get(0).startsWith("ATTEMPT 1 IllegalStateException") &&
            child.lines().get(0).contains(flag), child.output());
        assertTrue(child.lines().get(1).startsWith("ATTEMPT 2 IllegalStateException") &&
            child.lines().get(1).contains(flag), child.output());
    }
}
