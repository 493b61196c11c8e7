/**
 * Log aggregation: any number of {@link io.shmipc.examples.demo.logs.LogShipper} processes ship log lines over one
 * {@link io.shmipc.ChannelKind#MANY_TO_ONE} channel to one {@link io.shmipc.examples.demo.logs.LogWriter}, which
 * writes them to a file or standard output and checks that each shipper's lines arrive complete and in order.
 */
package io.shmipc.examples.demo.logs;
