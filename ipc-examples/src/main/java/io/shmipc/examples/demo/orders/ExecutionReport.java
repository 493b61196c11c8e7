package io.shmipc.examples.demo.orders;

import io.shmipc.examples.demo.MessageField;

/**
 * Layout of one execution report, the final response to an order on its client's reply channel, 48 bytes in the host's
 * byte order:
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
    static final MessageField STATUS = MessageField.firstInt();
    static final MessageField FILLED_QUANTITY = STATUS.thenInt();
    static final MessageField CLIENT_ID = FILLED_QUANTITY.thenLong();
    static final MessageField CORRELATION_ID = CLIENT_ID.thenLong();
    static final MessageField AVERAGE_PRICE = CORRELATION_ID.thenLong();
    static final MessageField SEND_TIME = AVERAGE_PRICE.thenLong();
    static final MessageField ORDER_NUMBER = SEND_TIME.thenLong();
    /** The message length. */
    static final int LENGTH = ORDER_NUMBER.end();

    private ExecutionReport()
    {
    }

    /** Status: the order rests in the book, nothing filled. */
    static final int STATUS_RESTING = 1;
    /** Status: part of the order filled, the rest rests. */
    static final int STATUS_PARTIALLY_FILLED = 2;
    /** Status: all of the order filled. */
    static final int STATUS_FILLED = 3;
    /** Status: the order was refused (invalid). */
    static final int STATUS_REJECTED = 4;

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
}
