/**
 * The {@code shm-ipc} command line: the launcher ({@link io.shmipc.examples.cli.ShmIpcCommand}), the quick-start
 * {@code demo}, and the tools for two terminals: {@code send} / {@code receive} and {@code ping} / {@code pong}.
 */
package io.shmipc.examples.cli;
