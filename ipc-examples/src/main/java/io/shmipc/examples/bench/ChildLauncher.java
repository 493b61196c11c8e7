package io.shmipc.examples.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * Starts the child JVMs: the coordinator's own {@code java} executable
 * ({@code ProcessHandle.current().info().command()}) and class path, the flags in {@link #jvmFlags()}, and
 * {@link BenchRole} as the main class.
 */
final class ChildLauncher
{
    /**
     * Flags of every child JVM, before any {@code --jvm-option}: Agrona's export, Aeron's open (for the bridge
     * scenario's media drivers), a small fixed pre-touched heap and
     * the serial collector, so that no GC thread competes for the two cores the benchmark runs on.
     */
    static final List<String> DEFAULT_JVM_FLAGS = List.of(
        "--add-exports", "java.base/jdk.internal.misc=ALL-UNNAMED", "--add-opens", "java.base/sun.nio.ch=ALL-UNNAMED",
        "-XX:+UseSerialGC", "-Xms128m", "-Xmx128m", "-XX:+AlwaysPreTouch");

    private final String java;
    private final String classPath;
    private final List<String> jvmFlags;
    private final boolean verbose;

    ChildLauncher(final BenchSettings settings)
    {
        this.java = ProcessHandle.current().info().command()
            .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        this.classPath = System.getProperty("java.class.path");
        final List<String> flags = new ArrayList<>(DEFAULT_JVM_FLAGS);
        flags.addAll(settings.extraJvmOptions());
        this.jvmFlags = Collections.unmodifiableList(flags);
        this.verbose = settings.verbose();
    }

    /**
     * The exact flags every child JVM gets.
     *
     * @return the flags, in order.
     */
    List<String> jvmFlags()
    {
        return jvmFlags;
    }

    /**
     * Start a child running a role.
     *
     * @param name      how messages name it.
     * @param role      the role.
     * @param arguments its {@code key=value} arguments.
     * @return the child.
     * @throws IOException when the JVM cannot start.
     */
    ChildProcess start(final String name, final String role, final Map<String, String> arguments) throws IOException
    {
        return start(name, role, arguments, List.of());
    }

    /**
     * Start a child running a role behind a command prefix (e.g. {@code ip netns exec NS}, which execs the JVM).
     *
     * @param name      how messages name it.
     * @param role      the role.
     * @param arguments its {@code key=value} arguments.
     * @param prefix    the prefix; empty for none.
     * @return the child.
     * @throws IOException when the JVM cannot start.
     */
    ChildProcess start(final String name, final String role, final Map<String, String> arguments,
        final List<String> prefix) throws IOException
    {
        final List<String> command = new ArrayList<>(prefix);
        command.add(java);
        command.addAll(jvmFlags);
        command.add("-cp");
        command.add(classPath);
        command.add(BenchRole.class.getName());
        command.add(role);
        for (final Map.Entry<String, String> argument : arguments.entrySet())
        {
            command.add(argument.getKey() + "=" + argument.getValue());
        }
        return ChildProcess.start(name, command, verbose);
    }
}
