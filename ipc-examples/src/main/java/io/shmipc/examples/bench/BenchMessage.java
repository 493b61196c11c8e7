package io.shmipc.examples.bench;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * Layout of every benchmark message, whatever carries it (a ring, a broadcast buffer, a socket). All fields are
 * little-endian; bytes past the header up to the message length are left as they are.
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +---------------------------------------------------------------+
 *  |                  Sequence (per producer, from 0)               |
 *  |                                                               |
 *  +---------------------------------------------------------------+
 *  |                        Producer Index                         |
 *  +---------------------------------------------------------------+
 *  |             Phase (0 warm-up, 1 measure, 2 end)               |
 *  +---------------------------------------------------------------+
 *  |     Send Time (System.nanoTime(), 0 when not sampled)         |
 *  |                                                               |
 *  +---------------------------------------------------------------+
 *  |                   Reserved (to 32 bytes)                      |
 *  +---------------------------------------------------------------+
 * </pre>
 * An end message carries, in its send-time field, the number of data messages its producer sent before it, and
 * as its sequence that number plus its copy index (a broadcast producer sends several copies, so that a lapped
 * receiver still sees one): end messages continue the sequence, as they continue the channel's own.
 */
final class BenchMessage
{
    /** Offset of the sequence. */
    static final int SEQUENCE_OFFSET = 0;
    /** Offset of the producer index. */
    static final int PRODUCER_OFFSET = 8;
    /** Offset of the phase. */
    static final int PHASE_OFFSET = 12;
    /** Offset of the send time. */
    static final int SEND_TIME_OFFSET = 16;
    /** Shortest message: the header. */
    static final int HEADER_LENGTH = 32;

    /** Sent while the JVMs warm up: delivered and counted, never measured. */
    static final int PHASE_WARMUP = 0;
    /** Sent while measuring. */
    static final int PHASE_MEASURE = 1;
    /** The producer's last message. */
    static final int PHASE_END = 2;

    /** Throughput producers stamp the send time on one message in this many (a power of two). */
    static final int SAMPLE_INTERVAL = 1024;

    private BenchMessage()
    {
    }

    /**
     * Write a header.
     *
     * @param buffer   the message.
     * @param offset   where it starts.
     * @param sequence the sequence.
     * @param producer the producer index.
     * @param phase    the phase.
     * @param sendTime the send time, or 0.
     */
    static void write(
        final MutableDirectBuffer buffer,
        final int offset,
        final long sequence,
        final int producer,
        final int phase,
        final long sendTime)
    {
        buffer.putLong(offset + SEQUENCE_OFFSET, sequence);
        buffer.putInt(offset + PRODUCER_OFFSET, producer);
        buffer.putInt(offset + PHASE_OFFSET, phase);
        buffer.putLong(offset + SEND_TIME_OFFSET, sendTime);
    }

    static long sequence(final DirectBuffer buffer, final int offset)
    {
        return buffer.getLong(offset + SEQUENCE_OFFSET);
    }

    static int producer(final DirectBuffer buffer, final int offset)
    {
        return buffer.getInt(offset + PRODUCER_OFFSET);
    }

    static int phase(final DirectBuffer buffer, final int offset)
    {
        return buffer.getInt(offset + PHASE_OFFSET);
    }

    static long sendTime(final DirectBuffer buffer, final int offset)
    {
        return buffer.getLong(offset + SEND_TIME_OFFSET);
    }
}
