/**
 * The cross-process benchmark harness behind {@code shm-ipc bench}: a coordinator ({@link
 * io.shmipc.examples.bench.BenchCommand}) runs every scenario with its sides in separate child JVMs ({@link
 * io.shmipc.examples.bench.BenchRole}), collects their HdrHistograms and counts, and prints a table or JSON lines
 * with each row's ratio to the hardware floor (latency) or to bare Agrona rings (throughput) of the same run.
 */
package io.shmipc.examples.bench;
