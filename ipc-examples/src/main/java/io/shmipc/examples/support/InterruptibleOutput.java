package io.shmipc.examples.support;

import java.io.BufferedOutputStream;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.ClosedByInterruptException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.nio.channels.WritableByteChannel;

/**
 * Standard output for a command that writes its data there ({@code receive}, {@code log-writer}): through an
 * interruptible channel, so that the shutdown signal's interrupt ({@link ShutdownSignal#interruptOnSignal}) ends a
 * write blocked on a reader that stopped reading. Writes go out in pieces of at most {@link #PIECE_BYTES}, each
 * counted once written, so that the signal tells a reader that stopped from a slow one that is still reading: only a
 * write that made no progress for a whole second is interrupted. The interrupt closes the output for good; the
 * command's loop then stops as interrupted, with its {@code done:} line and its region's release.
 */
public final class InterruptibleOutput implements WritableByteChannel
{
    /** Largest single write: a reader that takes less than this a second counts as stopped. */
    public static final int PIECE_BYTES = 16 * 1024;

    private final FileChannel channel;
    private final OutputStream stream;
    private volatile long written;

    /**
     * Standard output, buffered.
     *
     * @param bufferBytes the buffer's size.
     */
    public InterruptibleOutput(final int bufferBytes)
    {
        this.channel = new FileOutputStream(FileDescriptor.out).getChannel();
        this.stream = new BufferedOutputStream(Channels.newOutputStream(this), bufferBytes);
    }

    /**
     * The stream to write to.
     *
     * @return the buffered stream.
     */
    public OutputStream stream()
    {
        return stream;
    }

    /**
     * Bytes written so far: what the signal watches for progress.
     *
     * @return the count.
     */
    public long written()
    {
        return written;
    }

    @Override
    public int write(final ByteBuffer source) throws IOException
    {
        final int limit = source.limit();
        source.limit(Math.min(limit, source.position() + PIECE_BYTES));
        try
        {
            final int count = channel.write(source);
            written += count;
            return count;
        }
        finally
        {
            source.limit(limit);
        }
    }

    @Override
    public boolean isOpen()
    {
        return channel.isOpen();
    }

    @Override
    public void close() throws IOException
    {
        channel.close();
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
     * Thrown out of a command's write (through its handler) when the signal ended the output: {@link Stop#catching}
     * turns it into {@code stop=interrupted}.
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
