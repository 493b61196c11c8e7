package io.shmipc.examples.demo;

/**
 * One field of a fixed-layout demo message: its offset and its width, 4 or 8 bytes, in the host's byte order. The
 * message classes declare their fields with it, one after the other, and {@link MessageFlyweight} reads and writes
 * them.
 */
public final class MessageField
{
    private final int offset;
    private final int width;

    private MessageField(final int offset, final int width)
    {
        this.offset = offset;
        this.width = width;
    }

    /**
     * The first field of a message, of 64 bits.
     *
     * @return the field, at offset 0.
     */
    public static MessageField firstLong()
    {
        return new MessageField(0, Long.BYTES);
    }

    /**
     * The first field of a message, of 32 bits.
     *
     * @return the field, at offset 0.
     */
    public static MessageField firstInt()
    {
        return new MessageField(0, Integer.BYTES);
    }

    /**
     * A field of 64 bits right after this one.
     *
     * @return the next field.
     */
    public MessageField thenLong()
    {
        return new MessageField(end(), Long.BYTES);
    }

    /**
     * A field of 32 bits right after this one.
     *
     * @return the next field.
     */
    public MessageField thenInt()
    {
        return new MessageField(end(), Integer.BYTES);
    }

    /**
     * The offset of the field in its message.
     *
     * @return bytes from the message's start.
     */
    public int offset()
    {
        return offset;
    }

    /**
     * Where the field ends: the length of a message that ends with it.
     *
     * @return bytes from the message's start.
     */
    public int end()
    {
        return offset + width;
    }

    boolean isLong()
    {
        return width == Long.BYTES;
    }
}
