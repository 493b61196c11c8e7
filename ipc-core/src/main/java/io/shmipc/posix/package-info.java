/**
 * The native edge: a JNA direct-mapped binding to the C library ({@link io.shmipc.posix.LibC},
 * {@link io.shmipc.posix.ShmCalls}), typed error mapping ({@link io.shmipc.posix.Posix}), OFD byte-range locks
 * and explicitly unmapped shared mappings. Internal to shm-ipc: applications use {@code io.shmipc}.
 */
package io.shmipc.posix;
