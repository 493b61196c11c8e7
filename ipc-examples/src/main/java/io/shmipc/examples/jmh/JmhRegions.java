package io.shmipc.examples.jmh;

import io.shmipc.ChannelKind;
import io.shmipc.Region;
import io.shmipc.RegionConfig;
import io.shmipc.RegionLocation;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * Regions for the microbenchmarks: a unique shared-memory name per trial, unlinked on close.
 */
final class JmhRegions
{
    /** Channel every benchmark uses. */
    static final String CHANNEL = "bench";
    /** Data capacity of that channel. */
    static final int CAPACITY = 1 << 20;
    private static final AtomicInteger NEXT = new AtomicInteger();

    private JmhRegions()
    {
    }

    static Region create(final ChannelKind kind)
    {
        final String name = "shmipc-jmh-" + ProcessHandle.current().pid() + "-" + NEXT.getAndIncrement();
        return Region.create(RegionConfig.builder(RegionLocation.shm(name))
            .channel(CHANNEL, kind, CAPACITY)
            .deleteOnClose(true)
            .build());
    }
}
