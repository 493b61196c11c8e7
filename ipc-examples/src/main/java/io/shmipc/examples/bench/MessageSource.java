package io.shmipc.examples.bench;

import java.io.IOException;

/**
 * What a throughput consumer reads: a subscriber, a bare ring or broadcast receiver, a socket. Each hands what it
 * reads to the {@link MessageReceiver} it was made with.
 */
interface MessageSource
{
    /**
     * Deliver what is waiting (or, for a socket, what one blocking read returns).
     *
     * @return messages delivered.
     * @throws IOException from a socket, or at end of stream before every producer ended.
     */
    int poll() throws IOException;
}
