package io.shmipc.tests.cli;

import io.shmipc.examples.cli.ShmIpcCommand;
import io.shmipc.toolkit.JvmFlags;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What README.md and docs/cli-and-demos.md tell a user to type, checked against the code: every command line names
 * a command that exists, no two {@code shm-ipc} processes are joined by a shell pipe (one terminal each), the JVM
 * flags are the ones the tools use, and the Maven coordinates are the library's.
 */
class ReadmeTest
{
    private static final Pattern COMMAND = Pattern.compile("\\./shm-ipc ([a-z][a-z-]*)");

    @Test
    void everyCommandLineNamesAnExistingCommandAndNoneIsPipedIntoAnother() throws IOException
    {
        final Set<String> commands = ShmIpcCommand.commandLine().getSubcommands().keySet();
        for (final Path document : List.of(root().resolve("README.md"), root().resolve("docs/cli-and-demos.md")))
        {
            for (final String line : codeLines(document))
            {
                final Matcher matcher = COMMAND.matcher(line);
                while (matcher.find())
                {
                    assertTrue(commands.contains(matcher.group(1)), document + ": unknown command in: " + line);
                }
                assertTrue(!line.matches(".*shm-ipc[^|#]*\\|[^|#]*shm-ipc.*"),
                    document + ": two shm-ipc processes joined by a pipe (give each its terminal): " + line);
            }
        }
    }

    @Test
    void theJvmFlagsAndTheMavenCoordinatesAreTheOnesInUse() throws IOException
    {
        final String readme = Files.readString(root().resolve("README.md"));
        final String classPath = String.join(" ", JvmFlags.forRelease(17)).replace("--add-exports=",
            "--add-exports ");
        assertTrue(readme.contains("| the class path | `" + classPath + "` |"), classPath);
        assertTrue(readme.contains("`--add-exports java.base/jdk.internal.misc=org.agrona " +
            "--enable-native-access=com.sun.jna`"), "module path flags");
        final String pom = Files.readString(root().resolve("ipc-core/pom.xml"));
        final String version = Files.readString(root().resolve("pom.xml")).replaceAll("(?s).*?<version>([^<]+)" +
            "</version>.*", "$1");
        assertTrue(pom.contains("<artifactId>ipc-core</artifactId>"));
        assertTrue(readme.contains("<groupId>io.shmipc</groupId>\n    <artifactId>ipc-core</artifactId>\n    " +
            "<version>" + version + "</version>"), version);
        final String launcher = Files.readString(root().resolve("shm-ipc"));
        assertTrue(launcher.contains("--enable-native-access=ALL-UNNAMED") &&
            launcher.contains("--add-exports java.base/jdk.internal.misc=ALL-UNNAMED"), "the launcher's flags");
        assertEquals(2, JvmFlags.forRelease(25).size());
    }

    private static List<String> codeLines(final Path document) throws IOException
    {
        final List<String> lines = new ArrayList<>();
        boolean inCode = false;
        for (final String line : Files.readAllLines(document))
        {
            if (line.startsWith("```"))
            {
                inCode = line.equals("```bash") || (inCode ? false : line.equals("```sh"));
                continue;
            }
            if (inCode)
            {
                lines.add(line);
            }
        }
        return lines;
    }

    private static Path root()
    {
        return CliTestBase.repositoryRoot();
    }
}
