package io.shmipc.examples.bench;

import org.HdrHistogram.Histogram;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * The loops of the strict method ({@link StrictScenario}), the same for every candidate: busy spin with no
 * spin-wait hint, every poll to the end of what is readable, and the one-word floor probed in slices between the
 * candidate's own.
 */
final class StrictLoops
{
    /** Marks a throughput slice's end in place of a sequence. */
    static final long SLICE_END = -1;

    private StrictLoops()
    {
    }

    /**
     * One side of a candidate: a channel to send on and one to read from, each read delivering to the receiver the
     * candidate was opened with.
     */
    interface Channels
    {
        /**
         * Send one message.
         *
         * @param message holding it.
         * @param offset  where it starts.
         * @param length  its length.
         * @return false when the channel was full and nothing was sent.
         */
        boolean offer(DirectBuffer message, int offset, int length);

        /**
         * Read everything readable (to the end of the ring), delivering each message to the receiver.
         *
         * @return messages delivered.
         */
        int pollAll();
    }

    /**
     * Takes what {@link Channels#pollAll()} delivers.
     */
    interface Receiver
    {
        /**
         * One message.
         *
         * @param buffer holding it.
         * @param offset where it starts.
         * @param length its length.
         */
        void onMessage(DirectBuffer buffer, int offset, int length);
    }

    /**
     * The one-word floor between two processes: the pinging side writes odd values, the other answers each with
     * the next even value. Both sides count exchanges, so slices need no end marker.
     */
    static final class Floor
    {
        private final UnsafeBuffer word;
        private long next = 1;

        Floor(final UnsafeBuffer word)
        {
            this.word = word;
        }

        /**
         * Ping {@code exchanges} times, recording each round trip when {@code histogram} is given.
         *
         * @param exchanges how many.
         * @param histogram where, or {@code null} for a warm-up.
         */
        void ping(final int exchanges, final Histogram histogram)
        {
            final UnsafeBuffer word = this.word;
            long value = next;
            for (int i = 0; i < exchanges; i++)
            {
                final long start = System.nanoTime();
                word.putLongRelease(0, value);
                final long expected = value + 1;
                while (word.getLongVolatile(0) != expected)
                {
                    // busy spin, no hint: the method's rule for every candidate
                }
                final long end = System.nanoTime();
                if (histogram != null)
                {
                    RoleContext.record(histogram, end - start);
                }
                value += 2;
            }
            next = value;
        }

        /**
         * Answer {@code exchanges} pings.
         *
         * @param exchanges how many.
         */
        void pong(final int exchanges)
        {
            final UnsafeBuffer word = this.word;
            long expected = next;
            for (int i = 0; i < exchanges; i++)
            {
                while (word.getLongVolatile(0) != expected)
                {
                    // busy spin, no hint
                }
                word.putLongRelease(0, expected + 1);
                expected += 2;
            }
            next = expected;
        }
    }

    /**
     * The pinging side of the candidate's round trip: the message carries its sequence; the echo must carry it back.
     */
    static final class Pinger implements Receiver
    {
        private final Channels channels;
        private final UnsafeBuffer message;
        private final int length;
        private long sequence;
        private long echoed = -1;
        private long disordered;

        Pinger(final Channels channels, final UnsafeBuffer message, final int length)
        {
            this.channels = channels;
            this.message = message;
            this.length = length;
        }

        @Override
        public void onMessage(final DirectBuffer buffer, final int offset, final int length)
        {
            echoed = buffer.getLong(offset);
        }

        /**
         * Make {@code roundTrips} round trips, recording each when {@code histogram} is given.
         *
         * @param roundTrips how many.
         * @param histogram  where, or {@code null} for a warm-up.
         */
        void run(final int roundTrips, final Histogram histogram)
        {
            final Channels channels = this.channels;
            for (int i = 0; i < roundTrips; i++)
            {
                final long start = System.nanoTime();
                message.putLong(0, sequence);
                while (!channels.offer(message, 0, length))
                {
                    // busy spin, no hint
                }
                while (channels.pollAll() == 0)
                {
                    // busy spin, no hint
                }
                final long end = System.nanoTime();
                if (echoed != sequence)
                {
                    disordered++;
                }
                sequence++;
                if (histogram != null)
                {
                    RoleContext.record(histogram, end - start);
                }
            }
        }

        long sent()
        {
            return sequence;
        }

        long disordered()
        {
            return disordered;
        }
    }

    /**
     * The echoing side: sends back every message it reads, as it read it.
     */
    static final class Echo implements Receiver
    {
        private final Channels channels;
        private long echoed;

        Echo(final Channels channels)
        {
            this.channels = channels;
        }

        @Override
        public void onMessage(final DirectBuffer buffer, final int offset, final int length)
        {
            while (!channels.offer(buffer, offset, length))
            {
                // busy spin, no hint
            }
            echoed++;
        }

        /**
         * Echo until {@code count} more messages were echoed.
         *
         * @param count how many.
         */
        void run(final int count)
        {
            final long target = echoed + count;
            final Channels channels = this.channels;
            while (echoed < target)
            {
                channels.pollAll();
            }
        }

        long echoed()
        {
            return echoed;
        }
    }

    /**
     * The producing side of a throughput slice: sequences without a gap, then the slice's end marker.
     */
    static final class Producer
    {
        private static final int CLOCK_MASK = 1023;

        private final Channels channels;
        private final UnsafeBuffer message;
        private final int length;
        private long sequence;
        private long backPressured;

        Producer(final Channels channels, final UnsafeBuffer message, final int length)
        {
            this.channels = channels;
            this.message = message;
            this.length = length;
        }

        /**
         * Send for {@code durationNs} (the clock read once every 1024 messages), then the end marker.
         *
         * @param durationNs how long.
         */
        void slice(final long durationNs)
        {
            final Channels channels = this.channels;
            final UnsafeBuffer message = this.message;
            final long end = System.nanoTime() + durationNs;
            long sequence = this.sequence;
            while ((sequence & CLOCK_MASK) != 0 || System.nanoTime() - end < 0)
            {
                message.putLong(0, sequence);
                while (!channels.offer(message, 0, length))
                {
                    backPressured++; // busy spin, no hint
                }
                sequence++;
            }
            this.sequence = sequence;
            message.putLong(0, SLICE_END);
            while (!channels.offer(message, 0, length))
            {
                backPressured++;
            }
        }

        long sent()
        {
            return sequence;
        }

        long backPressured()
        {
            return backPressured;
        }
    }

    /**
     * The consuming side of a throughput slice: checks that sequences follow without gap or step back, and times
     * the slice from its start to the end marker.
     */
    static final class Consumer implements Receiver
    {
        private final Channels channels;
        private long expected;
        private long received;
        private long lost;
        private long disordered;
        private boolean sliceEnded;

        Consumer(final Channels channels)
        {
            this.channels = channels;
        }

        @Override
        public void onMessage(final DirectBuffer buffer, final int offset, final int length)
        {
            final long sequence = buffer.getLong(offset);
            if (sequence == SLICE_END)
            {
                sliceEnded = true;
                return;
            }
            if (sequence < expected)
            {
                disordered++;
                return;
            }
            lost += sequence - expected;
            expected = sequence + 1;
            received++;
        }

        /**
         * Read until the producer's end marker.
         *
         * @return messages received in the slice.
         */
        long slice()
        {
            final long before = received;
            sliceEnded = false;
            final Channels channels = this.channels;
            while (!sliceEnded)
            {
                channels.pollAll();
            }
            return received - before;
        }

        long received()
        {
            return received;
        }

        long expected()
        {
            return expected;
        }

        long lost()
        {
            return lost;
        }

        long disordered()
        {
            return disordered;
        }
    }
}
