package io.shmipc.examples.demo.orders;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * Flyweight over one message of a {@code replies-<slot>} channel, 48 bytes in the host's byte order:
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +---------------------------------------------------------------+
 *  |   Status (32): 1 RESTING, 2 PARTIALLY_FILLED, 3 FILLED,       |
 *  |                4 REJECTED                                     |
 *  +---------------------------------------------------------------+
 *  |                    Filled Quantity (32)                       |
 *  +---------------------------------------------------------------+
 *  |              Client Id (64), copied from the order            |
 *  |                                                               |
 *  +---------------------------------------------------------------+
 *  |           Correlation Id (64), copied from the order          |
 *  |                                                               |
 *  +---------------------------------------------------------------+
 *  |      Average Fill Price (64), in cents; 0 when unfilled       |
 *  |                                                               |
 *  +---------------------------------------------------------------+
 *  |           Send Time (64), copied from the order               |
 *  |                                                               |
 *  +---------------------------------------------------------------+
 *  |         Order Number (64): the matcher's sequence             |
 *  |                                                               |
 *  +---------------------------------------------------------------+
 * </pre>
 */
final class ExecutionReport
{
    static final int STATUS_OFFSET = 0;
    static final int FILLED_QUANTITY_OFFSET = 4;
    static final int CLIENT_ID_OFFSET = 8;
    static final int CORRELATION_ID_OFFSET = 16;
    static final int AVERAGE_PRICE_OFFSET = 24;
    static final int SEND_TIME_OFFSET = 32;
    static final int ORDER_NUMBER_OFFSET = 40;
    static final int LENGTH = 48;

    static final int STATUS_RESTING = 1;
    static final int STATUS_PARTIALLY_FILLED = 2;
    static final int STATUS_FILLED = 3;
    static final int STATUS_REJECTED = 4;

    private DirectBuffer buffer;
    private int offset;

    ExecutionReport wrap(final DirectBuffer buffer, final int offset)
    {
        this.buffer = buffer;
        this.offset = offset;
        return this;
    }

    int status()
    {
        return buffer.getInt(offset + STATUS_OFFSET);
    }

    ExecutionReport status(final int status)
    {
        mutable().putInt(offset + STATUS_OFFSET, status);
        return this;
    }

    int filledQuantity()
    {
        return buffer.getInt(offset + FILLED_QUANTITY_OFFSET);
    }

    ExecutionReport filledQuantity(final int quantity)
    {
        mutable().putInt(offset + FILLED_QUANTITY_OFFSET, quantity);
        return this;
    }

    long clientId()
    {
        return buffer.getLong(offset + CLIENT_ID_OFFSET);
    }

    ExecutionReport clientId(final long clientId)
    {
        mutable().putLong(offset + CLIENT_ID_OFFSET, clientId);
        return this;
    }

    long correlationId()
    {
        return buffer.getLong(offset + CORRELATION_ID_OFFSET);
    }

    ExecutionReport correlationId(final long correlationId)
    {
        mutable().putLong(offset + CORRELATION_ID_OFFSET, correlationId);
        return this;
    }

    long averagePrice()
    {
        return buffer.getLong(offset + AVERAGE_PRICE_OFFSET);
    }

    ExecutionReport averagePrice(final long cents)
    {
        mutable().putLong(offset + AVERAGE_PRICE_OFFSET, cents);
        return this;
    }

    long sendTimeNs()
    {
        return buffer.getLong(offset + SEND_TIME_OFFSET);
    }

    ExecutionReport sendTimeNs(final long sendTimeNs)
    {
        mutable().putLong(offset + SEND_TIME_OFFSET, sendTimeNs);
        return this;
    }

    long orderNumber()
    {
        return buffer.getLong(offset + ORDER_NUMBER_OFFSET);
    }

    ExecutionReport orderNumber(final long orderNumber)
    {
        mutable().putLong(offset + ORDER_NUMBER_OFFSET, orderNumber);
        return this;
    }

    static String statusName(final int status)
    {
        switch (status)
        {
            case STATUS_RESTING:
                return "RESTING";
            case STATUS_PARTIALLY_FILLED:
                return "PARTIALLY_FILLED";
            case STATUS_FILLED:
                return "FILLED";
            case STATUS_REJECTED:
                return "REJECTED";
            default:
                return "status-" + status;
        }
    }

    private MutableDirectBuffer mutable()
    {
        return (MutableDirectBuffer)buffer;
    }
}
