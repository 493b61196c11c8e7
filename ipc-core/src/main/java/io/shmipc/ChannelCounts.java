package io.shmipc;

/**
 * A channel's counters, read from the region's counters area.
 *
 * @param publishedMessages  messages published (publishers sharing a channel add theirs every 64 messages, on
 *                           back-pressure, on heartbeat and on close).
 * @param publishedBytes     payload bytes published.
 * @param consumedMessages   messages consumed by the ring subscriber (0 for broadcast).
 * @param consumedBytes      payload bytes consumed by the ring subscriber.
 * @param backPressureEvents offers refused because the ring was full.
 * @param lostMessages       broadcast messages lost to lapping, summed over receivers.
 * @param unblockedRecords   records left uncommitted by dead publishers and unblocked.
 * @param missedWakeups      blocking waits that slept a whole timeout while a message waited (should be 0).
 */
public record ChannelCounts(
    long publishedMessages,
    long publishedBytes,
    long consumedMessages,
    long consumedBytes,
    long backPressureEvents,
    long lostMessages,
    long unblockedRecords,
    long missedWakeups)
{
}
