package io.shmipc.tests.support;

import io.shmipc.toolkit.SequencedMessage;
import org.agrona.DirectBuffer;

import java.util.BitSet;
import java.util.zip.CRC32;

/**
 * Checks one source's stream of {@link SequencedMessage}s as a consumer receives it, counting every kind of
 * fault rather than stopping at the first, so the summary line says what went wrong and how often.
 * <ul>
 * <li>{@code duplicates}: a sequence seen before;</li>
 * <li>{@code outOfOrder}: a sequence that is not the previous one plus one (the first expected is 0);</li>
 * <li>{@code backwards}: a sequence not greater than the previous one;</li>
 * <li>{@code gaps}: sequences skipped going forward (what a lossy receiver lost);</li>
 * <li>{@code missing}: sequences of {@code [0, expected)} never seen;</li>
 * <li>{@code crcErrors}, {@code lengthErrors}: payloads that do not match their header or the record length;</li>
 * <li>{@code invalid}: sequences outside {@code [0, expected)} or another source's messages.</li>
 * </ul>
 */
public final class StreamVerifier
{
    private final int source;
    private final long expected;
    private final int maxPayload;
    private final BitSet seen;
    private final CRC32 crc32 = new CRC32();
    private final byte[] scratch;
    private long received;
    private long duplicates;
    private long outOfOrder;
    private long backwards;
    private long gaps;
    private long crcErrors;
    private long lengthErrors;
    private long invalid;
    private long endMarkers;
    private long payloadBytes;
    private long digest;
    private long first = -1;
    private long last = -1;

    /**
     * Create a verifier.
     *
     * @param source     the source whose stream this is.
     * @param expected   messages the source sends, numbered from 0.
     * @param maxPayload longest payload the source sends.
     */
    public StreamVerifier(final int source, final long expected, final int maxPayload)
    {
        this.source = source;
        this.expected = expected;
        this.maxPayload = maxPayload;
        this.seen = new BitSet((int)expected);
        this.scratch = new byte[maxPayload];
    }

    /**
     * Check one received message.
     *
     * @param buffer holding it.
     * @param offset where it starts.
     * @param length the record length delivered by the channel.
     */
    public void onMessage(final DirectBuffer buffer, final int offset, final int length)
    {
        if (length < SequencedMessage.HEADER_LENGTH)
        {
            lengthErrors++;
            return;
        }
        final long sequence = SequencedMessage.sequence(buffer, offset);
        if (SequencedMessage.source(buffer, offset) != source)
        {
            invalid++;
            return;
        }
        if (sequence == SequencedMessage.END_OF_STREAM)
        {
            endMarkers++;
            return;
        }
        received++;
        final int payloadLength = buffer.getInt(offset + SequencedMessage.PAYLOAD_LENGTH_OFFSET);
        if (payloadLength < 0 || payloadLength > maxPayload ||
            payloadLength != length - SequencedMessage.HEADER_LENGTH)
        {
            lengthErrors++;
        }
        else
        {
            buffer.getBytes(offset + SequencedMessage.HEADER_LENGTH, scratch, 0, payloadLength);
            crc32.reset();
            crc32.update(scratch, 0, payloadLength);
            final int crc = (int)crc32.getValue();
            if (crc != buffer.getInt(offset + SequencedMessage.CRC_OFFSET))
            {
                crcErrors++;
            }
            digest = MessageGenerator.fold(digest, crc);
            payloadBytes += payloadLength;
        }
        if (sequence < 0 || sequence >= expected)
        {
            invalid++;
            return;
        }
        if (seen.get((int)sequence))
        {
            duplicates++;
        }
        seen.set((int)sequence);
        if (sequence != last + 1)
        {
            outOfOrder++;
        }
        if (first < 0)
        {
            first = sequence;
        }
        if (sequence <= last)
        {
            backwards++;
        }
        else
        {
            gaps += sequence - last - 1;
            last = sequence;
        }
    }

    /**
     * Whether the source's end-of-stream marker arrived.
     *
     * @return true once seen.
     */
    public boolean ended()
    {
        return endMarkers > 0;
    }

    /**
     * The highest sequence received.
     *
     * @return the sequence, or -1 before any.
     */
    public long lastSequence()
    {
        return last;
    }

    /**
     * Messages received, end marker excluded.
     *
     * @return the count.
     */
    public long received()
    {
        return received;
    }

    /**
     * Assert that a summary line {@link #describe()} made says the whole stream arrived intact: every one of
     * {@code count} messages received once and in order (none missing, duplicated or skipped, from 0 to
     * {@code count - 1}), no payload with a bad CRC or length, nothing invalid, and the bytes and digest the sender
     * reported having sent.
     *
     * @param received the receiver's summary.
     * @param count    messages sent.
     * @param sent     the sender's summary, with its {@code bytes} and {@code digest}.
     * @return {@code received}, for further assertions.
     */
    public static Summary assertComplete(final Summary received, final long count, final Summary sent)
    {
        return received.assertValue("received", count)
            .assertValue("missing", 0)
            .assertValue("duplicates", 0)
            .assertValue("outOfOrder", 0)
            .assertValue("gaps", 0)
            .assertValue("crcErrors", 0)
            .assertValue("lengthErrors", 0)
            .assertValue("invalid", 0)
            .assertValue("first", 0)
            .assertValue("last", count - 1)
            .assertValue("bytes", sent.number("bytes"))
            .assertValue("digest", sent.number("digest"));
    }

    /**
     * Every count on one line, for the test to parse with {@link Summary}.
     *
     * @return {@code key=value} pairs.
     */
    public String describe()
    {
        return "source=" + source + " expected=" + expected + " received=" + received +
            " unique=" + seen.cardinality() + " missing=" + (expected - seen.cardinality()) +
            " duplicates=" + duplicates + " outOfOrder=" + outOfOrder + " backwards=" + backwards +
            " gaps=" + gaps + " crcErrors=" + crcErrors + " lengthErrors=" + lengthErrors +
            " invalid=" + invalid + " endMarkers=" + endMarkers + " first=" + first + " last=" + last +
            " bytes=" + payloadBytes + " digest=" + digest;
    }
}
