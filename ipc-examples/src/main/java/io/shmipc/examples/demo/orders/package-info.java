/**
 * Order entry on request/response: many {@link io.shmipc.examples.demo.orders.OrderClient} processes are clients of
 * the {@code orders} service ({@link io.shmipc.ServiceClient}), one {@link io.shmipc.examples.demo.orders.OrderMatcher}
 * is its server ({@link io.shmipc.ServiceServer}): it matches each order in a price-time order book and answers
 * with an execution report, the order's one final response.
 * <p>
 * Orders travel on the service's {@link io.shmipc.ChannelKind#MANY_TO_ONE} request channel; each client's reports on
 * a {@link io.shmipc.ChannelKind#ONE_TO_ONE} reply channel of its own, which it adds to the region at start and
 * removes at exit. When the matcher dies, every pending order of every client fails at once and the clients send
 * them again to the next matcher.
 */
package io.shmipc.examples.demo.orders;
