package io.shmipc.examples.bench;

import org.agrona.concurrent.UnsafeBuffer;

import java.io.IOException;

/**
 * The sending side of a ping-pong over some transport: send a message, then wait for its echo.
 */
interface RoundTrip
{
    /**
     * Send a message, retrying while the transport is full.
     *
     * @param message the message, from offset 0.
     * @param length  its length.
     * @throws IOException from a socket.
     */
    void send(UnsafeBuffer message, int length) throws IOException;

    /**
     * Wait, busy or blocked as the transport does, for the next echo.
     *
     * @return the sequence the echo carries.
     * @throws IOException from a socket.
     */
    long awaitReply() throws IOException;
}
