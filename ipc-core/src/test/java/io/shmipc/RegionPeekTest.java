package io.shmipc;

import io.shmipc.exceptions.NoSuchChannelException;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link RegionInspector#peek} on a real region, by name and through {@link RegionInspector#of(Region)} once the name
 * is gone.
 */
class RegionPeekTest
{
    private final RegionLocation location = RegionLocation.shm("shmipc-peek-" + UUID.randomUUID());

    @AfterEach
    void tearDown()
    {
        Region.delete(location);
    }

    @Test
    void aPublisherCountsWhatItsGoneSubscriberLeftAlsoAfterTheNameWasUnlinked()
    {
        final RegionConfig config = RegionConfig.builder(location)
            .channel("ring", ChannelKind.MANY_TO_ONE, 4096)
            .channel("fan", ChannelKind.BROADCAST, 4096)
            .build();
        try (Region region = Region.create(config);
            Publisher publisher = region.publisher("ring");
            Publisher transmitter = region.publisher("fan"))
        {
            final UnsafeBuffer message = new UnsafeBuffer(new byte[Long.BYTES]);
            for (long value = 0; value < 10; value++)
            {
                message.putLong(0, value);
                assertEquals(Publisher.OK, publisher.offer(message, 0, Long.BYTES));
                assertEquals(Publisher.OK, transmitter.offer(message, 0, Long.BYTES));
            }
            try (Subscriber subscriber = region.subscriber("ring"))
            {
                assertEquals(4, subscriber.poll((buffer, offset, length) -> { }, 4));
            }
            final List<Long> values = new ArrayList<>();
            try (RegionInspector inspector = RegionInspector.open(location))
            {
                final ChannelBacklog backlog = inspector.peek("ring", 2, (buffer, offset, length) ->
                    values.add(buffer.getLong(offset)));
                assertEquals(6, backlog.messages());
                assertEquals(6 * Long.BYTES, backlog.bytes());
                assertEquals(List.of(4L, 5L), values);
                inspector.peek("fan", 1, (buffer, offset, length) -> values.add(buffer.getLong(offset)));
                assertEquals(9L, values.get(2), "the newest broadcast message");
                final NoSuchChannelException missing = assertThrows(NoSuchChannelException.class,
                    () -> inspector.peek("nope", 0, null));
                assertTrue(missing.getMessage().contains("channels=[ring, fan]"), missing.getMessage());
            }
            assertTrue(region.delete());
            try (RegionInspector inspector = RegionInspector.of(region))
            {
                assertEquals(6, inspector.peek("ring", 0, null).messages());
            }
            assertEquals(Publisher.OK, publisher.offer(message, 0, Long.BYTES), "the region stays open");
        }
    }
}
