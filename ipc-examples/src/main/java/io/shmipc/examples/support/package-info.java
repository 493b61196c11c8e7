/**
 * What every shm-ipc tool and demo shares: running a picocli command with the project's exit codes, option
 * converters, the {@code [role pid]} console, the {@code done:} result line, Ctrl-C handling, pacing, latency
 * histograms and starting child JVMs.
 */
package io.shmipc.examples.support;
