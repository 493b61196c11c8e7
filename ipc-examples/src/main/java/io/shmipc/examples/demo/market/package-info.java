/**
 * Market-data fan-out: one {@link io.shmipc.examples.demo.market.MarketDataFeed} broadcasts quotes on a
 * {@link io.shmipc.ChannelKind#BROADCAST} channel to any number of
 * {@link io.shmipc.examples.demo.market.MarketDataSubscriber} processes. The feed never waits; a subscriber too
 * slow to keep up is lapped and reports how many quotes it lost.
 */
package io.shmipc.examples.demo.market;
