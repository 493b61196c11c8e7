package io.shmipc.examples.bench;

/**
 * One side of a scenario, run in its own JVM by {@link BenchRole}.
 */
@FunctionalInterface
interface Role
{
    /**
     * Run: set up, {@link RoleContext#ready()}, do the work, {@link RoleContext#result}.
     *
     * @param context arguments and the line protocol.
     * @throws Exception anything: the child prints it and exits with status 1.
     */
    void run(RoleContext context) throws Exception;
}
