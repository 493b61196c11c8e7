package io.shmipc.channel;

import org.agrona.DirectBuffer;

/**
 * A publisher that writes whole records of several messages: what a {@link io.shmipc.BatchingPublisher} flushes
 * into.
 */
public interface RecordPublisher
{
    /**
     * Write one record of {@code messages} messages holding {@code payloadBytes} bytes of payload.
     *
     * @param typeId       the record's type id.
     * @param source       the record.
     * @param length       its length, within the channel's message limit.
     * @param messages     messages in it, for the counters.
     * @param payloadBytes payload bytes in it, for the counters.
     * @return {@link io.shmipc.Publisher#OK}, {@link io.shmipc.Publisher#BACK_PRESSURED} or
     *         {@link io.shmipc.Publisher#CLOSED}.
     */
    long offerRecord(int typeId, DirectBuffer source, int length, int messages, int payloadBytes);

    /**
     * Whether the publisher is closed.
     *
     * @return true once closed.
     */
    boolean isClosed();

    /**
     * The longest record the channel accepts.
     *
     * @return bytes.
     */
    int maxMessageLength();

    /**
     * The channel name, for messages.
     *
     * @return the name.
     */
    String channel();

    /**
     * The region name, for messages.
     *
     * @return the region as text.
     */
    String region();
}
