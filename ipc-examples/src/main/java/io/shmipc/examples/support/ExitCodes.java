package io.shmipc.examples.support;

/**
 * The exit codes of every {@code shm-ipc} command and demo, one table for all.
 * <pre>
 *   0    ok: the command did what it was asked
 *   1    failure: see the "shm-ipc COMMAND: error: ..." line on standard error
 *   2    usage: the command line is invalid (the reason, then "Try 'shm-ipc COMMAND --help'")
 *   3    timeout: what the command waited for (a peer, a message, a reply) did not come within --timeout
 *   4    peer gone: the process at the other end died, or the region was deleted, while work was left: the
 *        error line says how many messages never reached anyone
 *   5    handshake failure: two containers that should share memory do not (container-peer)
 *   130  interrupted by Ctrl-C (SIGINT), 143 by SIGTERM: the command stopped, printed its done: line and
 *        released what it held
 * </pre>
 * The help prints the same table ({@code shm-ipc --help}, from {@code ShmIpcHelp.properties}).
 */
public final class ExitCodes
{
    /** The command did its job. */
    public static final int OK = 0;
    /** The command failed: the reason was printed on standard error. */
    public static final int FAILURE = 1;
    /** The command line was invalid. */
    public static final int USAGE = 2;
    /** What the command waited for did not come in time. */
    public static final int TIMEOUT = 3;
    /** The peer died or the region was deleted under the command, with work left. */
    public static final int PEER_GONE = 4;
    /** Two containers that should share memory do not. */
    public static final int HANDSHAKE = 5;
    /** Stopped by Ctrl-C (128 + SIGINT). */
    public static final int INTERRUPTED = 130;
    /** Stopped by SIGTERM (128 + SIGTERM). */
    public static final int TERMINATED = 143;

    private ExitCodes()
    {
    }
}
