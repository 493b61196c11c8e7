package io.shmipc.toolkit;

import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The command line of a child JVM: this JVM's {@code java} executable, the flags shm-ipc needs on it
 * ({@link JvmFlags}), any further options, the class path and the main class (or a jar) with its arguments.
 * <pre>{@code
 * List<String> command = JavaCommand.thisJava().option("-Xmx256m").mainClass(Main.class, List.of("a", "b"));
 * }</pre>
 */
public final class JavaCommand
{
    private final String java;
    private final List<String> options = new ArrayList<>();
    private String classPath = System.getProperty("java.class.path");

    private JavaCommand(final String java, final List<String> options)
    {
        this.java = java;
        this.options.addAll(options);
    }

    /**
     * This JVM's {@code java} with the flags shm-ipc needs, and no other option.
     *
     * @return the command, to complete.
     */
    public static JavaCommand thisJava()
    {
        return new JavaCommand(javaExecutable(), JvmFlags.forThisJvm());
    }

    /**
     * This JVM's {@code java} with this JVM's own options (less debugger agents, whose ports would clash), to
     * which the flags shm-ipc needs are added where missing: a child that runs like its parent.
     *
     * @return the command, to complete.
     */
    public static JavaCommand likeThisJvm()
    {
        final List<String> inherited = new ArrayList<>();
        for (final String option : ManagementFactory.getRuntimeMXBean().getInputArguments())
        {
            if (!option.startsWith("-agentlib:jdwp") && !option.startsWith("-Xrunjdwp") && !option.equals("-Xdebug"))
            {
                inherited.add(option);
            }
        }
        return new JavaCommand(javaExecutable(), JvmFlags.withFlags(inherited, JvmFlags.forThisJvm()));
    }

    /**
     * The {@code java} executable of this JVM.
     *
     * @return its path.
     */
    public static String javaExecutable()
    {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    /**
     * Add JVM options.
     *
     * @param jvmOptions options, one argument each.
     * @return this.
     */
    public JavaCommand option(final String... jvmOptions)
    {
        return options(List.of(jvmOptions));
    }

    /**
     * Add JVM options.
     *
     * @param jvmOptions options, one argument each.
     * @return this.
     */
    public JavaCommand options(final List<String> jvmOptions)
    {
        options.addAll(jvmOptions);
        return this;
    }

    /**
     * Use another class path than this JVM's.
     *
     * @param path the class path.
     * @return this.
     */
    public JavaCommand classPath(final String path)
    {
        this.classPath = path;
        return this;
    }

    /**
     * The JVM options so far (flags included).
     *
     * @return a copy.
     */
    public List<String> options()
    {
        return List.copyOf(options);
    }

    /**
     * The command running a main class.
     *
     * @param mainClass the class with a {@code main}.
     * @param args      its arguments.
     * @return the command.
     */
    public List<String> mainClass(final Class<?> mainClass, final List<String> args)
    {
        return mainClass(mainClass.getName(), args);
    }

    /**
     * The command running a main class.
     *
     * @param mainClass the class name.
     * @param args      its arguments.
     * @return the command.
     */
    public List<String> mainClass(final String mainClass, final List<String> args)
    {
        final List<String> command = prefix();
        command.add("-cp");
        command.add(classPath);
        command.add(mainClass);
        command.addAll(args);
        return command;
    }

    /**
     * The command running a runnable jar.
     *
     * @param jar  the jar.
     * @param args its arguments.
     * @return the command.
     */
    public List<String> jar(final Path jar, final List<String> args)
    {
        final List<String> command = prefix();
        command.add("-jar");
        command.add(jar.toString());
        command.addAll(args);
        return command;
    }

    private List<String> prefix()
    {
        final List<String> command = new ArrayList<>();
        command.add(java);
        command.addAll(options);
        return command;
    }
}
