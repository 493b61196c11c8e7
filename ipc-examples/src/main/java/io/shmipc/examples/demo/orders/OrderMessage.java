package io.shmipc.examples.demo.orders;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * Flyweight over one message of the {@code orders} channel, 56 bytes in the host's byte order:
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
    static final int TYPE_OFFSET = 0;
    static final int SLOT_OFFSET = 4;
    static final int CLIENT_ID_OFFSET = 8;
    static final int CORRELATION_ID_OFFSET = 16;
    static final int SYMBOL_OFFSET = 24;
    static final int PRICE_OFFSET = 32;
    static final int QUANTITY_OFFSET = 40;
    static final int SIDE_OFFSET = 44;
    static final int SEND_TIME_OFFSET = 48;
    static final int LENGTH = 56;

    static final int TYPE_NEW_ORDER = 1;
    static final int TYPE_LOGOFF = 2;
    static final int SIDE_BUY = 1;
    static final int SIDE_SELL = 2;

    private DirectBuffer buffer;
    private int offset;

    OrderMessage wrap(final DirectBuffer buffer, final int offset)
    {
        this.buffer = buffer;
        this.offset = offset;
        return this;
    }

    int type()
    {
        return buffer.getInt(offset + TYPE_OFFSET);
    }

    OrderMessage type(final int type)
    {
        mutable().putInt(offset + TYPE_OFFSET, type);
        return this;
    }

    int slot()
    {
        return buffer.getInt(offset + SLOT_OFFSET);
    }

    OrderMessage slot(final int slot)
    {
        mutable().putInt(offset + SLOT_OFFSET, slot);
        return this;
    }

    long clientId()
    {
        return buffer.getLong(offset + CLIENT_ID_OFFSET);
    }

    OrderMessage clientId(final long clientId)
    {
        mutable().putLong(offset + CLIENT_ID_OFFSET, clientId);
        return this;
    }

    long correlationId()
    {
        return buffer.getLong(offset + CORRELATION_ID_OFFSET);
    }

    OrderMessage correlationId(final long correlationId)
    {
        mutable().putLong(offset + CORRELATION_ID_OFFSET, correlationId);
        return this;
    }

    long symbol()
    {
        return buffer.getLong(offset + SYMBOL_OFFSET);
    }

    OrderMessage symbol(final long symbol)
    {
        mutable().putLong(offset + SYMBOL_OFFSET, symbol);
        return this;
    }

    long price()
    {
        return buffer.getLong(offset + PRICE_OFFSET);
    }

    OrderMessage price(final long cents)
    {
        mutable().putLong(offset + PRICE_OFFSET, cents);
        return this;
    }

    int quantity()
    {
        return buffer.getInt(offset + QUANTITY_OFFSET);
    }

    OrderMessage quantity(final int quantity)
    {
        mutable().putInt(offset + QUANTITY_OFFSET, quantity);
        return this;
    }

    int side()
    {
        return buffer.getInt(offset + SIDE_OFFSET);
    }

    OrderMessage side(final int side)
    {
        mutable().putInt(offset + SIDE_OFFSET, side);
        return this;
    }

    long sendTimeNs()
    {
        return buffer.getLong(offset + SEND_TIME_OFFSET);
    }

    OrderMessage sendTimeNs(final long sendTimeNs)
    {
        mutable().putLong(offset + SEND_TIME_OFFSET, sendTimeNs);
        return this;
    }

    static String sideName(final int side)
    {
        return side == SIDE_BUY ? "BUY" : side == SIDE_SELL ? "SELL" : "side-" + side;
    }

    private MutableDirectBuffer mutable()
    {
        return (MutableDirectBuffer)buffer;
    }
}
