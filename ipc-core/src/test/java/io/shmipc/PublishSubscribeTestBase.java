package io.shmipc;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * What the {@code PUBLISH_SUBSCRIBE} tests share: a region of one such channel "log" under a fresh shared-memory name
 * (closed and deleted after the test), a message buffer whose first 8 bytes carry a long, and the means to offer,
 * drain and compare sequences of those longs.
 */
abstract class PublishSubscribeTestBase
{
    static final int CAPACITY = 64 * 1024;

    final String shmName = "shmipc-unit-log-" + UUID.randomUUID();
    final List<Region> regions = new ArrayList<>();
    final UnsafeBuffer message = new UnsafeBuffer(new byte[1024]);

    @AfterEach
    void tearDown()
    {
        regions.forEach(Region::close);
        Region.delete(RegionLocation.shm(shmName));
    }

    Region region()
    {
        final Region region = Region.openOrCreate(RegionConfig.builder(RegionLocation.shm(shmName))
            .channel("log", ChannelKind.PUBLISH_SUBSCRIBE, CAPACITY).build());
        regions.add(region);
        return region;
    }

    long offer(final Publisher publisher, final long value, final int length)
    {
        message.putLong(0, value);
        return publisher.offer(message, 0, length);
    }

    static List<Long> drain(final Subscriber subscriber)
    {
        final List<Long> values = new ArrayList<>();
        while (subscriber.poll((buffer, offset, length) -> values.add(buffer.getLong(offset)), 100) > 0)
        {
            // keep polling
        }
        return values;
    }

    static List<Long> range(final long from, final long to)
    {
        final List<Long> values = new ArrayList<>();
        for (long value = from; value < to; value++)
        {
            values.add(value);
        }
        return values;
    }
}
