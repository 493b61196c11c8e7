package io.shmipc.examples.bench;

import org.agrona.concurrent.BusySpinIdleStrategy;
import org.agrona.concurrent.IdleStrategy;
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

    /**
     * A round trip over shared memory: send, then spin on a poll of one message until it delivers the echo.
     *
     * @param send   sends a message.
     * @param poll   polls for one message, returning how many it delivered.
     * @param echoed the sequence the last delivered echo carried.
     * @return the round trip.
     */
    static RoundTrip spinning(final Send send, final java.util.function.IntSupplier poll,
        final java.util.function.LongSupplier echoed)
    {
        return idling(send, poll, echoed, new BusySpinIdleStrategy());
    }

    /**
     * A round trip over shared memory: send, then poll for one message, idling between empty polls, until it
     * delivers the echo.
     *
     * @param send   sends a message.
     * @param poll   polls for one message, returning how many it delivered.
     * @param echoed the sequence the last delivered echo carried.
     * @param idle   how to wait between empty polls.
     * @return the round trip.
     */
    static RoundTrip idling(final Send send, final java.util.function.IntSupplier poll,
        final java.util.function.LongSupplier echoed, final IdleStrategy idle)
    {
        return new RoundTrip()
        {
            @Override
            public void send(final UnsafeBuffer message, final int length)
            {
                send.send(message, length);
            }

            @Override
            public long awaitReply()
            {
                idle.reset();
                while (poll.getAsInt() == 0)
                {
                    idle.idle();
                }
                return echoed.getAsLong();
            }
        };
    }

    /**
     * Sends one message over shared memory.
     */
    @FunctionalInterface
    interface Send
    {
        /**
         * Send a message, retrying while the transport is full.
         *
         * @param message the message, from offset 0.
         * @param length  its length.
         */
        void send(UnsafeBuffer message, int length);
    }
}
