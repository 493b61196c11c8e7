package io.shmipc;

import io.shmipc.layout.ChannelDescriptor;
import org.agrona.concurrent.UnsafeBuffer;

import java.util.Locale;

import static io.shmipc.layout.EndpointDescriptor.*;
import static io.shmipc.layout.LogBufferDescriptor.*;

/**
 * What {@link RegionInspector} reads of a publish-subscribe subscriber: its slot's subscription fields, and its lag
 * against the log's tail and next sequence. Read-only; a value that cannot be right is shown as it is, never used to
 * read further.
 */
final class LogInspection
{
    private LogInspection()
    {
    }

    static SubscriptionStatus subscription(final UnsafeBuffer table, final int slot, final UnsafeBuffer log,
        final int capacity, final ChannelDescriptor.Positions positions)
    {
        final int offset = slot * SLOT_LENGTH;
        final long state = table.getLongVolatile(offset + LOG_STATE_OFFSET);
        final long position = table.getLongVolatile(offset + RECEIVER_POSITION_OFFSET);
        final long tail = positions.producer();
        final long oldest = log.getLongVolatile(capacity + OLDEST_POSITION_OFFSET);
        long lagMessages = -1;
        if (position >= oldest && position <= tail && (position & (ALIGNMENT - 1)) == 0)
        {
            final long sequence = log.getLongVolatile(((int)position & (capacity - 1)) + SEQUENCE_OFFSET);
            if (log.getLongVolatile(capacity + OLDEST_POSITION_OFFSET) <= position && sequence >= 0 &&
                sequence <= positions.messagesSent())
            {
                lagMessages = positions.messagesSent() - sequence;
            }
        }
        return new SubscriptionStatus(stateName((int)(state & LOG_STATE_MASK)), position, Math.max(0, tail - position),
            lagMessages, table.getLongVolatile(offset + RECEIVER_LOST_OFFSET),
            table.getLongVolatile(offset + DELIVERED_MESSAGES_OFFSET), table.getInt(offset + LAG_WINDOW_OFFSET),
            table.getInt(offset + DEMOTE_AFTER_OFFSET));
    }

    private static String stateName(final int state)
    {
        return state == LOG_STATE_NONE ? "left" : logStateName(state).toLowerCase(Locale.ROOT);
    }
}
