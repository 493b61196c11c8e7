package io.shmipc;

import io.shmipc.wait.Futex;

/**
 * How a subscriber blocked in a wait is woken on this system, chosen once per JVM.
 */
public enum WakeUpMechanism
{
    /** Linux {@code futex(2)} on the channel's wake-up word: microsecond wake-up, no CPU while asleep. */
    FUTEX,
    /** No usable futex (the system call is refused): sleep in short parks and check again (bounded back-off). */
    PARKING;

    /**
     * The mechanism in use in this JVM.
     *
     * @return {@link #FUTEX} on Linux, unless the system call is refused.
     */
    public static WakeUpMechanism current()
    {
        return Futex.isAvailable() ? FUTEX : PARKING;
    }
}
