/**
 * The channel implementations, internal to the module: a publisher and a subscriber class per buffer format (the
 * Agrona rings for {@code ONE_TO_ONE} and {@code MANY_TO_ONE}, the Agrona broadcast buffer for {@code BROADCAST}),
 * over the common endpoint classes that hold the hot-path checks, the housekeeping cadence and blocking waits.
 * {@link io.shmipc.channel.EndpointFactory} registers an endpoint and gathers its
 * {@code ChannelContext}; no endpoint sees the region handle.
 */
package io.shmipc.channel;
