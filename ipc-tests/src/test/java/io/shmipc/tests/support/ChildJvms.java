package io.shmipc.tests.support;

import io.shmipc.toolkit.ChildProcess;
import io.shmipc.toolkit.JavaCommand;

import java.util.ArrayList;
import java.util.List;

/**
 * Child JVMs of the system tests: this JVM's {@code java} and class path, the flags shm-ipc needs, a small heap and
 * the serial collector (up to nine JVMs share two cores in these tests).
 */
public final class ChildJvms
{
    private static final List<String> TEST_OPTIONS = List.of("-Xmx256m", "-XX:+UseSerialGC");

    private ChildJvms()
    {
    }

    /**
     * Start {@code mainClass} in a new JVM.
     *
     * @param mainClass class with a {@code main}.
     * @param args      its arguments.
     * @return the running process.
     */
    public static ChildProcess start(final Class<?> mainClass, final String... args)
    {
        return start(List.of(), mainClass, args);
    }

    /**
     * Start {@code mainClass} in a new JVM, with extra JVM options.
     *
     * @param jvmOptions options placed before the class name.
     * @param mainClass  class with a {@code main}.
     * @param args       its arguments.
     * @return the running process.
     */
    public static ChildProcess start(final List<String> jvmOptions, final Class<?> mainClass, final String... args)
    {
        // Tests signal their children: a test JVM started in the background of a shell without job control ignores
        // SIGINT, and a child JVM that inherits that never runs its shutdown path on Ctrl-C.
        return ChildProcess.builder(mainClass.getSimpleName() + " " + String.join(" ", args),
            command(jvmOptions).mainClass(mainClass, List.of(args))).defaultSignals().start();
    }

    /**
     * The {@code java} executable and the JVM options of a test child, to complete with a class path and a main
     * class (for example behind {@code unshare} or {@code setpriv}).
     *
     * @param jvmOptions extra options.
     * @return the command prefix.
     */
    public static List<String> javaCommand(final List<String> jvmOptions)
    {
        final List<String> command = new ArrayList<>();
        command.add(JavaCommand.javaExecutable());
        command.addAll(command(jvmOptions).options());
        return command;
    }

    private static JavaCommand command(final List<String> jvmOptions)
    {
        return JavaCommand.thisJava().options(TEST_OPTIONS).options(jvmOptions);
    }
}
