package io.shmipc.tests.anonymous;

import io.shmipc.tests.support.ChildProcesses;
import io.shmipc.toolkit.ChildProcess;
import io.shmipc.tests.support.ChildJvms;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Starting {@link AnonymousHolderMain} processes for the anonymous-region tests: the creator, and processes it
 * hands the region to (the test starts them with the hand-off variable the creator gives, then tells the creator
 * their pid).
 */
final class Holders
{
    /** Longest wait for a child JVM's first line. */
    static final Duration START_TIMEOUT = Duration.ofSeconds(40);
    /** Longest wait for a running child's answer. */
    static final Duration STEP_TIMEOUT = Duration.ofSeconds(20);

    private static final AtomicInteger GRANTS = new AtomicInteger();

    private final ChildProcesses children;
    private final String label;
    private final Launcher launcher;

    /**
     * Holders that run as this test's user.
     *
     * @param children where the started processes are kept.
     * @param label    the region's label.
     */
    Holders(final ChildProcesses children, final String label)
    {
        this(children, label, Holders::javaCommand);
    }

    /**
     * Holders started by a launcher of its own, e.g. as another user.
     *
     * @param children where the started processes are kept.
     * @param label    the region's label.
     * @param launcher the command for a main class and its arguments.
     */
    Holders(final ChildProcesses children, final String label, final Launcher launcher)
    {
        this.children = children;
        this.label = label;
        this.launcher = launcher;
    }

    /** How a child JVM is started: the command for a main class and its arguments. */
    interface Launcher
    {
        List<String> command(Class<?> mainClass, String... args);
    }

    /**
     * The label of the region.
     *
     * @return the label.
     */
    String label()
    {
        return label;
    }

    /**
     * Start any process with this holders' launcher.
     *
     * @param description what failures call it.
     * @param environment extra environment variables.
     * @param mainClass   the main class.
     * @param args        its arguments.
     * @return the process.
     */
    ChildProcess start(final String description, final Map<String, String> environment, final Class<?> mainClass,
        final String... args)
    {
        return children.start(description, launcher.command(mainClass, args), environment);
    }

    private static List<String> javaCommand(final Class<?> mainClass, final String... args)
    {
        final List<String> command = new ArrayList<>(ChildJvms.javaCommand(List.of()));
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), mainClass.getName()));
        command.addAll(List.of(args));
        return command;
    }

    /**
     * A label no other test or engineer uses at the same time.
     *
     * @param what the test.
     * @return the label.
     */
    static String uniqueLabel(final String what)
    {
        return what + "-" + ProcessHandle.current().pid() + "-" + GRANTS.incrementAndGet();
    }

    /**
     * Start the creator of the region, as this test's user, and wait until it holds the region.
     *
     * @param capacity the channel's capacity.
     * @return the creator, tagged {@code parent}.
     */
    ChildProcess createParent(final int capacity)
    {
        return createParent(capacity, "create");
    }

    /**
     * Start the creator of the region and wait until it holds the region.
     *
     * @param capacity the channel's capacity.
     * @param mode     {@code create}, or {@code create-dumpable} to keep the creator dumpable.
     * @return the creator, tagged {@code parent}.
     */
    ChildProcess createParent(final int capacity, final String mode)
    {
        final ChildProcess parent = start("parent", Map.of(), AnonymousHolderMain.class, mode, label,
            Integer.toString(capacity), "parent");
        parent.awaitLineStartingWith("parent READY ", START_TIMEOUT);
        return parent;
    }

    /**
     * Ask a holder for a hand-off.
     *
     * @param holder the holder.
     * @param tag    its tag.
     * @return the grant's number, variable and value.
     */
    static Grant grant(final ChildProcess holder, final String tag)
    {
        final int before = (int)holder.lines().stream().filter(line -> line.startsWith(tag + " GRANT ")).count();
        holder.send("GRANT");
        final String[] words = holder.awaitLineStartingWith(tag + " GRANT " + before + " ", STEP_TIMEOUT)
            .split(" ");
        return new Grant(before, words[3], words[4] + " " + words[5]);
    }

    /**
     * Start a process with a holder's hand-off and name it to the holder.
     *
     * @param holder    the holder.
     * @param tag       the holder's tag.
     * @param childTag  what the started process's output is called in failures.
     * @param mainClass the process's main class.
     * @param args      its arguments.
     * @return the started process.
     */
    ChildProcess handTo(final ChildProcess holder, final String tag, final String childTag, final Class<?> mainClass,
        final String... args)
    {
        final Grant grant = grant(holder, tag);
        final ChildProcess child = start(childTag, Map.of(grant.variable(), grant.value()), mainClass, args);
        holder.send("STARTED " + grant.number() + " " + child.pid());
        holder.awaitLineStartingWith(tag + " NAMED " + grant.number(), STEP_TIMEOUT);
        return child;
    }

    /**
     * Start a holder attaching the region through a hand-off from {@code parent}, and wait until it holds it.
     *
     * @param parent the creator, tagged {@code parent}.
     * @param tag    the new holder's tag.
     * @return the new holder.
     */
    ChildProcess attachChild(final ChildProcess parent, final String tag)
    {
        final ChildProcess child = handTo(parent, "parent", tag, AnonymousHolderMain.class, "attach", label, tag);
        child.awaitLineStartingWith(tag + " READY ", START_TIMEOUT);
        return child;
    }

    /**
     * A holder's field from its READY line, e.g. {@code fd}.
     *
     * @param holder the holder.
     * @param tag    its tag.
     * @param key    the field.
     * @return the value.
     */
    static String ready(final ChildProcess holder, final String tag, final String key)
    {
        for (final String word : holder.awaitLineStartingWith(tag + " READY ", STEP_TIMEOUT).split(" "))
        {
            if (word.startsWith(key + "="))
            {
                return word.substring(key.length() + 1);
            }
        }
        throw new AssertionError("no " + key + " in the READY line of " + tag + ": " + holder.output());
    }

    /**
     * A hand-off a holder issued.
     *
     * @param number   its number at that holder.
     * @param variable the environment variable.
     * @param value    its value.
     */
    record Grant(int number, String variable, String value)
    {
    }
}
