package io.shmipc.handoff;

/**
 * Leave for one process to attach an anonymous region: the environment variable to start it with, and the
 * process it is for once started. Good for one hand-off; forgotten once that process has exited.
 */
public final class HandoffGrant
{
    private final HandoffServer server;
    private final String label;
    private final String secret;
    private long pid = -1;
    private long startTime;
    private boolean used;

    HandoffGrant(final HandoffServer server, final String label, final String secret)
    {
        this.server = server;
        this.label = label;
        this.secret = secret;
    }

    /**
     * The environment variable to start the process with.
     *
     * @return {@code SHMIPC_REGION_<label>}.
     */
    public String environmentVariable()
    {
        return HandoffProtocol.environmentVariable(label);
    }

    /**
     * Its value: where to ask and the one-time secret to present.
     *
     * @return {@code <socket name> <secret>}.
     */
    public String environmentValue()
    {
        return server.socketName() + " " + secret;
    }

    /**
     * Name the process this grant is for, once it is started: only that process may use it.
     *
     * @param processId the started process.
     */
    public void started(final long processId)
    {
        server.started(this, processId);
    }

    String secret()
    {
        return secret;
    }

    long pid()
    {
        return pid;
    }

    /**
     * The start time of the process named started, read when it was named: with its pid, what identifies it.
     */
    long startTime()
    {
        return startTime;
    }

    void pid(final long processId, final long processStartTime)
    {
        this.pid = processId;
        this.startTime = processStartTime;
    }

    boolean used()
    {
        return used;
    }

    void markUsed()
    {
        used = true;
    }
}
