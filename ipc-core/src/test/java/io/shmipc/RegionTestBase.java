package io.shmipc;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * What the region tests share: a fresh shared-memory name, the regions a test opened (closed after it, and the name
 * deleted), a configuration of one channel "c" of a given kind, and long messages offered and collected.
 */
abstract class RegionTestBase
{
    final String shmName = "shmipc-unit-" + UUID.randomUUID();
    private final List<Region> regions = new ArrayList<>();

    @AfterEach
    void tearDown()
    {
        regions.forEach(Region::close);
        Region.delete(RegionLocation.shm(shmName));
    }

    Region track(final Region region)
    {
        regions.add(region);
        return region;
    }

    /**
     * Offer the 8-byte messages {@code from} to {@code to - 1}, each its own value.
     */
    static void offerLongs(final Publisher publisher, final long from, final long to)
    {
        final UnsafeBuffer message = new UnsafeBuffer(new byte[Long.BYTES]);
        for (long value = from; value < to; value++)
        {
            message.putLong(0, value);
            assertEquals(Publisher.OK, publisher.offer(message, 0, Long.BYTES));
        }
    }

    /**
     * A handler adding each message's first 8 bytes, as a long, to {@code into}.
     */
    static MessageHandler collectLongs(final List<Long> into)
    {
        return (buffer, offset, length) -> into.add(buffer.getLong(offset));
    }

    RegionConfig config(final ChannelKind kind)
    {
        return RegionConfig.builder(RegionLocation.shm(shmName)).channel("c", kind, 64 * 1024).build();
    }
}
