package io.shmipc.posix;

import org.agrona.UnsafeApi;
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
 * {@code memset} in the VM, in every mode), which Agrona's {@code setMemory} uses, and compare-and-set, exchange and
 * atomic add while they run in the interpreter (a call into the VM); compiled (C1 or C2), they are guarded.
 * <p>
 * So this class's {@link #setMemory(int, int, byte)} zeroes by copying from a block of zeros with
 * {@code copyMemory}, which costs the same as {@code memset}; and its atomic read-modify-writes (and those of
 * {@link MappedCounter}) each run in a small static method of their own that the class calls
 * {@value #WARM_CALLS} times on memory of its own when it loads, so that the JIT compiles it then. A caller still in
 * the interpreter (a path that runs rarely: a wait registration, a counter flush, a log subscriber's tether) calls
 * the compiled method, and a fault in it is guarded like any compiled access. What remains (docs/guarantees.md,
 * "Hostile or broken memory"): the moments before the JIT has compiled these methods, and a JVM that does not
 * compile ({@code -Xint}).
 */
public final class MappedBuffer extends UnsafeBuffer
{
    private static final int ZEROS_LENGTH = 4096;
    /** Up to this many aligned bytes are zeroed with long stores rather than a copy. */
    private static final int SMALL_ZEROING = 256;
    /** Zero bytes to copy from: a direct buffer is zeroed when allocated and nothing writes it. */
    private static final UnsafeBuffer ZEROS = new UnsafeBuffer(ByteBuffer.allocateDirect(ZEROS_LENGTH));
    /**
     * Calls of each atomic method when the class loads: over the invocations after which C2 compiles a method when
     * it is the only compiler (10,000), and far over C1's.
     */
    static final int WARM_CALLS = 20_000;
    /** What the atomic methods run on when the class loads. */
    private static final UnsafeBuffer WARM_SCRATCH = new UnsafeBuffer(ByteBuffer.allocateDirect(Long.BYTES));

    static
    {
        final long scratch = WARM_SCRATCH.addressOffset();
        for (int i = 0; i < WARM_CALLS; i++)
        {
            compareAndSetLongAt(scratch, i, i);
            compareAndSetIntAt(scratch, i, i);
            compareAndExchangeLongAt(scratch, i, i);
            compareAndExchangeIntAt(scratch, i, i);
            getAndSetLongAt(scratch, i);
            getAndSetIntAt(scratch, i);
            getAndAddLongAt(scratch, i);
            getAndAddIntAt(scratch, i);
        }
    }

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

    @Override
    public boolean compareAndSetLong(final int index, final long expectedValue, final long updateValue)
    {
        boundsCheck(index, Long.BYTES);
        return compareAndSetLongAt(addressOffset() + index, expectedValue, updateValue);
    }

    @Override
    public boolean compareAndSetInt(final int index, final int expectedValue, final int updateValue)
    {
        boundsCheck(index, Integer.BYTES);
        return compareAndSetIntAt(addressOffset() + index, expectedValue, updateValue);
    }

    @Override
    public long compareAndExchangeLong(final int index, final long expectedValue, final long updateValue)
    {
        boundsCheck(index, Long.BYTES);
        return compareAndExchangeLongAt(addressOffset() + index, expectedValue, updateValue);
    }

    @Override
    public int compareAndExchangeInt(final int index, final int expectedValue, final int updateValue)
    {
        boundsCheck(index, Integer.BYTES);
        return compareAndExchangeIntAt(addressOffset() + index, expectedValue, updateValue);
    }

    @Override
    public long getAndSetLong(final int index, final long value)
    {
        boundsCheck(index, Long.BYTES);
        return getAndSetLongAt(addressOffset() + index, value);
    }

    @Override
    public int getAndSetInt(final int index, final int value)
    {
        boundsCheck(index, Integer.BYTES);
        return getAndSetIntAt(addressOffset() + index, value);
    }

    @Override
    public long getAndAddLong(final int index, final long delta)
    {
        boundsCheck(index, Long.BYTES);
        return getAndAddLongAt(addressOffset() + index, delta);
    }

    @Override
    public int getAndAddInt(final int index, final int delta)
    {
        boundsCheck(index, Integer.BYTES);
        return getAndAddIntAt(addressOffset() + index, delta);
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

    // The atomics, one small static method each, compiled when the class loads (see the class comment). They take a
    // native address only: no argument the compiler could speculate on and later deoptimize for.

    static boolean compareAndSetLongAt(final long address, final long expectedValue, final long updateValue)
    {
        return UnsafeApi.compareAndSetLong(null, address, expectedValue, updateValue);
    }

    static boolean compareAndSetIntAt(final long address, final int expectedValue, final int updateValue)
    {
        return UnsafeApi.compareAndSetInt(null, address, expectedValue, updateValue);
    }

    static long compareAndExchangeLongAt(final long address, final long expectedValue, final long updateValue)
    {
        return UnsafeApi.compareAndExchangeLong(null, address, expectedValue, updateValue);
    }

    static int compareAndExchangeIntAt(final long address, final int expectedValue, final int updateValue)
    {
        return UnsafeApi.compareAndExchangeInt(null, address, expectedValue, updateValue);
    }

    static long getAndSetLongAt(final long address, final long value)
    {
        return UnsafeApi.getAndSetLong(null, address, value);
    }

    static int getAndSetIntAt(final long address, final int value)
    {
        return UnsafeApi.getAndSetInt(null, address, value);
    }

    static long getAndAddLongAt(final long address, final long delta)
    {
        return UnsafeApi.getAndAddLong(null, address, delta);
    }

    static int getAndAddIntAt(final long address, final int delta)
    {
        return UnsafeApi.getAndAddInt(null, address, delta);
    }
}
