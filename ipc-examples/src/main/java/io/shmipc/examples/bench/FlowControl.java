package io.shmipc.examples.bench;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

import java.io.IOException;
import java.util.Arrays;

/**
 * Benchmark-level flow control for broadcast throughput. A broadcast transmitter never waits, so a receiver that
 * falls a buffer behind is lapped and the run measures lapping instead of delivery. Instead, every receiver
 * acknowledges each burst of {@code burst} messages on a small many-to-one ring, and the producer, after each
 * burst, waits until every receiver has acknowledged the burst before it: at most two bursts (half the buffer) are
 * ever in flight, so no receiver is lapped, none loses anything, and the rate is what receivers that keep up get.
 * <p>
 * Acknowledgement message: count received (long, offset 0), receiver index (int, offset 8).
 */
final class FlowControl
{
    /** Length of an acknowledgement. */
    static final int ACK_LENGTH = 16;
    private static final int COUNT_OFFSET = 0;
    private static final int RECEIVER_OFFSET = 8;

    private FlowControl()
    {
    }

    /**
     * Messages per burst for a broadcast buffer: a quarter of it.
     *
     * @param capacity the buffer's data capacity.
     * @param length   message length.
     * @return messages.
     */
    static long burst(final int capacity, final int length)
    {
        final int record = org.agrona.BitUtil.align(length + org.agrona.concurrent.broadcast.RecordDescriptor
            .HEADER_LENGTH, org.agrona.concurrent.broadcast.RecordDescriptor.RECORD_ALIGNMENT);
        return capacity / 4 / record;
    }

    static void writeAck(final MutableDirectBuffer buffer, final long count, final int receiver)
    {
        buffer.putLong(COUNT_OFFSET, count);
        buffer.putInt(RECEIVER_OFFSET, receiver);
    }

    /**
     * The producer's side: waits for acknowledgements.
     */
    interface Waiter
    {
        /**
         * Wait until every receiver has received {@code count} messages.
         *
         * @param count messages.
         * @throws IOException from a transport.
         */
        void awaitAcknowledged(long count) throws IOException;
    }

    /**
     * The receiver's side: sends acknowledgements.
     */
    @FunctionalInterface
    interface Acknowledger
    {
        /**
         * Tell the producer this receiver has received {@code count} messages.
         *
         * @param count messages.
         */
        void acknowledge(long count);
    }

    /**
     * The lowest count every receiver has acknowledged, from the acknowledgements read so far.
     */
    static final class Tracker
    {
        private final long[] acknowledged;

        Tracker(final int receivers)
        {
            acknowledged = new long[receivers];
        }

        void onAck(final DirectBuffer buffer, final int offset)
        {
            final int receiver = buffer.getInt(offset + RECEIVER_OFFSET);
            acknowledged[receiver] = Math.max(acknowledged[receiver], buffer.getLong(offset + COUNT_OFFSET));
        }

        long minimum()
        {
            return Arrays.stream(acknowledged).min().orElse(Long.MAX_VALUE);
        }
    }
}
