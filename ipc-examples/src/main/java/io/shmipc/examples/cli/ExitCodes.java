package io.shmipc.examples.cli;

/**
 * Exit codes of every {@code shm-ipc} command.
 */
final class ExitCodes
{
    /** Success. */
    static final int OK = 0;
    /** The command ran and failed (region missing, corrupt, messages lost...). */
    static final int FAILURE = 1;
    /** The command line was wrong. */
    static final int USAGE = 2;

    private ExitCodes()
    {
    }
}
