package io.shmipc.examples.demo;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * A view of one fixed-layout demo message in a buffer, read and written field by field ({@link MessageField}), in
 * the host's byte order; allocation-free, one per thread. {@code message.wrap(buffer, offset).get(QuoteMessage.BID)}.
 */
public final class MessageFlyweight
{
    private DirectBuffer buffer;
    private int offset;

    /**
     * View a message.
     *
     * @param buffer the buffer holding it.
     * @param offset where it starts.
     * @return this.
     */
    public MessageFlyweight wrap(final DirectBuffer buffer, final int offset)
    {
        this.buffer = buffer;
        this.offset = offset;
        return this;
    }

    /**
     * Read a field.
     *
     * @param field the field.
     * @return its value, a 32-bit field sign-extended.
     */
    public long get(final MessageField field)
    {
        return field.isLong() ? buffer.getLong(offset + field.offset()) : buffer.getInt(offset + field.offset());
    }

    /**
     * Read a 32-bit field.
     *
     * @param field the field.
     * @return its value.
     */
    public int getInt(final MessageField field)
    {
        return buffer.getInt(offset + field.offset());
    }

    /**
     * Write a field (a 32-bit field takes the low 32 bits).
     *
     * @param field the field.
     * @param value the value.
     * @return this.
     */
    public MessageFlyweight set(final MessageField field, final long value)
    {
        final MutableDirectBuffer target = (MutableDirectBuffer)buffer;
        if (field.isLong())
        {
            target.putLong(offset + field.offset(), value);
        }
        else
        {
            target.putInt(offset + field.offset(), (int)value);
        }
        return this;
    }
}
