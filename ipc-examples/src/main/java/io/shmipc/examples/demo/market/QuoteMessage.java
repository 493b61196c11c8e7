package io.shmipc.examples.demo.market;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * Flyweight over one message of the quotes channel, 56 bytes in the host's byte order (little-endian on x86-64 and
 * aarch64):
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +---------------------------------------------------------------+
 *  |   Sequence (64): 0, 1, ... per feed; END: quotes published    |
 *  |                                                               |
 *  +---------------------------------------------------------------+
 *  |      Publish Time (64): the feed's System.nanoTime()          |
 *  |                                                               |
 *  +---------------------------------------------------------------+
 *  |         Symbol (64): 8 ASCII characters, space padded         |
 *  |                                                               |
 *  +---------------------------------------------------------------+
 *  |                  Bid Price (64), in cents                     |
 *  |                                                               |
 *  +---------------------------------------------------------------+
 *  |                  Ask Price (64), in cents                     |
 *  |                                                               |
 *  +---------------------------------------------------------------+
 *  |                        Bid Size (32)                          |
 *  +---------------------------------------------------------------+
 *  |                        Ask Size (32)                          |
 *  +---------------------------------------------------------------+
 *  |                 Type (32): 1 QUOTE, 2 END                     |
 *  +---------------------------------------------------------------+
 *  |                        Reserved (32)                          |
 *  +---------------------------------------------------------------+
 * </pre>
 * The publish time lets a subscriber measure feed-to-subscriber latency: on Linux {@code System.nanoTime()} reads
 * {@code CLOCK_MONOTONIC}, one clock for every process of the host.
 */
final class QuoteMessage
{
    static final int SEQUENCE_OFFSET = 0;
    static final int PUBLISH_TIME_OFFSET = 8;
    static final int SYMBOL_OFFSET = 16;
    static final int BID_PRICE_OFFSET = 24;
    static final int ASK_PRICE_OFFSET = 32;
    static final int BID_SIZE_OFFSET = 40;
    static final int ASK_SIZE_OFFSET = 44;
    static final int TYPE_OFFSET = 48;
    static final int LENGTH = 56;

    static final int TYPE_QUOTE = 1;
    static final int TYPE_END = 2;

    private DirectBuffer buffer;
    private int offset;

    QuoteMessage wrap(final DirectBuffer buffer, final int offset)
    {
        this.buffer = buffer;
        this.offset = offset;
        return this;
    }

    long sequence()
    {
        return buffer.getLong(offset + SEQUENCE_OFFSET);
    }

    QuoteMessage sequence(final long sequence)
    {
        mutable().putLong(offset + SEQUENCE_OFFSET, sequence);
        return this;
    }

    long publishTimeNs()
    {
        return buffer.getLong(offset + PUBLISH_TIME_OFFSET);
    }

    QuoteMessage publishTimeNs(final long publishTimeNs)
    {
        mutable().putLong(offset + PUBLISH_TIME_OFFSET, publishTimeNs);
        return this;
    }

    long symbol()
    {
        return buffer.getLong(offset + SYMBOL_OFFSET);
    }

    QuoteMessage symbol(final long symbol)
    {
        mutable().putLong(offset + SYMBOL_OFFSET, symbol);
        return this;
    }

    long bidPrice()
    {
        return buffer.getLong(offset + BID_PRICE_OFFSET);
    }

    QuoteMessage bidPrice(final long cents)
    {
        mutable().putLong(offset + BID_PRICE_OFFSET, cents);
        return this;
    }

    long askPrice()
    {
        return buffer.getLong(offset + ASK_PRICE_OFFSET);
    }

    QuoteMessage askPrice(final long cents)
    {
        mutable().putLong(offset + ASK_PRICE_OFFSET, cents);
        return this;
    }

    int bidSize()
    {
        return buffer.getInt(offset + BID_SIZE_OFFSET);
    }

    QuoteMessage bidSize(final int size)
    {
        mutable().putInt(offset + BID_SIZE_OFFSET, size);
        return this;
    }

    int askSize()
    {
        return buffer.getInt(offset + ASK_SIZE_OFFSET);
    }

    QuoteMessage askSize(final int size)
    {
        mutable().putInt(offset + ASK_SIZE_OFFSET, size);
        return this;
    }

    int type()
    {
        return buffer.getInt(offset + TYPE_OFFSET);
    }

    QuoteMessage type(final int type)
    {
        mutable().putInt(offset + TYPE_OFFSET, type);
        return this;
    }

    private MutableDirectBuffer mutable()
    {
        return (MutableDirectBuffer)buffer;
    }
}
