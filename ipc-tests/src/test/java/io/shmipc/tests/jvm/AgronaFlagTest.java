package io.shmipc.tests.jvm;

import io.shmipc.examples.cli.ShmIpcCommand;
import io.shmipc.toolkit.ChildProcess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.File;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.*;

/**
 * A JVM started without {@code --add-exports java.base/jdk.internal.misc=ALL-UNNAMED} gets a message naming the
 * flag on every use, not an {@link IllegalAccessError} from deep inside Agrona; with Agrona on the module path the
 * flag names Agrona's module, which is what that JVM needs.
 */
@Timeout(60)
class AgronaFlagTest
{
    @Test
    void firstUseWithoutTheFlagNamesIt()
    {
        final ChildProcess child = runFlagless(List.of("-cp", System.getProperty("java.class.path")));
        final String flag = "--add-exports java.base/jdk.internal.misc=ALL-UNNAMED";
        assertTrue(child.lines().get(0).startsWith("ATTEMPT 1 IllegalStateException") &&
            child.lines().get(0).contains(flag), child.output());
        assertTrue(child.lines().get(1).startsWith("ATTEMPT 2 IllegalStateException") &&
            child.lines().get(1).contains(flag), child.output());
    }

    @Test
    void withAgronaOnTheModulePathTheFlagNamesItsModule()
    {
        final List<String> classPath = new ArrayList<>();
        final List<String> agrona = new ArrayList<>();
        for (final String entry : System.getProperty("java.class.path").split(File.pathSeparator))
        {
            (Path.of(entry).getFileName().toString().startsWith("agrona-") ? agrona : classPath).add(entry);
        }
        assertEquals(1, agrona.size(), "Agrona's jar on the test class path");
        final ChildProcess child = runFlagless(List.of("--module-path", agrona.get(0), "--add-modules", "org.agrona",
            "-cp", String.join(File.pathSeparator, classPath)));
        assertTrue(child.lines().get(0).startsWith("ATTEMPT 1 IllegalStateException") &&
            child.lines().get(0).contains("--add-exports java.base/jdk.internal.misc=org.agrona "), child.output());
    }

    /**
     * The command line on a class path without the flag: one error line naming it for every command, {@code --help}
     * included, though building the commands already uses Agrona.
     */
    @Test
    void theCommandLineWithoutTheFlagSaysSoInOneLine()
    {
        for (final String command : List.of("--help", "list"))
        {
            final ChildProcess child = ChildProcess.start("flagless shm-ipc " + command, List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
                System.getProperty("java.class.path"), ShmIpcCommand.class.getName(), command));
            assertEquals(1, child.awaitExit(Duration.ofSeconds(30)), child::output);
            assertEquals(List.of("shm-ipc: error: this JVM lacks the flag --add-exports " +
                "java.base/jdk.internal.misc=ALL-UNNAMED, which Agrona needs: add it to the java command line or to " +
                "JDK_JAVA_OPTIONS (./shm-ipc and java -jar shm-ipc.jar need none)"), child.lines(), child::output);
        }
    }

    private static ChildProcess runFlagless(final List<String> path)
    {
        final String name = "shmipc-flagless-" + UUID.randomUUID();
        final List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(path);
        command.add(FlaglessMain.class.getName());
        command.add(name);
        final ChildProcess child = ChildProcess.start("flagless JVM", command);
        child.awaitSuccess(Duration.ofSeconds(30));
        return child;
    }
}
