package io.shmipc;

/**
 * What {@link RegionInspector#peek} saw in a channel, without consuming anything.
 *
 * @param spec            the channel: name, kind, capacity and message limit.
 * @param messages        messages waiting for the subscriber of a ring channel, or held by a publish-subscribe log
 *                        (a batch counts once per message in it); -1 for a broadcast channel, which keeps no
 *                        backlog (each receiver has its own position).
 * @param bytes           payload bytes of those messages; -1 for a broadcast channel.
 * @param delivered       messages handed to the peek's handler.
 * @param writeInProgress a publisher was writing a record where the scan of a ring ended (it is not counted yet);
 *                        never for a log, whose records below its tail are complete (a zero header there is
 *                        corruption).
 * @param consumerMoved   the subscriber consumed messages while the peek ran (on a log: the publisher overwrote the
 *                        oldest): the counts are of what was still waiting or held when it ended, and what the
 *                        handler saw may already be gone.
 */
public record ChannelBacklog(
    ChannelSpec spec,
    long messages,
    long bytes,
    int delivered,
    boolean writeInProgress,
    boolean consumerMoved)
{
}
