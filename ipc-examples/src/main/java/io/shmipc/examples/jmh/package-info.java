/**
 * JMH microbenchmarks of the hot paths in one process: offer/poll, claim/commit, batched offer and broadcast
 * transmit/receive through the library, beside the same operations on bare Agrona buffers. Run them from the
 * shaded jar with {@code -prof gc} to see 0 B/op in steady state:
 * <pre>
 * java --add-exports java.base/jdk.internal.misc=ALL-UNNAMED -cp ipc-examples/target/shm-ipc.jar \
 *     org.openjdk.jmh.Main -prof gc 'io.shmipc.examples.jmh.*'
 * </pre>
 */
package io.shmipc.examples.jmh;
