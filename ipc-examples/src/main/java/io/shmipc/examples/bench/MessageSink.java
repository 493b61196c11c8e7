package io.shmipc.examples.bench;

import org.agrona.concurrent.UnsafeBuffer;

import java.io.IOException;

/**
 * Where a throughput producer sends: a publisher, a bare ring, a socket.
 */
interface MessageSink
{
    /**
     * Send one message, or report the transport full.
     *
     * @param message the message, from offset 0.
     * @param length  its length.
     * @return true when sent, false when back-pressured (nothing was sent).
     * @throws IOException from a socket.
     */
    boolean offer(UnsafeBuffer message, int length) throws IOException;

    /**
     * Push out anything held back (a batch).
     *
     * @return true when nothing is held back any more, false when back-pressured.
     * @throws IOException from a socket.
     */
    default boolean flush() throws IOException
    {
        return true;
    }
}
