/**
 * Blocking wake-ups across processes: a futex on each channel's wake-up word, with bounded waits, and a parking
 * back-off where no futex exists ({@link io.shmipc.wait.Futex}, {@link io.shmipc.wait.WakeUpWord}). Internal to the
 * module; the API reports the mechanism in use as {@link io.shmipc.WakeUpMechanism}.
 */
package io.shmipc.wait;
