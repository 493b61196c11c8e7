/**
 * What the {@code shm-ipc} command line, the benchmark harness and the system tests share, so each exists once:
 * the JVM flags every JVM running shm-ipc needs ({@link io.shmipc.toolkit.JvmFlags}), child JVMs and their output
 * lines ({@link io.shmipc.toolkit.JavaCommand}, {@link io.shmipc.toolkit.ChildProcess}), standard input read
 * without blocking a loop ({@link io.shmipc.toolkit.InputLines}), {@code key=value} and JSON lines
 * ({@link io.shmipc.toolkit.KeyValues}, {@link io.shmipc.toolkit.Json}), durations as people type them
 * ({@link io.shmipc.toolkit.Durations}) and the numbered message the harness and the tests send
 * ({@link io.shmipc.toolkit.SequencedMessage}).
 */
package io.shmipc.toolkit;
