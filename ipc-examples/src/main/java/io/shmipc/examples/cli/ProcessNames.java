package io.shmipc.examples.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What an endpoint's process is, for {@code stat}: the {@code shm-ipc} command it runs with the name it was given
 * ({@code send/alpha}) or its flags ({@code market-subscriber --slow}), the main class of another Java process, or
 * the program's name. The pid is
 * believed only when the process start time in {@code /proc/PID/stat} matches the one the endpoint recorded, so a
 * reused pid, or a pid of another PID namespace, shows as {@code ?}.
 */
final class ProcessNames
{
    private static final String[] MAIN_CLASS_PREFIXES = {"io.shmipc.examples."};
    private static final int START_TIME_FIELD = 22;

    private final Map<Long, String> cache = new HashMap<>();

    /**
     * The name of a process.
     *
     * @param pid       its pid, as the endpoint recorded it.
     * @param startTime its start time in clock ticks since boot, as the endpoint recorded it.
     * @return the name, or {@code ?} when this process cannot tell.
     */
    String name(final int pid, final long startTime)
    {
        return cache.computeIfAbsent(((long)pid << 20) ^ startTime, key -> lookUp(pid, startTime));
    }

    private static String lookUp(final int pid, final long startTime)
    {
        final Path proc = Path.of("/proc", Integer.toString(pid));
        try
        {
            final String stat = Files.readString(proc.resolve("stat"), StandardCharsets.US_ASCII);
            // Fields after the command name, which is in parentheses and may hold spaces.
            final String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            if (Long.parseLong(fields[START_TIME_FIELD - 3]) != startTime)
            {
                return "?";
            }
            final byte[] raw = Files.readAllBytes(proc.resolve("cmdline"));
            final List<String> args = Arrays.asList(new String(raw, StandardCharsets.UTF_8).split("\u0000"));
            final String name = fromCommandLine(args);
            return name != null ? name : Files.readString(proc.resolve("comm"), StandardCharsets.UTF_8).trim();
        }
        catch (final IOException | RuntimeException ex)
        {
            return "?";
        }
    }

    /**
     * The shm-ipc command of a JVM's command line, with its {@code --name}, or its main class.
     *
     * @param args the command line.
     * @return the name, or {@code null} when it is no JVM this tool knows.
     */
    static String fromCommandLine(final List<String> args)
    {
        int main = -1;
        for (int i = 1; i < args.size() && main < 0; i++)
        {
            final String arg = args.get(i);
            if (arg.equals("-jar") || arg.equals("-cp") || arg.equals("-classpath") || arg.equals("--class-path") ||
                arg.equals("--add-exports") || arg.equals("--module-path") || arg.equals("-p"))
            {
                i++;
                if (arg.equals("-jar"))
                {
                    main = i;
                }
            }
            else if (!arg.startsWith("-"))
            {
                main = i;
            }
        }
        if (main < 0 || main >= args.size())
        {
            return null;
        }
        final String mainArg = args.get(main);
        final boolean shmIpc = mainArg.endsWith("shm-ipc.jar") || mainArg.endsWith(".ShmIpcCommand");
        if (!shmIpc)
        {
            for (final String prefix : MAIN_CLASS_PREFIXES)
            {
                if (mainArg.startsWith(prefix))
                {
                    return mainArg.substring(mainArg.lastIndexOf('.') + 1);
                }
            }
            return mainArg.contains(".") && !mainArg.contains("/") ? mainArg.substring(mainArg.lastIndexOf('.') + 1) :
                null;
        }
        final String command = main + 1 < args.size() ? args.get(main + 1) : "shm-ipc";
        final int nameIndex = args.indexOf("--name");
        if (nameIndex > main && nameIndex + 1 < args.size())
        {
            return command + "/" + args.get(nameIndex + 1);
        }
        // Without --name, the flags that make its role (such as market-subscriber --slow): options without a value.
        final StringBuilder name = new StringBuilder(command);
        for (int i = main + 2; i < args.size(); i++)
        {
            final boolean flag = args.get(i).startsWith("--") &&
                (i + 1 == args.size() || args.get(i + 1).startsWith("-"));
            if (flag && !args.get(i).equals("--keep-region"))
            {
                name.append(' ').append(args.get(i));
            }
        }
        return name.toString();
    }
}
