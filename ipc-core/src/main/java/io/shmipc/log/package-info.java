/**
 * The {@code PUBLISH_SUBSCRIBE} log's protocol pieces, internal to the module, each testable on a plain buffer:
 * {@link io.shmipc.log.LogAppender} (the publisher's appends, claims, freeing and restart, with
 * {@code AppenderRestart}: the positions and last records a predecessor left),
 * {@link io.shmipc.log.SubscriberGate} (the publisher's limit: its scan of the subscribers, dead and demoted ones),
 * {@link io.shmipc.log.LogReader} (a subscriber's reads, in place or validated, and skips),
 * {@link io.shmipc.log.SubscriberSlot} (a subscriber's fields in its endpoint slot: joining, positions, leaving) and
 * {@link io.shmipc.log.LogFailure} (the errors for values found wrong, handed to what fails the channel). The layout is
 * {@link io.shmipc.layout.LogBufferDescriptor}; the endpoints over these pieces are
 * {@code io.shmipc.channel.LogPublisher} and {@code io.shmipc.channel.LogSubscriber}.
 */
package io.shmipc.log;
