package io.shmipc.examples.container;

import io.shmipc.examples.support.ExitCodes;

import io.shmipc.Publisher;
import io.shmipc.Region;
import io.shmipc.RegionLocation;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/**
 * {@code produce REGION COUNT}: publish messages numbered 1 to COUNT (0: without end), each an 8-byte
 * little-endian sequence number followed by the text {@code " from <host>"}.
 * <p>
 * Prints {@code READY ...}, then {@code PRODUCED n} every {@code --progress} messages (n messages are committed to
 * the channel when the line appears), then {@code DONE produced=n}; or {@code SUBSCRIBER GONE produced=n} when the
 * channel stays full and its subscriber has died.
 */
final class SequenceProducer
{
    /** Offset of the sequence number in a message. */
    static final int SEQUENCE_OFFSET = 0;
    /** Offset of the text in a message. */
    static final int TEXT_OFFSET = Long.BYTES;

    private static final long LIVENESS_CHECK_INTERVAL_NS = TimeUnit.MILLISECONDS.toNanos(100);
    /** Messages between two looks at the subscriber while the ring takes every message (a power of two). */
    private static final long SEEN_CHECK_MESSAGES = 4096;

    private SequenceProducer()
    {
    }

    /**
     * Run the producer.
     *
     * @param args parsed arguments.
     * @return the exit status.
     */
    static int run(final PeerArguments args)
    {
        final RegionLocation location = args.location(0);
        final long count = Long.parseLong(args.positional(1, "message count (0: without end)"));
        final long progress = args.number("progress", 10_000);
        final String channel = PeerRegions.channel(args);
        final byte[] text = (" from " + PeerIdentity.hostname()).getBytes(StandardCharsets.UTF_8);
        final UnsafeBuffer message = new UnsafeBuffer(ByteBuffer.allocateDirect(TEXT_OFFSET + text.length));
        message.putBytes(TEXT_OFFSET, text);
        final IdleStrategy idle = new BackoffIdleStrategy(100, 10, TimeUnit.MICROSECONDS.toNanos(1),
            TimeUnit.MILLISECONDS.toNanos(1));

        try (Region region = PeerRegions.open(args, location);
            Publisher publisher = region.publisher(channel))
        {
            System.out.println("READY role=producer region=" + location + " channel=" + channel + " " +
                PeerIdentity.describe());
            boolean subscriberSeen = false;
            for (long sequence = 1; count == 0 || sequence <= count; sequence++)
            {
                if ((sequence & (SEEN_CHECK_MESSAGES - 1)) == 0)
                {
                    // A subscriber that keeps up never back-pressures: look for it now and then, so that its death
                    // is noticed once the ring fills.
                    subscriberSeen |= publisher.isConsumerAlive();
                }
                message.putLong(SEQUENCE_OFFSET, sequence, ByteOrder.LITTLE_ENDIAN);
                long result;
                long nextCheck = System.nanoTime() + LIVENESS_CHECK_INTERVAL_NS;
                idle.reset();
                while ((result = publisher.offer(message, 0, message.capacity())) == Publisher.BACK_PRESSURED)
                {
                    if (System.nanoTime() - nextCheck >= 0)
                    {
                        nextCheck = System.nanoTime() + LIVENESS_CHECK_INTERVAL_NS;
                        final boolean alive = publisher.isConsumerAlive();
                        subscriberSeen |= alive;
                        if (subscriberSeen && !alive)
                        {
                            System.out.println("SUBSCRIBER GONE produced=" + (sequence - 1));
                            return ExitCodes.PEER_GONE;
                        }
                    }
                    idle.idle();
                }
                if (result != Publisher.OK)
                {
                    System.out.println("ERROR offer result=" + result + " at sequence=" + sequence);
                    return 1;
                }
                if (sequence % progress == 0)
                {
                    System.out.println("PRODUCED " + sequence);
                }
            }
            System.out.println("DONE produced=" + count);
            return 0;
        }
    }
}
