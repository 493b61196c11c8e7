package io.shmipc;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.*;

class BatchingPublisherTest
{
    private final RegionLocation location = RegionLocation.shm("shmipc-batch-" + UUID.randomUUID());

    @AfterEach
    void tearDown()
    {
        Region.delete(location);
    }

    @ParameterizedTest
    @EnumSource(value = ChannelKind.class, names = { "ONE_TO_ONE", "MANY_TO_ONE" })
    void handlerSeesEachBatchedMessageInOrder(final ChannelKind kind)
    {
        final RegionConfig config = RegionConfig.builder(location).channel("c", kind, 64 * 1024).build();
        try (Region region = Region.create(config))
        {
            final BatchingPublisher batching = region.publisher("c").batching(256);
            final Subscriber subscriber = region.subscriber("c");
            final UnsafeBuffer message = new UnsafeBuffer(new byte[32]);
            for (int i = 0; i < 100; i++)
            {
                message.putInt(0, i);
                assertEquals(Publisher.OK, batching.offer(message, 0, 4 + i % 20));
            }
            assertTrue(batching.pendingMessages() > 0);
            assertEquals(Publisher.OK, batching.flush());
            assertEquals(0, batching.pendingMessages());

            final List<Integer> values = new ArrayList<>();
            final List<Integer> lengths = new ArrayList<>();
            int delivered = 0;
            int polled;
            while ((polled = subscriber.poll((buffer, offset, length) ->
            {
                values.add(buffer.getInt(offset));
                lengths.add(length);
            }, 100)) > 0)
            {
                delivered += polled;
            }
            assertEquals(100, delivered);
            for (int i = 0; i < 100; i++)
            {
                assertEquals(i, values.get(i));
                assertEquals(4 + i % 20, lengths.get(i));
            }
            batching.publisher().close(); // a MANY_TO_ONE publisher adds its counts every 64 messages and on close
            try (RegionInspector inspector = RegionInspector.open(location))
            {
                final ChannelCounts counts = inspector.channels().get(0).counts();
                final long payloadBytes = lengths.stream().mapToLong(Integer::longValue).sum();
                assertEquals(100, counts.consumedMessages());
                assertEquals(100, counts.publishedMessages());
                assertEquals(payloadBytes, counts.consumedBytes(), "payload bytes, not entry headers");
                assertEquals(payloadBytes, counts.publishedBytes(), "payload bytes, not entry headers");
            }
        }
    }
}
