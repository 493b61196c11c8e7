package io.shmipc.examples.support;

import java.io.PrintStream;
import java.util.Locale;

/**
 * Where a process says what it does: every line starts with {@code [role pid]}, so the output of several
 * processes read together (as {@code shm-ipc demo} shows it) says who did what. Each line is written whole.
 */
public final class RoleConsole
{
    private final String prefix;
    private final PrintStream out;
    private boolean doneSaid;

    /**
     * A console for one role.
     *
     * @param role e.g. {@code receive}, {@code producer-1}.
     * @param out  standard output, or standard error for commands whose standard output carries data.
     */
    public RoleConsole(final String role, final PrintStream out)
    {
        this.prefix = "[" + role + " " + ProcessHandle.current().pid() + "] ";
        this.out = out;
    }

    /**
     * Print one line.
     *
     * @param text the line.
     */
    public void say(final String text)
    {
        out.println(prefix + text);
        out.flush();
    }

    /**
     * Print one formatted line ({@link Locale#ROOT}, so numbers read the same everywhere).
     *
     * @param format as {@link String#format}.
     * @param args   its arguments.
     */
    public void say(final String format, final Object... args)
    {
        say(String.format(Locale.ROOT, format, args));
    }

    /**
     * Print the result line a command ends with.
     *
     * @param result the values.
     */
    public void done(final DoneLine result)
    {
        doneSaid = true;
        say(result.toString());
    }

    /**
     * Whether the result line was printed.
     *
     * @return true after {@link #done}.
     */
    public boolean hasSaidDone()
    {
        return doneSaid;
    }
}
