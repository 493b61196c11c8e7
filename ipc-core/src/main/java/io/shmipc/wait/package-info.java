/**
 * Blocking wake-ups across processes: a futex on each channel's wake-up word, with bounded waits, and a parking
 * back-off where no futex exists.
 */
package io.shmipc.wait;
