/**
 * Multi-process demos, one process per role, each a {@code main} and an {@code shm-ipc} subcommand: market-data
 * fan-out ({@code market}), order entry with replies by correlation id ({@code orders}) and log aggregation
 * ({@code logs}). Every process opens its region with {@code openOrCreate}, so terminals may start in any order.
 */
package io.shmipc.examples.demo;
