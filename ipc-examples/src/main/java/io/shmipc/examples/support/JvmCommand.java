package io.shmipc.examples.support;

import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The command line of a child JVM that runs like this one: the same {@code java} executable, the same JVM options
 * (less debugger agents, whose ports would clash), Agrona's export flag, Aeron's open flag, and the same class path
 * (the shaded jar when run with {@code java -jar}).
 */
public final class JvmCommand
{
    /** The option Agrona 2.x needs, as two arguments. */
    public static final List<String> AGRONA_FLAG = List.of("--add-exports", "java.base/jdk.internal.misc=ALL-UNNAMED");
    /** The option Aeron's media driver needs (its UDP transports' selector key set), as two arguments. */
    public static final List<String> AERON_FLAG = List.of("--add-opens", "java.base/sun.nio.ch=ALL-UNNAMED");

    private JvmCommand()
    {
    }

    /**
     * A command running {@code mainClass} with {@code args} in a JVM like this one.
     *
     * @param mainClass the class with a {@code main}.
     * @param args      its arguments.
     * @return the command.
     */
    public static List<String> of(final Class<?> mainClass, final List<String> args)
    {
        final List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command()
            .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        boolean hasAgronaFlag = false;
        boolean hasAeronFlag = false;
        for (final String option : ManagementFactory.getRuntimeMXBean().getInputArguments())
        {
            if (option.startsWith("-agentlib:jdwp") || option.startsWith("-Xrunjdwp") || option.equals("-Xdebug"))
            {
                continue;
            }
            hasAgronaFlag |= option.contains("jdk.internal.misc=ALL-UNNAMED");
            hasAeronFlag |= option.contains("sun.nio.ch=ALL-UNNAMED");
            command.add(option);
        }
        if (!hasAgronaFlag)
        {
            command.addAll(AGRONA_FLAG);
        }
        if (!hasAeronFlag)
        {
            command.addAll(AERON_FLAG);
        }
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(mainClass.getName());
        command.addAll(args);
        return command;
    }
}
