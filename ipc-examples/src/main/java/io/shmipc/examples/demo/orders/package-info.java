/**
 * Order entry: many {@link io.shmipc.examples.demo.orders.OrderClient} processes send orders over one
 * {@link io.shmipc.ChannelKind#MANY_TO_ONE} channel to one {@link io.shmipc.examples.demo.orders.OrderMatcher},
 * which matches them in a price-time order book and answers each with an execution report carrying the order's
 * correlation id.
 * <p>
 * Replies travel on one {@link io.shmipc.ChannelKind#ONE_TO_ONE} channel per client slot ({@code replies-0},
 * {@code replies-1}, ...). A client takes the first free slot by subscribing to its channel: the library admits
 * one subscriber per ring channel across processes, so the subscription is the slot's lock, and the kernel
 * releases it when the client dies. Replies are lossless and back-pressured per client, and no client reads
 * another's. (A {@link io.shmipc.ChannelKind#BROADCAST} reply channel filtered by client id would need no slots
 * but is lossy: a slow client could lose its replies.)
 */
package io.shmipc.examples.demo.orders;
