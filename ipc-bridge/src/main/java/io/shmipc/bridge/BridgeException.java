package io.shmipc.bridge;

import io.shmipc.exceptions.ShmIpcException;

/**
 * A bridge could not start or go on: its configuration, its files, its transport or its peer is wrong. The message
 * names the thing and the value.
 */
public class BridgeException extends ShmIpcException
{
    private static final long serialVersionUID = 1L;

    /**
     * Create an exception.
     *
     * @param region  the bridged region, or {@code null}.
     * @param message what went wrong.
     */
    public BridgeException(final String region, final String message)
    {
        super(region, message);
    }

    /**
     * Create an exception with a cause.
     *
     * @param region  the bridged region, or {@code null}.
     * @param message what went wrong.
     * @param cause   the underlying failure.
     */
    public BridgeException(final String region, final String message, final Throwable cause)
    {
        super(region, message, cause);
    }

    /**
     * A field of one of the bridge's own files (replay log, counters) holds an impossible value: the file was
     * damaged or written by something else.
     *
     * @param file     the file.
     * @param field    the field.
     * @param expected what was expected.
     * @param actual   what was found.
     * @return the exception.
     */
    static BridgeException corrupt(final Object file, final String field, final Object expected, final Object actual)
    {
        return new BridgeException(null, "invalid bridge file: file=" + file + " field=" + field + " expected=" +
            expected + " actual=" + actual);
    }
}
