package io.shmipc.tests.faults;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * The soak's message: who sent it (producer and incarnation), its sequence number within that incarnation, a
 * check value over all three and the length, and filler bytes derived from the sequence, so a consumer detects
 * any torn, shifted or overwritten message.
 * <pre>
 *   0: producer (int)   4: incarnation (int)   8: sequence (long)   16: check (long)   24: filler
 * </pre>
 * The consumer logs each message it receives as a 16-byte {@link #LOG_RECORD_LENGTH} record: producer,
 * incarnation, sequence; producer -1 marks a message that failed its checks.
 */
final class SoakMessages
{
    static final int HEADER_LENGTH = 24;
    static final int MAX_FILLER = 100;
    static final int LOG_RECORD_LENGTH = 16;
    static final int CORRUPT_PRODUCER = -1;

    private SoakMessages()
    {
    }

    static int length(final long sequence)
    {
        return HEADER_LENGTH + (int)Math.floorMod(mix(sequence * 0x9E3779B97F4A7C15L), (long)MAX_FILLER + 1);
    }

    static void write(final MutableDirectBuffer buffer, final int offset, final int producer, final int incarnation,
        final long sequence)
    {
        final int length = length(sequence);
        buffer.putInt(offset, producer);
        buffer.putInt(offset + 4, incarnation);
        buffer.putLong(offset + 8, sequence);
        buffer.putLong(offset + 16, check(producer, incarnation, sequence, length));
        for (int i = HEADER_LENGTH; i < length; i++)
        {
            buffer.putByte(offset + i, filler(sequence, i));
        }
    }

    /**
     * Whether a received message is intact.
     */
    static boolean isValid(final DirectBuffer buffer, final int offset, final int length)
    {
        if (length < HEADER_LENGTH)
        {
            return false;
        }
        final int producer = buffer.getInt(offset);
        final int incarnation = buffer.getInt(offset + 4);
        final long sequence = buffer.getLong(offset + 8);
        if (length != length(sequence) ||
            buffer.getLong(offset + 16) != check(producer, incarnation, sequence, length))
        {
            return false;
        }
        for (int i = HEADER_LENGTH; i < length; i++)
        {
            if (buffer.getByte(offset + i) != filler(sequence, i))
            {
                return false;
            }
        }
        return true;
    }

    private static long check(final int producer, final int incarnation, final long sequence, final int length)
    {
        return mix(((long)producer << 40) ^ ((long)incarnation << 20) ^ sequence ^ ((long)length << 56));
    }

    private static byte filler(final long sequence, final int index)
    {
        return (byte)(sequence * 31 + index);
    }

    private static long mix(final long value)
    {
        long z = value + 0x9E3779B97F4A7C15L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
