package io.shmipc.examples.bench;

import io.shmipc.toolkit.KeyValues;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.locks.LockSupport;

/**
 * Main class of the child JVMs: {@code BenchRole <role> key=value...}. Each role prints {@code READY}, waits for
 * {@code GO} on standard input, runs, prints one {@code RESULT} line and exits 0 (or prints the error and exits 1).
 * A watchdog thread ends the JVM if the coordinator dies or the run overruns by minutes.
 */
public final class BenchRole
{
    private static final Map<String, Role> ROLES = new TreeMap<>();
    private static final long WATCHDOG_INTERVAL_NS = 1_000_000_000L;
    private static final long OVERRUN_LIMIT_NS = 300_000_000_000L;

    static
    {
        ROLES.put("floor-ping", FloorRoles::ping);
        ROLES.put("floor-pong", FloorRoles::pong);
        ROLES.put("shm-ping", LibraryRoles::ping);
        ROLES.put("shm-pong", LibraryRoles::pong);
        ROLES.put("shm-producer", LibraryRoles::producer);
        ROLES.put("shm-consumer", LibraryRoles::consumer);
        ROLES.put("rings-ping", BareRingRoles::ping);
        ROLES.put("rings-pong", BareRingRoles::pong);
        ROLES.put("rings-producer", BareRingRoles::producer);
        ROLES.put("rings-consumer", BareRingRoles::consumer);
        ROLES.put("socket-ping", SocketRoles::ping);
        ROLES.put("socket-pong", SocketRoles::pong);
        ROLES.put("socket-producer", SocketRoles::producer);
        ROLES.put("socket-consumer", SocketRoles::consumer);
        ROLES.put("wakeup-producer", WakeupRoles::producer);
        ROLES.put("wakeup-consumer", WakeupRoles::consumer);
        ROLES.put("idle-consumer", IdleRoles::consumer);
        ROLES.put("service-client", ServiceRoles::client);
        ROLES.put("service-server", ServiceRoles::server);
        ROLES.put("waitset-producer", WaitSetRoles::producer);
        ROLES.put("waitset-consumer", WaitSetRoles::consumer);
        ROLES.put("channel-churner", ChurnRoles::churner);
        ROLES.put("aeron-producer", AeronRoles::producer);
        ROLES.put("aeron-consumer", AeronRoles::consumer);
        ROLES.put("aeron-ping", AeronRoles::ping);
        ROLES.put("aeron-pong", AeronRoles::pong);
        ROLES.put("aeron-bridge", AeronRoles::bridge);
        ROLES.put("aeron-ipc-producer", AeronIpcRoles::producer);
        ROLES.put("aeron-ipc-consumer", AeronIpcRoles::consumer);
        ROLES.put("aeron-ipc-ping", AeronIpcRoles::ping);
        ROLES.put("aeron-ipc-pong", AeronIpcRoles::pong);
        ROLES.put("strict-ping", StrictRoles::ping);
        ROLES.put("strict-pong", StrictRoles::pong);
        ROLES.put("strict-producer", StrictRoles::producer);
        ROLES.put("strict-consumer", StrictRoles::consumer);
    }

    private BenchRole()
    {
    }

    /**
     * Run one role.
     *
     * @param args the role name, then {@code key=value} arguments.
     */
    public static void main(final String[] args)
    {
        final Role role = args.length > 0 ? ROLES.get(args[0]) : null;
        if (role == null)
        {
            System.err.println("usage: BenchRole <role> key=value...; roles: " + ROLES.keySet());
            System.exit(2);
            return;
        }
        final RoleContext context = new RoleContext(KeyValues.arguments(args, 1));
        startWatchdog(context);
        try
        {
            role.run(context);
        }
        catch (final Throwable ex)
        {
            System.out.flush();
            System.err.println("role " + args[0] + " failed:");
            ex.printStackTrace(System.err);
            System.exit(1);
        }
        System.exit(0);
    }

    /**
     * Exit when the coordinator is gone (a spinning role would otherwise spin forever) or when the run has
     * overrun its time by {@link #OVERRUN_LIMIT_NS}. Checks once a second.
     */
    private static void startWatchdog(final RoleContext context)
    {
        final ProcessHandle coordinator = ProcessHandle.current().parent().orElse(null);
        final long deadline = System.nanoTime() + OVERRUN_LIMIT_NS +
            Long.parseLong(context.string(Keys.WARMUP_NS, "0")) + Long.parseLong(context.string(Keys.DURATION_NS, "0"));
        final Thread watchdog = new Thread(() ->
        {
            while (true)
            {
                LockSupport.parkNanos(WATCHDOG_INTERVAL_NS);
                if (coordinator != null && !coordinator.isAlive())
                {
                    System.err.println("coordinator gone: exiting");
                    Runtime.getRuntime().halt(3);
                }
                if (System.nanoTime() - deadline > 0)
                {
                    System.err.println("run overran its time: exiting");
                    Runtime.getRuntime().halt(4);
                }
            }
        }, "bench-watchdog");
        watchdog.setDaemon(true);
        watchdog.start();
    }
}
