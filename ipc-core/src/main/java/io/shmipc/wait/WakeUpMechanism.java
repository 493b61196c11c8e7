package io.shmipc.wait;

import com.sun.jna.Memory;

/**
 * How a blocked subscriber is woken on this system, chosen once per JVM.
 */
public enum WakeUpMechanism
{
    /** Linux {@code futex(2)} on the channel's wake-up word: microsecond wake-up, no CPU while asleep. */
    FUTEX,
    /** No usable futex: sleep in short parks and check again (bounded back-off). */
    PARKING;

    private static final WakeUpMechanism CURRENT = detect();

    /**
     * The mechanism in use.
     *
     * @return {@link #FUTEX} on Linux, unless the system call is blocked.
     */
    public static WakeUpMechanism current()
    {
        return CURRENT;
    }

    private static WakeUpMechanism detect()
    {
        try (Memory word = new Memory(Integer.BYTES))
        {
            word.setInt(0, 0);
            Futex.wake(com.sun.jna.Pointer.nativeValue(word), 1);
            return FUTEX;
        }
        catch (final RuntimeException | LinkageError ex)
        {
            return PARKING;
        }
    }
}
