package io.shmipc.posix;

import org.agrona.concurrent.UnsafeBuffer;

import java.nio.ByteBuffer;

/**
 * A buffer over a window of a shared mapping whose every operation survives the file being truncated under it: the
 * access to a page past the new end of the file raises {@code SIGBUS}, which HotSpot turns into an
 * {@link InternalError} (synchronously in the interpreter, asynchronously in compiled code) only for the accesses it
 * guards, and otherwise crashes.
 * <p>
 * What HotSpot 17 guards, as {@code MappingFaultTest} (ipc-tests) checks in the interpreter, with C1 and with C2: every
 * single load and store ({@code Unsafe.get*}, {@code put*}, volatile, ordered), and {@code Unsafe.copyMemory}
 * (the bulk {@code getBytes}/{@code putBytes}). What it does not: {@code Unsafe.setMemory} from 100 bytes on (a C++
 * {@code memset} in the VM, in every mode), which Agrona's {@code setMemory} uses. This class's
 * {@link #setMemory(int, int, byte)} zeroes by copying from a block of zeros with {@code copyMemory}, which costs the
 * same as {@code memset}. Compare-and-set and atomic adds are guarded once compiled (C1 and C2) but not in the
 * interpreter: docs/guarantees.md ("Hostile or broken memory") says what that leaves.
 */
public final class MappedBuffer extends UnsafeBuffer
{
    private static final int ZEROS_LENGTH = 4096;
    /** Up to this many aligned bytes are zeroed with long stores rather than a copy. */
    private static final int SMALL_ZEROING = 256;
    /** Zero bytes to copy from: a direct buffer is zeroed when allocated and nothing writes it. */
    private static final UnsafeBuffer ZEROS = new UnsafeBuffer(ByteBuffer.allocateDirect(ZEROS_LENGTH));

    /**
     * A buffer over {@code length} bytes of a mapping from {@code address}.
     *
     * @param address the first byte.
     * @param length  bytes.
     */
    public MappedBuffer(final long address, final int length)
    {
        super(address, length);
    }

    /**
     * Set a range to a value; zeroing copies from a block of zeros (a few aligned bytes: long stores), so that a
     * truncated file raises an {@link InternalError} here instead of crashing the JVM in the VM's {@code memset}.
     *
     * @param index  first byte.
     * @param length bytes.
     * @param value  the byte to store.
     */
    @Override
    public void setMemory(final int index, final int length, final byte value)
    {
        boundsCheck(index, length);
        if (value != 0)
        {
            for (int i = 0; i < length; i++)
            {
                putByte(index + i, value);
            }
            return;
        }
        if (length <= SMALL_ZEROING && ((index | length) & (Long.BYTES - 1)) == 0)
        {
            // A few aligned records (what a poll usually consumes): long stores, no copy to set up.
            for (int i = 0; i < length; i += Long.BYTES)
            {
                putLong(index + i, 0L);
            }
            return;
        }
        int done = 0;
        while (done < length)
        {
            final int chunk = Math.min(ZEROS_LENGTH, length - done);
            putBytes(index + done, ZEROS, 0, chunk);
            done += chunk;
        }
    }
}
