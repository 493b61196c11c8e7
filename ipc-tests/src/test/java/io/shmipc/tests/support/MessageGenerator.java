package io.shmipc.tests.support;

import io.shmipc.toolkit.SequencedMessage;
import org.agrona.MutableDirectBuffer;

import java.util.SplittableRandom;
import java.util.zip.CRC32;

/**
 * Produces one source's stream of {@link SequencedMessage}s: payloads of random length cut at random offsets
 * from a block of random bytes, each with its CRC32. {@link #prepare} chooses the next message (so its length is
 * known before space is claimed) and {@link #writeTo} writes it, as many times as a back-pressured send needs.
 * <p>
 * The digest folds every payload CRC in order, so a consumer that computes the same digest over what it received
 * proves it received the same payloads in the same order.
 */
public final class MessageGenerator
{
    private static final int POOL_LENGTH = 64 * 1024;

    private final SplittableRandom random;
    private final byte[] pool = new byte[POOL_LENGTH];
    private final CRC32 crc32 = new CRC32();
    private final int source;
    private final int minPayload;
    private final int maxPayload;
    private long sequence;
    private int payloadOffset;
    private int payloadLength;
    private int crc;
    private long digest;
    private long payloadBytes;

    /**
     * Create a generator.
     *
     * @param seed       random seed (printed by the child, so a failure can be replayed).
     * @param source     the source id written in every message.
     * @param minPayload shortest payload, at least 0.
     * @param maxPayload longest payload, at most 64 KiB.
     */
    public MessageGenerator(final long seed, final int source, final int minPayload, final int maxPayload)
    {
        if (minPayload < 0 || maxPayload < minPayload || maxPayload > POOL_LENGTH)
        {
            throw new IllegalArgumentException("payload range: min=" + minPayload + " max=" + maxPayload);
        }
        this.random = new SplittableRandom(seed);
        this.source = source;
        this.minPayload = minPayload;
        this.maxPayload = maxPayload;
        for (int i = 0; i < POOL_LENGTH; i += Long.BYTES)
        {
            long bits = random.nextLong();
            for (int j = 0; j < Long.BYTES; j++)
            {
                pool[i + j] = (byte)bits;
                bits >>>= 8;
            }
        }
    }

    /**
     * Choose the next message of the stream.
     *
     * @param sequence its sequence number.
     * @return its encoded length.
     */
    public int prepare(final long sequence)
    {
        this.sequence = sequence;
        payloadLength = minPayload + random.nextInt(maxPayload - minPayload + 1);
        payloadOffset = random.nextInt(POOL_LENGTH - payloadLength + 1);
        crc32.reset();
        crc32.update(pool, payloadOffset, payloadLength);
        crc = (int)crc32.getValue();
        digest = fold(digest, crc);
        payloadBytes += payloadLength;
        return SequencedMessage.HEADER_LENGTH + payloadLength;
    }

    /**
     * Write the prepared message.
     *
     * @param buffer the destination.
     * @param offset where the message starts.
     * @return its encoded length.
     */
    public int writeTo(final MutableDirectBuffer buffer, final int offset)
    {
        SequencedMessage.writeHeader(buffer, offset, sequence, source, payloadLength, crc);
        buffer.putBytes(offset + SequencedMessage.HEADER_LENGTH, pool, payloadOffset, payloadLength);
        return SequencedMessage.HEADER_LENGTH + payloadLength;
    }

    /**
     * Write the end-of-stream marker of this source (not counted in the digest).
     *
     * @param buffer the destination.
     * @param offset where the message starts.
     * @return its encoded length.
     */
    public int writeEndOfStream(final MutableDirectBuffer buffer, final int offset)
    {
        SequencedMessage.writeHeader(buffer, offset, SequencedMessage.END_OF_STREAM, source, 0, 0);
        return SequencedMessage.HEADER_LENGTH;
    }

    /**
     * The digest of every payload prepared so far.
     *
     * @return the digest.
     */
    public long digest()
    {
        return digest;
    }

    /**
     * Payload bytes prepared so far.
     *
     * @return bytes.
     */
    public long payloadBytes()
    {
        return payloadBytes;
    }

    /**
     * The order-sensitive fold of payload CRCs both ends compute.
     *
     * @param digest the digest so far.
     * @param crc    the next payload's CRC32.
     * @return the new digest.
     */
    public static long fold(final long digest, final int crc)
    {
        return digest * 31 + (crc & 0xFFFF_FFFFL);
    }
}
