package io.shmipc.tests.bridge;

import io.shmipc.examples.support.VethLink;
import io.shmipc.tests.support.ChildJvms;
import io.shmipc.tests.support.Prerequisites;
import io.shmipc.toolkit.ChildProcess;

import java.util.ArrayList;
import java.util.List;

/**
 * Two simulated hosts for one test ({@link VethLink}): skipped where the machine cannot make them, but with
 * {@code CI=true} failed instead, since CI prepares what they need.
 */
final class TwoHosts implements AutoCloseable
{
    /** Host A's address. */
    static final String ADDRESS_A = VethLink.ADDRESS_A;
    /** Host B's address. */
    static final String ADDRESS_B = VethLink.ADDRESS_B;

    /** Which host a process runs on. */
    enum Host
    {
        A, B
    }

    private final VethLink link;

    private TwoHosts(final VethLink link)
    {
        this.link = link;
    }

    static TwoHosts create()
    {
        Prerequisites.require("two-host tests", VethLink.problem());
        return new TwoHosts(VethLink.create("test"));
    }

    void dropIncoming(final double probability)
    {
        link.dropIncoming(probability);
    }

    long droppedPackets()
    {
        return link.droppedPackets();
    }

    /**
     * A child JVM running {@code mainClass} on a host, with the test class path and the JVM flags of every test
     * child ({@link ChildJvms}).
     *
     * @param host      where.
     * @param mainClass the class.
     * @param args      its arguments.
     * @return the running process.
     */
    ChildProcess startJava(final Host host, final Class<?> mainClass, final String... args)
    {
        final List<String> command = new ArrayList<>(ChildJvms.javaCommand(List.of()));
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(mainClass.getName());
        command.addAll(List.of(args));
        return ChildProcess.start(mainClass.getSimpleName() + " " + String.join(" ", args),
            VethLink.wrap(host == Host.A ? link.onA() : link.onB(), command));
    }

    @Override
    public void close()
    {
        link.close();
    }
}
