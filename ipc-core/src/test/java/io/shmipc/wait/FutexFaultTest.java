package io.shmipc.wait;

import com.sun.jna.Memory;
import org.agrona.BufferUtil;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A futex sleep on a word whose file was truncated under the mapping meets the same fault an access would: an
 * {@link InternalError}, which the endpoints turn into the typed {@code file.size} error, not a raw system-call error.
 */
@Timeout(30)
class FutexFaultTest
{
    @TempDir
    Path directory;

    @Test
    void aWordWhosePageWasTruncatedAwayFaultsAsAnAccessWould() throws IOException
    {
        try (RandomAccessFile file = new RandomAccessFile(directory.resolve("region").toFile(), "rw");
            Memory timespec = Futex.newTimespec())
        {
            file.setLength(4096);
            final MappedByteBuffer mapped = file.getChannel().map(FileChannel.MapMode.READ_WRITE, 0, 4096);
            final long address = BufferUtil.address(mapped);
            file.setLength(0); // the mapped page is gone: an access now raises SIGBUS
            final InternalError fault = assertThrows(InternalError.class,
                () -> Futex.await(address, 0, TimeUnit.SECONDS.toNanos(5), timespec));
            assertTrue(fault.getMessage().contains("errno 14"), fault.getMessage());
        }
    }
}
