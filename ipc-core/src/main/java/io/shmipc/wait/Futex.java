package io.shmipc.wait;

import com.sun.jna.Memory;
import com.sun.jna.Native;
import io.shmipc.posix.Errno;
import io.shmipc.posix.LibC;
import io.shmipc.posix.PosixErrors;
import io.shmipc.posix.PosixPlatform;

/**
 * {@code futex(2)} on a 32-bit word of shared memory, in its shared (not {@code _PRIVATE}) form so it works
 * between processes and between containers that map the same file. Allocation-free: the timeout is written into
 * a {@code struct timespec} owned by the caller.
 */
public final class Futex
{
    /** {@code FUTEX_WAIT}, shared. */
    public static final int FUTEX_WAIT = 0;
    /** {@code FUTEX_WAKE}, shared. */
    public static final int FUTEX_WAKE = 1;

    /** The wait ended because the word was woken (or spuriously). */
    public static final int WOKEN = 0;
    /** The word no longer held the expected value: something changed before the wait began. */
    public static final int VALUE_CHANGED = 1;
    /** The timeout passed. */
    public static final int TIMED_OUT = 2;
    /** A signal interrupted the wait. */
    public static final int INTERRUPTED = 3;

    private static final int TIMESPEC_LENGTH = 16;
    private static final boolean AVAILABLE = probe();

    private Futex()
    {
    }

    /**
     * Whether this JVM can use futexes: a {@code FUTEX_WAKE} on a private word succeeded when this class was
     * loaded (a seccomp filter may refuse the system call).
     *
     * @return true when futexes work.
     */
    public static boolean isAvailable()
    {
        return AVAILABLE;
    }

    /**
     * A {@code struct timespec} for {@link #await}; one per waiting thread.
     *
     * @return native memory of 16 bytes.
     */
    public static Memory newTimespec()
    {
        return new Memory(TIMESPEC_LENGTH);
    }

    /**
     * Sleep while the word at {@code address} holds {@code expected}, for at most {@code timeoutNs}.
     *
     * @param address   address of a 4-byte aligned word in a shared mapping.
     * @param expected  the value seen before deciding to sleep.
     * @param timeoutNs longest sleep in nanoseconds.
     * @param timespec  scratch from {@link #newTimespec()}.
     * @return {@link #WOKEN}, {@link #VALUE_CHANGED}, {@link #TIMED_OUT} or {@link #INTERRUPTED}.
     * @throws InternalError when the word's page is not backed (the file under a mapping was truncated), as an
     *                       access to it would fault.
     * @throws io.shmipc.exceptions.NativeCallException for any other error (no futex).
     */
    public static int await(final long address, final int expected, final long timeoutNs, final Memory timespec)
    {
        timespec.setLong(0, timeoutNs / 1_000_000_000L);
        timespec.setLong(Long.BYTES, timeoutNs % 1_000_000_000L);
        final long result = LibC.syscall(PosixPlatform.SYS_FUTEX, address, FUTEX_WAIT, expected,
            com.sun.jna.Pointer.nativeValue(timespec), 0, 0);
        if (result == 0)
        {
            return WOKEN;
        }
        final int errno = Native.getLastError();
        switch (errno)
        {
            case Errno.EAGAIN:
                return VALUE_CHANGED;
            case Errno.ETIMEDOUT:
                return TIMED_OUT;
            case Errno.EINTR:
                return INTERRUPTED;
            case Errno.EFAULT:
                // The page under the word is gone (its file was truncated): the same fault an access would meet,
                // which the endpoints turn into the typed file.size error.
                throw new InternalError("futex(FUTEX_WAIT): the wake-up word at 0x" + Long.toHexString(address) +
                    " is not in backed memory (errno 14, Bad address)");
            default:
                throw PosixErrors.error("futex(FUTEX_WAIT)", "wake-up word at 0x" + Long.toHexString(address), errno);
        }
    }

    /**
     * {@link #await(long, int, long, Memory)}, ended at once when the thread is interrupted: {@code interruptHook}
     * changes and wakes the word.
     *
     * @param address       address of a 4-byte aligned word in a shared mapping.
     * @param expected      the value seen before deciding to sleep.
     * @param timeoutNs     longest sleep in nanoseconds.
     * @param timespec      scratch from {@link #newTimespec()}.
     * @param interruptHook the sleeping thread's hook.
     * @return as {@link #await(long, int, long, Memory)}.
     */
    public static int await(final long address, final int expected, final long timeoutNs, final Memory timespec,
        final InterruptHook interruptHook)
    {
        interruptHook.enter();
        try
        {
            return await(address, expected, timeoutNs, timespec);
        }
        finally
        {
            interruptHook.exit();
        }
    }

    /**
     * Wake up to {@code count} threads sleeping on the word at {@code address}, in any process.
     *
     * @param address address of the word.
     * @param count   how many to wake.
     * @return how many were woken: 0 also when the word's page is gone (its region's file was truncated), where
     *         nobody can sleep; the caller's next access to the mapping meets the truncation.
     */
    public static int wake(final long address, final int count)
    {
        final long result = LibC.syscall(PosixPlatform.SYS_FUTEX, address, FUTEX_WAKE, count, 0, 0, 0);
        if (result < 0)
        {
            final int errno = Native.getLastError();
            if (errno == Errno.EFAULT)
            {
                return 0;
            }
            throw PosixErrors.error("futex(FUTEX_WAKE)", "wake-up word at 0x" + Long.toHexString(address), errno);
        }
        return (int)result;
    }

    private static boolean probe()
    {
        try (Memory word = new Memory(Integer.BYTES))
        {
            word.setInt(0, 0);
            wake(com.sun.jna.Pointer.nativeValue(word), 1);
            return true;
        }
        catch (final RuntimeException | LinkageError ex)
        {
            return false;
        }
    }
}
