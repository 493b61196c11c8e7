package io.shmipc.examples.demo.market;

import io.shmipc.examples.demo.MessageField;

/**
 * Layout of one message of the quotes channel, 56 bytes in the host's byte order (little-endian on x86-64 and
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
    static final int TYPE_QUOTE = 1;
    static final int TYPE_END = 2;

    static final MessageField SEQUENCE = MessageField.firstLong();
    static final MessageField PUBLISH_TIME = SEQUENCE.thenLong();
    static final MessageField SYMBOL = PUBLISH_TIME.thenLong();
    static final MessageField BID_PRICE = SYMBOL.thenLong();
    static final MessageField ASK_PRICE = BID_PRICE.thenLong();
    static final MessageField BID_SIZE = ASK_PRICE.thenInt();
    static final MessageField ASK_SIZE = BID_SIZE.thenInt();
    static final MessageField TYPE = ASK_SIZE.thenInt();
    /** The message length. */
    static final int LENGTH = TYPE.end() + Integer.BYTES;

    private QuoteMessage()
    {
    }
}
