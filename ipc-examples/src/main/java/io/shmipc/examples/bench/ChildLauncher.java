package io.shmipc.examples.bench;

import io.shmipc.toolkit.ChildProcess;
import io.shmipc.toolkit.ChildProcessBuilder;
import io.shmipc.toolkit.JavaCommand;
import io.shmipc.toolkit.JvmFlags;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * Starts the child JVMs: the coordinator's own {@code java} and class path, the flags in {@link #jvmFlags()}, and
 * {@link BenchRole} as the main class.
 */
final class ChildLauncher
{
    /**
     * Flags of every child JVM after the ones shm-ipc needs ({@link JvmFlags}) and before any
     * {@code --jvm-option}: a small fixed pre-touched heap and the serial collector, so that no GC thread competes
     * for the two cores the benchmark runs on.
     */
    static final List<String> HEAP_FLAGS = List.of("-XX:+UseSerialGC", "-Xms128m", "-Xmx128m", "-XX:+AlwaysPreTouch");

    private final List<String> jvmFlags;
    private final boolean verbose;

    ChildLauncher(final BenchSettings settings)
    {
        final List<String> flags = new ArrayList<>(JvmFlags.forThisJvm());
        flags.addAll(HEAP_FLAGS);
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
     * Start a child running a role, behind a command prefix if one is given (e.g. {@code ip netns exec NS},
     * which execs the JVM in another network namespace); with {@code --verbose} its lines are echoed to standard
     * error.
     *
     * @param name      how messages name it.
     * @param role      the role.
     * @param arguments its {@code key=value} arguments.
     * @param prefix    the prefix; empty for none.
     * @return the child.
     */
    ChildProcess start(final String name, final String role, final Map<String, String> arguments,
        final List<String> prefix)
    {
        final List<String> args = new ArrayList<>();
        args.add(role);
        for (final Map.Entry<String, String> argument : arguments.entrySet())
        {
            args.add(argument.getKey() + "=" + argument.getValue());
        }
        final List<String> command = new ArrayList<>(prefix);
        command.addAll(JavaCommand.thisJava().options(jvmFlags.subList(JvmFlags.forThisJvm().size(),
            jvmFlags.size())).mainClass(BenchRole.class, args));
        final ChildProcessBuilder builder = ChildProcess.builder(name, command);
        if (verbose)
        {
            builder.echo(line -> System.err.println("  [" + name + "] " + line));
        }
        return builder.start();
    }
}
