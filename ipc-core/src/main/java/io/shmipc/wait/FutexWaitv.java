package io.shmipc.wait;

import com.sun.jna.LastErrorException;
import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import io.shmipc.posix.Errno;
import io.shmipc.posix.LibC;
import io.shmipc.posix.PosixErrors;

/**
 * {@code futex_waitv(2)}: sleep until any of up to 128 futex words is woken or no longer holds its expected value,
 * with an absolute {@code CLOCK_MONOTONIC} deadline (Linux 5.16 and later; system call 449 on x86_64 and aarch64).
 * The words are waited on in their shared form, so they may lie in mappings shared between processes. A caller owns a
 * native array of {@link #WAITER_LENGTH}-byte entries ({@link #newWaiters}) and a {@code struct timespec}, so a wait
 * allocates nothing.
 * <pre>
 *  struct futex_waitv (24 bytes)
 *   0  u64 val       the expected value (zero-extended)
 *   8  u64 uaddr     the word's address
 *  16  u32 flags     FUTEX2_SIZE_U32 (2): a 32-bit word, shared (no FUTEX2_PRIVATE, 128)
 *  20  u32 reserved  0
 * </pre>
 */
public final class FutexWaitv
{
    /** System call number of {@code futex_waitv} on x86_64 and aarch64. */
    public static final long SYS_FUTEX_WAITV = 449;
    /** {@code sizeof(struct futex_waitv)}. */
    public static final int WAITER_LENGTH = 24;
    /** {@code struct futex_waitv} flags of a 32-bit shared word. */
    public static final int FUTEX2_SIZE_U32 = 2;
    /** The clock of the deadline. */
    public static final int CLOCK_MONOTONIC = 1;
    /** Most words one call waits on. */
    public static final int MAX_WAITERS = 128;

    private static final int VALUE_OFFSET = 0;
    private static final int ADDRESS_OFFSET = 8;
    private static final int FLAGS_OFFSET = 16;
    private static final int TIMESPEC_LENGTH = 16;
    /** {@code CLOCK_MONOTONIC} minus {@link System#nanoTime()}: 0 on HotSpot for Linux, measured once anyway. */
    private static final long MONOTONIC_OFFSET_NS = monotonicOffset();
    private static final boolean AVAILABLE = !Boolean.getBoolean("shmipc.futexWaitv.disabled") && probe();

    private FutexWaitv()
    {
    }

    /**
     * Whether this kernel has {@code futex_waitv}: a call on one private word returned something other than
     * {@code ENOSYS} when this class was loaded (and the system property {@code shmipc.futexWaitv.disabled} is not
     * set, which tests and old-kernel users can set to use the fallback).
     *
     * @return true when available.
     */
    public static boolean isAvailable()
    {
        return AVAILABLE;
    }

    /**
     * A native array of waiters and, after it, the {@code struct timespec} of the deadline.
     *
     * @param count entries, 1 to {@link #MAX_WAITERS}.
     * @return native memory, zeroed.
     */
    public static Memory newWaiters(final int count)
    {
        if (count < 1 || count > MAX_WAITERS)
        {
            throw new IllegalArgumentException("futex_waitv waits on 1 to " + MAX_WAITERS + " words: count=" + count);
        }
        final Memory waiters = new Memory((long)count * WAITER_LENGTH + TIMESPEC_LENGTH);
        waiters.clear();
        return waiters;
    }

    /**
     * Set one waiter: the word and the value it must hold for the wait to sleep.
     *
     * @param waiters  from {@link #newWaiters}.
     * @param index    the entry.
     * @param address  the word's address, 4-byte aligned.
     * @param expected the value last seen.
     */
    public static void set(final Memory waiters, final int index, final long address, final int expected)
    {
        final long entry = (long)index * WAITER_LENGTH;
        waiters.setLong(entry + VALUE_OFFSET, expected & 0xFFFF_FFFFL);
        waiters.setLong(entry + ADDRESS_OFFSET, address);
        waiters.setInt(entry + FLAGS_OFFSET, FUTEX2_SIZE_U32);
    }

    /**
     * Sleep until one of the first {@code count} words is woken or changed, or the deadline passes.
     *
     * @param waiters    from {@link #newWaiters}, with {@code count} entries set.
     * @param count      entries to wait on.
     * @param deadlineNs the deadline on {@link System#nanoTime()}'s clock.
     * @return the index of a word that was woken (0 or more), or {@link Futex#VALUE_CHANGED} (also when a word is no
     *         longer in backed memory), {@link Futex#TIMED_OUT} or {@link Futex#INTERRUPTED} as a negative number.
     * @throws io.shmipc.exceptions.NativeCallException for any other error.
     */
    public static int await(final Memory waiters, final int count, final long deadlineNs)
    {
        final long timespec = (long)count * WAITER_LENGTH;
        final long monotonic = deadlineNs + MONOTONIC_OFFSET_NS;
        waiters.setLong(timespec, monotonic / 1_000_000_000L);
        waiters.setLong(timespec + Long.BYTES, monotonic % 1_000_000_000L);
        final long base = Pointer.nativeValue(waiters);
        final long result = LibC.syscall(SYS_FUTEX_WAITV, base, count, 0, base + timespec, CLOCK_MONOTONIC, 0);
        if (result >= 0)
        {
            return (int)result;
        }
        final int errno = Native.getLastError();
        switch (errno)
        {
            case Errno.EAGAIN:
                return -Futex.VALUE_CHANGED;
            case Errno.ETIMEDOUT:
                return -Futex.TIMED_OUT;
            case Errno.EINTR:
                return -Futex.INTERRUPTED;
            case Errno.EFAULT:
                // A word's page is gone (its region's file was truncated): as if it changed, so that the wait ends
                // and the member's own call meets the typed error.
                return -Futex.VALUE_CHANGED;
            default:
                throw PosixErrors.error("futex_waitv", count + " words", errno);
        }
    }

    /**
     * {@link #await(Memory, int, long)}, ended at once when the thread is interrupted: {@code interruptHook} changes
     * and wakes one of the words.
     *
     * @param waiters       from {@link #newWaiters}, with {@code count} entries set.
     * @param count         entries to wait on.
     * @param deadlineNs    the deadline on {@link System#nanoTime()}'s clock.
     * @param interruptHook the sleeping thread's hook.
     * @return as {@link #await(Memory, int, long)}.
     */
    public static int await(final Memory waiters, final int count, final long deadlineNs,
        final InterruptHook interruptHook)
    {
        interruptHook.enter();
        try
        {
            return await(waiters, count, deadlineNs);
        }
        finally
        {
            interruptHook.exit();
        }
    }

    private static boolean probe()
    {
        try (Memory waiters = newWaiters(1); Memory word = new Memory(Integer.BYTES))
        {
            word.setInt(0, 1);
            set(waiters, 0, Pointer.nativeValue(word), 0); // the word holds 1, not 0: returns EAGAIN at once
            await(waiters, 1, System.nanoTime() + 1_000_000L);
            return true;
        }
        catch (final RuntimeException | LinkageError ex)
        {
            return false;
        }
    }

    private static long monotonicOffset()
    {
        try (Memory timespec = new Memory(TIMESPEC_LENGTH))
        {
            final long before = System.nanoTime();
            LibC.clock_gettime(CLOCK_MONOTONIC, timespec);
            final long after = System.nanoTime();
            final long monotonic = timespec.getLong(0) * 1_000_000_000L + timespec.getLong(Long.BYTES);
            return monotonic - (before + (after - before) / 2);
        }
        catch (final LastErrorException | LinkageError ex)
        {
            return 0;
        }
    }
}
