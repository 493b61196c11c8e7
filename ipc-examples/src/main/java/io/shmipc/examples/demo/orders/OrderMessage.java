package io.shmipc.examples.demo.orders;

import io.shmipc.examples.demo.MessageField;

/**
 * Layout of one message of the {@code orders} channel, 56 bytes in the host's byte order:
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +---------------------------------------------------------------+
 *  |              Type (32): 1 NEW_ORDER, 2 LOGOFF                 |
 *  +---------------------------------------------------------------+
 *  |  Slot (32): the service's client id (names its reply channel) |
 *  +---------------------------------------------------------------+
 *  |       Client Id (64): random per client process run           |
 *  |                                                               |
 *  +---------------------------------------------------------------+
 *  |   Correlation Id (64): 1, 2, ... per client; LOGOFF: orders   |
 *  |                                                               |
 *  +---------------------------------------------------------------+
 *  |        Symbol (64): 8 ASCII characters, space padded          |
 *  |                                                               |
 *  +---------------------------------------------------------------+
 *  |                   Limit Price (64), in cents                  |
 *  |                                                               |
 *  +---------------------------------------------------------------+
 *  |                        Quantity (32)                          |
 *  +---------------------------------------------------------------+
 *  |                   Side (32): 1 BUY, 2 SELL                    |
 *  +---------------------------------------------------------------+
 *  |    Send Time (64): the client's System.nanoTime(), echoed     |
 *  |                                                               |
 *  +---------------------------------------------------------------+
 * </pre>
 */
final class OrderMessage
{
    static final int TYPE_NEW_ORDER = 1;
    static final int TYPE_LOGOFF = 2;
    static final int SIDE_BUY = 1;
    static final int SIDE_SELL = 2;

    static final MessageField TYPE = MessageField.firstInt();
    static final MessageField SLOT = TYPE.thenInt();
    static final MessageField CLIENT_ID = SLOT.thenLong();
    static final MessageField CORRELATION_ID = CLIENT_ID.thenLong();
    static final MessageField SYMBOL = CORRELATION_ID.thenLong();
    static final MessageField PRICE = SYMBOL.thenLong();
    static final MessageField QUANTITY = PRICE.thenInt();
    static final MessageField SIDE = QUANTITY.thenInt();
    static final MessageField SEND_TIME = SIDE.thenLong();
    /** The message length. */
    static final int LENGTH = SEND_TIME.end();

    private OrderMessage()
    {
    }
}
