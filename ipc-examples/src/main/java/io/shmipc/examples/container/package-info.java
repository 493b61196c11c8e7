/**
 * A small process for running shm-ipc across containers: {@link io.shmipc.examples.container.ContainerPeer}
 * produces or consumes sequence-numbered messages, watches the liveness of the other side, probes whether a region
 * of a given size fits, and runs the "same memory?" handshake ({@link
 * io.shmipc.examples.container.SharedMemoryHandshake}). It prints one line per event, in a fixed
 * {@code WORD key=value ...} form, so that tests and people can read what it saw.
 */
package io.shmipc.examples.container;
