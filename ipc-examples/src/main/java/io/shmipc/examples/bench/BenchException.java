package io.shmipc.examples.bench;

/**
 * A benchmark run that could not complete: a child failed, timed out or could not start.
 */
final class BenchException extends RuntimeException
{
    private static final long serialVersionUID = 1L;

    BenchException(final String message)
    {
        super(message);
    }
}
