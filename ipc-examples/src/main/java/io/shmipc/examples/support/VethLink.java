package io.shmipc.examples.support;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Two simulated hosts on one machine: two network namespaces joined by a veth pair, with addresses on that private
 * link only (198.18.0.0/30, the range set aside for network benchmarks), for the bridge's tests and benchmark rows.
 * Created by {@link #create(String)}, deleted by {@link #close()}. Shared memory is not namespaced: each host uses
 * regions of its own names. Needs root, {@code ip} (iproute2) and, for {@link #dropIncoming}, {@code iptables} with
 * the {@code statistic} match.
 */
public final class VethLink implements AutoCloseable
{
    /** Host A's address. */
    public static final String ADDRESS_A = "198.18.0.1";
    /** Host B's address. */
    public static final String ADDRESS_B = "198.18.0.2";

    private static final long COMMAND_TIMEOUT_SECONDS = 20;
    private static final long LINK_UP_TIMEOUT_NS = 10_000_000_000L;
    private static final long LINK_UP_POLL_NS = 10_000_000L;

    private final String namespaceA;
    private final String namespaceB;

    private VethLink(final String namespaceA, final String namespaceB)
    {
        this.namespaceA = namespaceA;
        this.namespaceB = namespaceB;
    }

    /**
     * What keeps this machine from making the link, or {@code null} when nothing does.
     *
     * @return the problem, or {@code null}.
     */
    public static String problem()
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

    /**
     * Create both namespaces and the link, both ends up.
     *
     * @param purpose a short word in the namespaces' names.
     * @return the link.
     * @throws IllegalStateException naming the command that failed.
     */
    public static VethLink create(final String purpose)
    {
        final String id = purpose + "-" + Long.toString(ProcessHandle.current().pid(), 36) +
            Long.toString(System.nanoTime() % 46656, 36);
        final VethLink link = new VethLink("shmipc-" + id + "-a", "shmipc-" + id + "-b");
        try
        {
            run("ip", "netns", "add", link.namespaceA);
            run("ip", "netns", "add", link.namespaceB);
            // Both ends are created inside the namespaces: their names never meet another link's.
            run("ip", "link", "add", "veth-a", "netns", link.namespaceA, "type", "veth", "peer", "name", "veth-b",
                "netns", link.namespaceB);
            configure(link.namespaceA, "veth-a", ADDRESS_A);
            configure(link.namespaceB, "veth-b", ADDRESS_B);
            // "up" sets the flag; the kernel reports the carrier (what Java's isUp and Aeron need) a moment later.
            awaitRunning(link.namespaceA, "veth-a");
            awaitRunning(link.namespaceB, "veth-b");
            return link;
        }
        catch (final RuntimeException ex)
        {
            link.close();
            throw ex;
        }
    }

    /**
     * Wait until the kernel reports the device's operational state up, checking every 10 ms for at most
     * {@link #LINK_UP_TIMEOUT_NS}.
     *
     * @throws IllegalStateException when it is not up in time, with what {@code ip link} last said.
     */
    private static void awaitRunning(final String namespace, final String device)
    {
        final long deadline = System.nanoTime() + LINK_UP_TIMEOUT_NS;
        while (true)
        {
            final String state = run("ip", "-n", namespace, "-o", "link", "show", "dev", device);
            if (state.contains("state UP"))
            {
                return;
            }
            if (System.nanoTime() - deadline > 0)
            {
                throw new IllegalStateException("link " + device + " in namespace " + namespace + " not up after " +
                    LINK_UP_TIMEOUT_NS / 1_000_000_000L + " s: " + state.trim());
            }
            LockSupport.parkNanos(LINK_UP_POLL_NS);
        }
    }

    private static void configure(final String namespace, final String device, final String address)
    {
        run("ip", "-n", namespace, "link", "set", "lo", "up");
        run("ip", "-n", namespace, "addr", "add", address + "/30", "dev", device);
        run("ip", "-n", namespace, "link", "set", device, "up");
    }

    /**
     * The prefix that runs a command on host A.
     *
     * @return {@code ip netns exec <namespace>}.
     */
    public List<String> onA()
    {
        return List.of("ip", "netns", "exec", namespaceA);
    }

    /**
     * The prefix that runs a command on host B.
     *
     * @return {@code ip netns exec <namespace>}.
     */
    public List<String> onB()
    {
        return List.of("ip", "netns", "exec", namespaceB);
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

    /**
     * Delete both namespaces (the veth pair goes with them). Idempotent.
     */
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
     * A command run on a host.
     *
     * @param prefix  {@link #onA()} or {@link #onB()}.
     * @param command the command.
     * @return the whole command.
     */
    public static List<String> wrap(final List<String> prefix, final List<String> command)
    {
        final List<String> wrapped = new ArrayList<>(prefix);
        wrapped.addAll(command);
        return wrapped;
    }
}
