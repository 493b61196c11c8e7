package io.shmipc.tests.bridge;

import io.shmipc.tests.support.JavaProcess;
import org.junit.jupiter.api.Assumptions;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;

/**
 * Two simulated hosts: two network namespaces joined by a veth pair, with addresses on that private link only
 * (198.18.0.0/30, the range set aside for network benchmarks), created for one test and deleted after it. Shared
 * memory is not namespaced: each host uses regions of its own names.
 * <p>
 * Needs root, {@code ip} (iproute2) and, for loss, {@code iptables} with the {@code statistic} match. Where they are
 * missing the test is skipped, but with {@code CI=true} it fails instead: CI prepares them.
 */
public final class TwoHosts implements AutoCloseable
{
    /** Host A's address. */
    public static final String ADDRESS_A = "198.18.0.1";
    /** Host B's address. */
    public static final String ADDRESS_B = "198.18.0.2";

    private static final long COMMAND_TIMEOUT_SECONDS = 20;

    private final String namespaceA;
    private final String namespaceB;

    private TwoHosts(final String namespaceA, final String namespaceB)
    {
        this.namespaceA = namespaceA;
        this.namespaceB = namespaceB;
    }

    /**
     * Create both namespaces and the link, both ends up.
     *
     * @return the hosts.
     */
    public static TwoHosts create()
    {
        requireTools();
        final String id = Long.toString(ProcessHandle.current().pid(), 36) +
            Long.toString(System.nanoTime() % 46656, 36);
        final TwoHosts hosts = new TwoHosts("shmipc-" + id + "-a", "shmipc-" + id + "-b");
        try
        {
            run("ip", "netns", "add", hosts.namespaceA);
            run("ip", "netns", "add", hosts.namespaceB);
            // Both ends are created inside the namespaces: their names never meet another test's.
            run("ip", "link", "add", "veth-a", "netns", hosts.namespaceA, "type", "veth", "peer", "name", "veth-b",
                "netns", hosts.namespaceB);
            hosts.configure(hosts.namespaceA, "veth-a", ADDRESS_A);
            hosts.configure(hosts.namespaceB, "veth-b", ADDRESS_B);
            return hosts;
        }
        catch (final RuntimeException ex)
        {
            hosts.close();
            throw ex;
        }
    }

    private void configure(final String namespace, final String link, final String address)
    {
        run("ip", "-n", namespace, "link", "set", "lo", "up");
        run("ip", "-n", namespace, "addr", "add", address + "/30", "dev", link);
        run("ip", "-n", namespace, "link", "set", link, "up");
    }

    /**
     * A command run on host A.
     *
     * @param command the command.
     * @return the command wrapped in {@code ip netns exec}.
     */
    public List<String> onA(final List<String> command)
    {
        return in(namespaceA, command);
    }

    /**
     * A command run on host B.
     *
     * @param command the command.
     * @return the command wrapped in {@code ip netns exec}.
     */
    public List<String> onB(final List<String> command)
    {
        return in(namespaceB, command);
    }

    private static List<String> in(final String namespace, final List<String> command)
    {
        final List<String> wrapped = new ArrayList<>(List.of("ip", "netns", "exec", namespace));
        wrapped.addAll(command);
        return wrapped;
    }

    /**
     * Drop incoming packets at random on both hosts (so in both directions of the link).
     *
     * @param probability of a drop, e.g. 0.05.
     */
    public void dropIncoming(final double probability)
    {
        for (final String namespace : List.of(namespaceA, namespaceB))
        {
            run("ip", "netns", "exec", namespace, "iptables", "-A", "INPUT", "-m", "statistic", "--mode", "random",
                "--probability", Double.toString(probability), "-j", "DROP");
        }
    }

    /**
     * Packets the drop rules of both hosts dropped so far.
     *
     * @return the count.
     */
    public long droppedPackets()
    {
        long dropped = 0;
        for (final String namespace : List.of(namespaceA, namespaceB))
        {
            final String out = run("ip", "netns", "exec", namespace, "iptables", "-L", "INPUT", "-v", "-n", "-x");
            for (final String line : out.split("\n"))
            {
                final String[] fields = line.trim().split("\\s+");
                if (fields.length > 3 && "DROP".equals(fields[2]))
                {
                    dropped += Long.parseLong(fields[0]);
                }
            }
        }
        return dropped;
    }

    @Override
    public void close()
    {
        for (final String namespace : List.of(namespaceA, namespaceB))
        {
            if (Files.exists(Path.of("/run/netns", namespace)))
            {
                run("ip", "netns", "del", namespace);
            }
        }
    }

    private static void requireTools()
    {
        final String problem = problem();
        if (problem == null)
        {
            return;
        }
        if ("true".equalsIgnoreCase(System.getenv("CI")))
        {
            throw new IllegalStateException("two-host tests cannot run, and CI=true forbids skipping them: " +
                problem);
        }
        Assumptions.abort("two-host tests skipped: " + problem + " (with CI=true this fails instead)");
    }

    private static String problem()
    {
        if (!"root".equals(System.getProperty("user.name")))
        {
            return "network namespaces need root";
        }
        for (final String tool : List.of("ip", "iptables"))
        {
            if (List.of("/usr/sbin/", "/sbin/", "/usr/bin/", "/bin/").stream()
                .noneMatch(directory -> Files.isExecutable(Path.of(directory + tool))))
            {
                return tool + " is not installed";
            }
        }
        return null;
    }

    private static String run(final String... command)
    {
        try
        {
            final Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            final String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(COMMAND_TIMEOUT_SECONDS, TimeUnit.SECONDS))
            {
                process.destroyForcibly();
                throw new IllegalStateException("timed out: " + String.join(" ", command));
            }
            if (process.exitValue() != 0)
            {
                throw new IllegalStateException("failed (exit " + process.exitValue() + "): " +
                    String.join(" ", command) + ": " + out.trim());
            }
            return out;
        }
        catch (final IOException ex)
        {
            throw new IllegalStateException("cannot run " + String.join(" ", command), ex);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted: " + String.join(" ", command), ex);
        }
    }

    /**
     * A child JVM running {@code mainClass} on a host, with the test class path and JVM flags.
     *
     * @param onHost    {@link #onA} or {@link #onB} of these hosts.
     * @param mainClass the class.
     * @param args      its arguments.
     * @return the running process.
     */
    public static JavaProcess startJava(final UnaryOperator<List<String>> onHost,
        final Class<?> mainClass, final String... args)
    {
        final List<String> command = new ArrayList<>(JavaProcess.javaCommand(List.of()));
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(mainClass.getName());
        command.addAll(List.of(args));
        return JavaProcess.start(mainClass.getSimpleName() + " " + String.join(" ", args), onHost.apply(command));
    }
}
