/**
 * shm-ipc: messaging between processes on one host through a shared-memory {@link io.shmipc.Region}. A region
 * holds named channels of three kinds ({@link io.shmipc.ChannelKind}); a {@link io.shmipc.Publisher} offers or
 * claims messages and a {@link io.shmipc.Subscriber} polls them, allocation-free, over Agrona ring and broadcast
 * buffers laid on a {@code MAP_SHARED} mapping.
 * <p>
 * With {@link io.shmipc.exceptions}, the only package the module {@code io.shmipc} exports: everything else is
 * internal.
 */
package io.shmipc;
