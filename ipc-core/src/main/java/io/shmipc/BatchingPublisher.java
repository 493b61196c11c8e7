package io.shmipc;

import io.shmipc.channel.RecordPublisher;
import io.shmipc.channel.SourceRange;
import io.shmipc.exceptions.MessageTooLargeException;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Packs many small messages into one record, so small-message throughput is not bounded by the per-record
 * header, alignment and zeroing: {@link #offer} appends to a batch held by this publisher, {@link #flush()}
 * publishes the batch as one record, and the subscriber's handler is still called once per message, in order.
 * A batch is flushed by {@link #flush()}, or by {@link #offer} when the next message would not fit.
 * <p>
 * Messages wait in the batch until flushed: call {@link #flush()} when a burst ends (for example when there is
 * nothing more to send right now). Closing the underlying publisher drops an unflushed batch. Ring channels
 * ({@link ChannelKind#ONE_TO_ONE}, {@link ChannelKind#MANY_TO_ONE}) and logs ({@link ChannelKind#PUBLISH_SUBSCRIBE},
 * where a batch is one log record); not broadcast channels. Not thread-safe; allocation-free after construction.
 * <p>
 * Record format (type id {@link #BATCH_TYPE_ID}): entries of a 4-byte little-endian length followed by that many
 * payload bytes, packed back to back up to the record's length.
 */
public final class BatchingPublisher
{
    /** Ring record type id of a batch. */
    public static final int BATCH_TYPE_ID = 2;
    /** Bytes before each message in a batch. */
    public static final int ENTRY_HEADER_LENGTH = Integer.BYTES;

    private final RecordPublisher publisher;
    private final UnsafeBuffer batch;
    private final int maxBatchLength;
    private int batchLength;
    private int batchMessages;

    BatchingPublisher(final RecordPublisher publisher, final int maxBatchLength)
    {
        if (maxBatchLength <= ENTRY_HEADER_LENGTH || maxBatchLength > publisher.maxMessageLength())
        {
            throw new IllegalArgumentException("invalid maxBatchLength: channel=" + publisher.channel() +
                " maxBatchLength=" + maxBatchLength + " (more than " + ENTRY_HEADER_LENGTH + ", at most " +
                publisher.maxMessageLength() + ")");
        }
        this.publisher = publisher;
        this.maxBatchLength = maxBatchLength;
        this.batch = new UnsafeBuffer(ByteBuffer.allocateDirect(maxBatchLength).order(ByteOrder.LITTLE_ENDIAN));
    }

    /**
     * Append a message to the batch, flushing the batch first if the message would not fit.
     *
     * @param buffer holding the message.
     * @param offset of the first byte.
     * @param length in bytes, at most {@link #maxMessageLength()}.
     * @return {@link Publisher#OK}, {@link Publisher#BACK_PRESSURED} (a full batch could not be flushed; the
     *         message was not added) or {@link Publisher#CLOSED}.
     * @throws MessageTooLargeException  when the message cannot fit in an empty batch.
     * @throws IndexOutOfBoundsException when {@code offset} and {@code length} are not within {@code buffer}, naming
     *                                   the region, the channel and the values; the batch is unchanged.
     * @throws NullPointerException      when {@code buffer} is null; the batch is unchanged.
     */
    public long offer(final DirectBuffer buffer, final int offset, final int length)
    {
        if (length > maxBatchLength - ENTRY_HEADER_LENGTH)
        {
            throw new MessageTooLargeException(publisher.region(), "message too large for " +
                "a batch: channel=" + publisher.channel() + " length=" + length + " maxMessageLength=" +
                maxMessageLength());
        }
        if (publisher.isClosed())
        {
            return Publisher.CLOSED;
        }
        if (!SourceRange.holds(buffer, offset, length))
        {
            throw SourceRange.refusal(buffer, offset, length, "message", "region=" + publisher.region() +
                " channel=" + publisher.channel());
        }
        if (batchLength + ENTRY_HEADER_LENGTH + length > maxBatchLength)
        {
            final long flushed = flush();
            if (flushed != Publisher.OK)
            {
                return flushed;
            }
        }
        batch.putInt(batchLength, length, ByteOrder.LITTLE_ENDIAN);
        batch.putBytes(batchLength + ENTRY_HEADER_LENGTH, buffer, offset, length);
        batchLength += ENTRY_HEADER_LENGTH + length;
        batchMessages++;
        return Publisher.OK;
    }

    /**
     * Publish the batch as one record. Nothing to do when it is empty.
     *
     * @return {@link Publisher#OK}, {@link Publisher#BACK_PRESSURED} (the batch is kept; try again) or
     *         {@link Publisher#CLOSED}.
     * @throws IllegalStateException on a {@link ChannelKind#PUBLISH_SUBSCRIBE} channel while the publisher holds a
     *                               claim (the batch is kept): see {@link Publisher#offer}.
     */
    public long flush()
    {
        if (batchMessages == 0)
        {
            return Publisher.OK;
        }
        final long result = publisher.offerRecord(BATCH_TYPE_ID, batch, batchLength, batchMessages,
            batchLength - batchMessages * ENTRY_HEADER_LENGTH);
        if (result == Publisher.OK)
        {
            batchLength = 0;
            batchMessages = 0;
        }
        return result;
    }

    /**
     * Messages waiting in the batch.
     *
     * @return count.
     */
    public int pendingMessages()
    {
        return batchMessages;
    }

    /**
     * The longest message a batch takes.
     *
     * @return bytes.
     */
    public int maxMessageLength()
    {
        return maxBatchLength - ENTRY_HEADER_LENGTH;
    }

    /**
     * The publisher this batches for.
     *
     * @return the publisher.
     */
    public Publisher publisher()
    {
        return (Publisher)publisher;
    }
}
