package io.shmipc.channel;

import org.agrona.DirectBuffer;

/**
 * The check of a range a caller hands in to be copied into shared memory (a message, a batch entry, a request or a
 * response): a null buffer or a range the buffer does not hold is refused before anything is claimed or written,
 * with an error naming where it was handed in and the values. {@link #holds} costs what Agrona's own bounds check
 * costs, a few compares; the error, and its text, are made only when it refuses.
 */
public final class SourceRange
{
    private SourceRange()
    {
    }

    /**
     * Whether {@code source} is a buffer that holds the bytes {@code [offset, offset + length)}.
     *
     * @param source the caller's buffer, or null.
     * @param offset of the first byte.
     * @param length in bytes.
     * @return true when the range can be copied.
     */
    public static boolean holds(final DirectBuffer source, final int offset, final int length)
    {
        return source != null && offset >= 0 && length >= 0 && offset <= source.capacity() - length;
    }

    /**
     * The error for a range {@link #holds} refused.
     *
     * @param source the caller's buffer, or null.
     * @param offset of the first byte.
     * @param length in bytes.
     * @param what   what the bytes are ("message", "request", "response").
     * @param where  where they were handed in ({@code region=.. channel=..}).
     * @return a {@link NullPointerException} for a null buffer, else an {@link IndexOutOfBoundsException}.
     */
    public static RuntimeException refusal(final DirectBuffer source, final int offset, final int length,
        final String what, final String where)
    {
        if (source == null)
        {
            return new NullPointerException("the " + what + " buffer is null: " + where);
        }
        return new IndexOutOfBoundsException("the " + what + " buffer does not hold the bytes given: " + where +
            " offset=" + offset + " length=" + length + " capacity=" + source.capacity());
    }
}
