package io.shmipc;

import org.agrona.DirectBuffer;

/**
 * Called once per message by {@link Subscriber#poll(MessageHandler, int)}.
 * <p>
 * The buffer is only valid during the call: copy out what must be kept.
 */
@FunctionalInterface
public interface MessageHandler
{
    /**
     * One message.
     *
     * @param buffer holding the message.
     * @param offset of the first byte.
     * @param length in bytes.
     */
    void onMessage(DirectBuffer buffer, int offset, int length);
}
