/**
 * The native edge: a JNA direct-mapped binding to the C library ({@link io.shmipc.posix.LibC},
 * {@link io.shmipc.posix.ShmCalls}), the system calls shm-ipc makes ({@link io.shmipc.posix.Posix}) with their
 * errors mapped to typed exceptions ({@link io.shmipc.posix.PosixErrors}), OFD byte-range locks and explicitly
 * unmapped shared mappings. Internal to the module: applications use {@code io.shmipc}.
 */
package io.shmipc.posix;
