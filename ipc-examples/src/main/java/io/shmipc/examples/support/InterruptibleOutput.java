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
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;

/**
 * Where a command writes its data ({@code receive}, {@code log-writer}): standard output or a file, through an
 * interruptible channel, so that the shutdown signal's interrupt ({@link ShutdownSignal#interruptOnSignal}) ends a
 * write blocked on a reader that stopped reading. Writes go out in pieces of at most {@link #PIECE_BYTES}, each
 * counted once written, so that the signal tells a reader that stopped from a slow one that is still reading: only a
 * write that made no progress for a whole second is interrupted. The interrupt closes the output for good; the
 * command's loop then stops as interrupted ({@link #run}), with its {@code done:} line and its region's release.
 * A write that fails otherwise (a reader that left, a full disk) is a failure of the loop, reported once; nothing is
 * written after either.
 */
public final class InterruptibleOutput implements WritableByteChannel
{
    /** Largest single write: a reader that takes less than this a second counts as stopped. */
    public static final int PIECE_BYTES = 16 * 1024;
    private static final int BUFFER_BYTES = 1 << 16;
    /** The file type bits of a mode, and their value for a FIFO (stat(2)). */
    private static final int S_IFMT = 0170000;
    private static final int S_IFIFO = 0010000;

    private final FileChannel channel;
    private final Path file;
    private final OutputStream stream;
    private volatile long written;
    private boolean ended;

    private InterruptibleOutput(final FileChannel channel, final Path file)
    {
        this.channel = channel;
        this.file = file;
        this.stream = new BufferedOutputStream(Channels.newOutputStream(this), BUFFER_BYTES);
    }

    /**
     * Standard output.
     *
     * @return the output.
     */
    public static InterruptibleOutput standardOutput()
    {
        return new InterruptibleOutput(new FileOutputStream(FileDescriptor.out).getChannel(), null);
    }

    /**
     * A file, created if missing, written at its end.
     *
     * @param file the file.
     * @return the output.
     * @throws CommandFailedException naming the file and the system's reason when it cannot be opened.
     */
    public static InterruptibleOutput appendingTo(final Path file)
    {
        try
        {
            return new InterruptibleOutput(FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.APPEND), file);
        }
        catch (final IOException ex)
        {
            throw new CommandFailedException("cannot open " + file + " to append to it: " + reason(ex));
        }
    }

    /**
     * A file, or a FIFO once a reader opens it. The system's open of a FIFO for writing waits for a reader, and no
     * interrupt ends it: it runs on a thread of its own while this one waits, given to the signal, so that Ctrl-C
     * ends the wait as it ends a blocked write (the opening thread, a daemon, goes with the JVM).
     *
     * @param file    the file or FIFO.
     * @param console says what the command waits for.
     * @return the output.
     * @throws CommandFailedException naming the file and the system's reason when it cannot be opened.
     * @throws Abandoned              when the signal ended the wait for a FIFO's reader.
     */
    public static InterruptibleOutput appendingTo(final Path file, final RoleConsole console)
    {
        if (!isFifo(file))
        {
            return appendingTo(file);
        }
        console.say("waiting for a reader to open FIFO %s", file);
        final FutureTask<InterruptibleOutput> opening = new FutureTask<>(() -> appendingTo(file));
        final Thread opener = new Thread(opening, "shm-ipc-open-" + file.getFileName());
        opener.setDaemon(true);
        opener.start();
        ShutdownSignal.current().interruptOnSignal(Thread.currentThread(), () -> 0);
        try
        {
            return opening.get();
        }
        catch (final InterruptedException ex)
        {
            throw new Abandoned();
        }
        catch (final ExecutionException ex)
        {
            throw ex.getCause() instanceof RuntimeException failure ? failure : new IllegalStateException(ex);
        }
        finally
        {
            ShutdownSignal.current().stopInterrupting();
        }
    }

    private static boolean isFifo(final Path file)
    {
        try
        {
            return ((Integer)Files.getAttribute(file, "unix:mode") & S_IFMT) == S_IFIFO;
        }
        catch (final IOException | UnsupportedOperationException ex)
        {
            return false; // opened as it is: the open reports what is wrong
        }
    }

    /**
     * What the system said, in its words where the exception keeps them apart from the path.
     */
    private static String reason(final IOException ex)
    {
        if (ex instanceof NoSuchFileException)
        {
            return "No such file or directory";
        }
        if (ex instanceof AccessDeniedException)
        {
            return "Permission denied";
        }
        if (ex instanceof FileSystemException fileSystem && fileSystem.getReason() != null)
        {
            return fileSystem.getReason();
        }
        return String.valueOf(ex.getMessage());
    }

    /**
     * The buffered stream to write to; a write that throws is passed to {@link #failure}.
     *
     * @return the stream.
     */
    public OutputStream stream()
    {
        return stream;
    }

    /**
     * Run a command's loop, then write out what it left in the buffer, with the thread given to the signal for as
     * long (see {@link ShutdownSignal#interruptOnSignal}).
     *
     * @param loop the loop.
     * @return how it stopped: {@code interrupted} also when the signal ended a blocked write.
     */
    public Stop run(final Stop.Loop loop)
    {
        ShutdownSignal.current().interruptOnSignal(Thread.currentThread(), () -> written);
        try
        {
            final Stop looped = Stop.catching(loop);
            return Stop.catching(() ->
            {
                flush(); // what the loop wrote last
                return looped;
            });
        }
        finally
        {
            ShutdownSignal.current().stopInterrupting();
        }
    }

    /**
     * Write out the buffer, unless the output has ended.
     *
     * @throws RuntimeException from {@link #failure} when the write fails.
     */
    public void flush()
    {
        if (ended)
        {
            return;
        }
        try
        {
            stream.flush();
        }
        catch (final IOException ex)
        {
            throw failure(ex);
        }
    }

    /**
     * A write failed: the output has ended. The signal's end of a blocked write stops the loop as interrupted (see
     * {@link Stop#catching}); any other failure is the loop's, with the system's reason.
     *
     * @param ex what the write threw.
     * @return the exception to throw out of the loop.
     */
    public RuntimeException failure(final IOException ex)
    {
        ended = true;
        if (ex instanceof ClosedByInterruptException ||
            ex instanceof ClosedChannelException && ShutdownSignal.current().isRequested())
        {
            return new Abandoned();
        }
        return new CommandFailedException(ExitCodes.FAILURE, file == null ?
            CommandRunner.outputFailed(ex.getMessage()) : "cannot write " + file + " (" + ex.getMessage() +
            "): what it wrote is incomplete");
    }

    /**
     * Write out what is left and close a file (standard output stays open for the command's last lines); after the
     * output ended, only close the file: what it held is lost, and the failure was reported once already.
     *
     * @throws IOException when the last write fails.
     */
    @Override
    public void close() throws IOException
    {
        if (!ended)
        {
            stream.flush();
        }
        if (file != null)
        {
            channel.close();
        }
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
            super("output closed by the signal", null, false, false);
        }
    }
}
