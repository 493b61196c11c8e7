package io.shmipc.tests.jvm;

import io.shmipc.Region;
import io.shmipc.toolkit.ChildProcess;
import io.shmipc.toolkit.JavaCommand;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The library works for an application on the class path and for one in its own module, each in a JVM of its
 * own: a small program ({@code modular-app/shmipc.tour}) creates a region, publishes by copy, claim and batch,
 * polls with a blocking wait and inspects the counters. Without Agrona's export flag each gets a message naming
 * the flag its way of loading needs, and that very flag makes the program work. A module that reaches for an
 * internal package of the library does not compile.
 */
@Timeout(120)
class ModulePathTest
{
    private static final String CLASS_PATH_FLAG = "--add-exports java.base/jdk.internal.misc=ALL-UNNAMED";
    private static final String MODULE_PATH_FLAG = "--add-exports java.base/jdk.internal.misc=org.agrona";
    private static final Pattern NAMED_FLAG = Pattern.compile("needs the JVM flag (--add-exports \\S+)");

    @TempDir
    static Path work;

    private static String libraries;
    private static Path tourClasses;

    @BeforeAll
    static void compileTheProgram() throws Exception
    {
        libraries = String.join(File.pathSeparator, location(Region.class), location(UnsafeBuffer.class),
            location(com.sun.jna.Native.class));
        tourClasses = work.resolve("tour-classes");
        final List<String> errors = compile("shmipc.tour", tourClasses);
        assertTrue(errors.isEmpty(), "the program compiles as a module requiring io.shmipc: " + errors);
    }

    @Test
    void aModuleCannotReachTheLibrarysInternals() throws Exception
    {
        final List<String> errors = compile("shmipc.intruder", work.resolve("intruder-classes"));
        assertFalse(errors.isEmpty(), "a module importing io.shmipc.posix must not compile");
        assertTrue(errors.stream().anyMatch(error -> error.contains("io.shmipc.posix") &&
            error.contains("does not export")), String.join("\n", errors));
    }

    @Test
    void onTheClassPath()
    {
        final List<String> launch = List.of("-cp", libraries + File.pathSeparator + tourClasses, "tour.ApiTour");
        final String refused = runWithout(launch);
        assertEquals(CLASS_PATH_FLAG, namedFlag(refused), refused);
        final String output = run(namedFlag(refused), launch);
        assertTrue(output.contains("MODULE unnamed app=unnamed"), output);
        assertTour(output);
    }

    @Test
    void onTheModulePath()
    {
        final List<String> launch = List.of("-p", libraries + File.pathSeparator + tourClasses, "-m",
            "shmipc.tour/tour.ApiTour");
        final String refused = runWithout(launch);
        assertEquals(MODULE_PATH_FLAG, namedFlag(refused), refused);
        final String output = run(namedFlag(refused), launch);
        assertTrue(output.contains("MODULE io.shmipc app=shmipc.tour"), output);
        assertTour(output);
    }

    private static void assertTour(final String output)
    {
        assertTrue(output.contains("OFFER 1"), output);
        assertTrue(output.contains("RECEIVED 3 sum=126 wakeUp=FUTEX"), output);
        assertTrue(output.contains("BROADCAST 1 connected=1"), output);
        assertTrue(output.contains("INSPECTED ring consumed=3"), output);
    }

    private static String namedFlag(final String output)
    {
        final Matcher matcher = NAMED_FLAG.matcher(output);
        assertTrue(matcher.find(), "the message names a flag: " + output);
        return matcher.group(1);
    }

    private static String runWithout(final List<String> launch)
    {
        final String output = run(null, launch);
        assertTrue(output.contains("REFUSED shm-ipc needs the JVM flag"), output);
        return output;
    }

    private static String run(final String flag, final List<String> launch)
    {
        final List<String> command = new ArrayList<>();
        command.add(JavaCommand.javaExecutable());
        command.add("-Xmx64m");
        if (flag != null)
        {
            command.addAll(List.of(flag.split(" ")));
        }
        command.addAll(launch);
        command.add("shmipc-modules-" + UUID.randomUUID());
        final ChildProcess child = ChildProcess.start(String.join(" ", launch), command);
        child.awaitSuccess(Duration.ofSeconds(60));
        return child.output();
    }

    /**
     * Compile one module of {@code modular-app} against the library on the module path.
     *
     * @return the compiler's errors, empty when it compiled.
     */
    private static List<String> compile(final String module, final Path output) throws IOException
    {
        final Path sources = copySources(module);
        final JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
        final DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
        final List<Path> files;
        try (var walk = Files.walk(sources))
        {
            files = walk.filter(path -> path.toString().endsWith(".java")).toList();
        }
        try (StandardJavaFileManager fileManager = compiler.getStandardFileManager(diagnostics, null, null))
        {
            final boolean compiled = compiler.getTask(null, fileManager, diagnostics,
                List.of("--module-path", libraries, "--class-path", Files.createDirectories(work.resolve("empty"))
                .toString(), "-d", output.toString(), "-Xlint:none"), null,
                fileManager.getJavaFileObjectsFromPaths(files)).call();
            final List<String> errors = new ArrayList<>();
            diagnostics.getDiagnostics().stream()
                .filter(diagnostic -> diagnostic.getKind() == javax.tools.Diagnostic.Kind.ERROR)
                .forEach(diagnostic -> errors.add(diagnostic.getMessage(null)));
            assertEquals(compiled, errors.isEmpty(), "compiler result and errors agree: " + errors);
            return errors;
        }
    }

    private static Path copySources(final String module) throws IOException
    {
        final Path root = work.resolve("sources").resolve(module);
        for (final String file : List.of("module-info.java", sourceFile(module)))
        {
            final Path target = root.resolve(file);
            Files.createDirectories(target.getParent());
            try (InputStream in = ModulePathTest.class.getResourceAsStream("/modular-app/" + module + "/" + file))
            {
                assertNotNull(in, "resource modular-app/" + module + "/" + file);
                Files.copy(in, target);
            }
        }
        return root;
    }

    private static String sourceFile(final String module)
    {
        return module.equals("shmipc.tour") ? "tour/ApiTour.java" : "intruder/Intruder.java";
    }

    private static String location(final Class<?> type)
    {
        try
        {
            return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
        }
        catch (final URISyntaxException ex)
        {
            throw new IllegalStateException(ex);
        }
    }
}
