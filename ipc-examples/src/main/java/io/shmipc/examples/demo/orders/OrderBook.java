package io.shmipc.examples.demo.orders;

import java.util.ArrayDeque;
import java.util.Comparator;
import java.util.Map;
import java.util.TreeMap;

/**
 * A price-time priority limit order book for one symbol. An incoming order trades against the best opposite
 * prices while they cross its limit; what is left rests at its limit behind earlier orders of that price. Fills
 * of resting orders are not reported to their owners in this demo: each order gets one report, at entry.
 */
final class OrderBook
{
    private final TreeMap<Long, ArrayDeque<RestingOrder>> bids = new TreeMap<>(Comparator.reverseOrder());
    private final TreeMap<Long, ArrayDeque<RestingOrder>> asks = new TreeMap<>();
    private int restingOrders;
    private int filledQuantity;
    private long filledNotional;

    /**
     * Match an incoming limit order; read the outcome from {@link #filledQuantity()} and
     * {@link #averageFillPrice()}.
     *
     * @param side     {@link OrderMessage#SIDE_BUY} or {@link OrderMessage#SIDE_SELL}.
     * @param price    limit price in cents.
     * @param quantity quantity, more than zero.
     */
    void match(final int side, final long price, final int quantity)
    {
        final boolean buy = side == OrderMessage.SIDE_BUY;
        final TreeMap<Long, ArrayDeque<RestingOrder>> opposite = buy ? asks : bids;
        filledQuantity = 0;
        filledNotional = 0;
        int remaining = quantity;
        while (remaining > 0 && !opposite.isEmpty())
        {
            final Map.Entry<Long, ArrayDeque<RestingOrder>> best = opposite.firstEntry();
            final long level = best.getKey();
            if (buy ? level > price : level < price)
            {
                break;
            }
            final ArrayDeque<RestingOrder> queue = best.getValue();
            final RestingOrder head = queue.peekFirst();
            final int traded = Math.min(remaining, head.remaining);
            head.remaining -= traded;
            remaining -= traded;
            filledQuantity += traded;
            filledNotional += traded * level;
            if (head.remaining == 0)
            {
                queue.pollFirst();
                restingOrders--;
                if (queue.isEmpty())
                {
                    opposite.remove(level);
                }
            }
        }
        if (remaining > 0)
        {
            (buy ? bids : asks).computeIfAbsent(price, ignored -> new ArrayDeque<>())
                .addLast(new RestingOrder(remaining));
            restingOrders++;
        }
    }

    int filledQuantity()
    {
        return filledQuantity;
    }

    long averageFillPrice()
    {
        return filledQuantity == 0 ? 0 : filledNotional / filledQuantity;
    }

    int restingOrders()
    {
        return restingOrders;
    }

    private static final class RestingOrder
    {
        private int remaining;

        private RestingOrder(final int remaining)
        {
            this.remaining = remaining;
        }
    }
}
