package io.shmipc.examples.support;

import java.io.BufferedOutputStream;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.ClosedByInterruptException;
import java.nio.channels.ClosedChannelException;

/**
 * Standard output for a command that writes its data there ({@code receive}, {@code log-writer}): through an
 * interruptible channel, so that the shutdown signal's late interrupt ({@link ShutdownSignal#interruptOnSignal})
 * ends a write blocked on a reader that stopped reading. The interrupt closes the output for good; the command's loop
 * then stops as interrupted, with its {@code done:} line and its region's release.
 */
public final class InterruptibleOutput
{
    private InterruptibleOutput()
    {
    }

    /**
     * Standard output, buffered, over an interruptible channel.
     *
     * @param bufferBytes the buffer's size.
     * @return the stream.
     */
    public static OutputStream standardOutput(final int bufferBytes)
    {
        return new BufferedOutputStream(Channels.newOutputStream(new FileOutputStream(FileDescriptor.out).getChannel()),
            bufferBytes);
    }

    /**
     * Whether a failed write was ended by the signal's interrupt, or came after it closed the output.
     *
     * @param ex what the write threw.
     * @return true when the signal ended the output.
     */
    public static boolean endedBySignal(final IOException ex)
    {
        return ex instanceof ClosedByInterruptException ||
            ex instanceof ClosedChannelException && ShutdownSignal.current().isRequested();
    }

    /**
     * Thrown out of a command's write (through its handler) when the signal ended the output: the loop catches it and
     * stops as interrupted.
     */
    public static final class Abandoned extends RuntimeException
    {
        private static final long serialVersionUID = 1L;

        /**
         * The signal closed the output.
         */
        public Abandoned()
        {
            super("standard output closed by the signal", null, false, false);
        }
    }
}
