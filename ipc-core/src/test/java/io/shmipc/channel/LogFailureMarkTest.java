package io.shmipc.channel;

import io.shmipc.ChannelKind;
import io.shmipc.ChannelSpec;
import io.shmipc.Publisher;
import io.shmipc.Region;
import io.shmipc.RegionDirectory;
import io.shmipc.RegionConfig;
import io.shmipc.RegionLocation;
import io.shmipc.exceptions.CorruptRegionException;
import io.shmipc.log.LogFailure;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.UUID;

import static org.junit.jupiter.api.Assertions.*;

/**
 * What a log endpoint's protocol pieces find wrong fails the channel for every endpoint, through the channel's health,
 * unless the endpoint's own close has begun: a subscriber closed by another thread while its poll runs may read what
 * the close changed (its slot released, so the publisher moves on past it), and that must not fail the channel for
 * the endpoints that stay.
 */
class LogFailureMarkTest
{
    private final RegionLocation location = RegionLocation.shm("shmipc-log-failure-" + UUID.randomUUID());
    private final UnsafeBuffer message = new UnsafeBuffer(new byte[8]);
    private Region region;

    @AfterEach
    void tearDown()
    {
        if (region != null)
        {
            region.close();
        }
        Region.delete(location);
    }

    @Test
    void aFailureFoundByAnOpenEndpointFailsTheChannelForEveryEndpoint()
    {
        region = Region.create(RegionConfig.builder(location).channel("log", ChannelKind.PUBLISH_SUBSCRIBE, 64 * 1024)
            .build());
        final Publisher publisher = region.publisher("log");
        final LogFailure failure = ((LogSubscriber)region.subscriber("log")).logFailure();
        final CorruptRegionException found = failure.corrupt("log.positions", "sound", "broken");
        assertEquals("channel[log].log.positions", found.field());
        final CorruptRegionException failed = assertThrows(CorruptRegionException.class,
            () -> publisher.offer(message, 0, message.capacity()));
        assertEquals("channel[log].log.positions", failed.field());
    }

    @Test
    void aChannelAddedWhereAFailedOneWasRemovedIsSound()
    {
        // A region with room for one channel: the second one added takes the first one's directory entry and space.
        region = Region.create(RegionConfig.builder(location).maxChannels(1)
            .dataAreaLength(RegionDirectory.channelAreaLength(ChannelKind.PUBLISH_SUBSCRIBE, 64 * 1024)).build());
        region.directory().createChannel(new ChannelSpec("first", ChannelKind.PUBLISH_SUBSCRIBE, 64 * 1024, 0));
        final LogSubscriber failing = (LogSubscriber)region.subscriber("first");
        failing.logFailure().corrupt("log.positions", "sound", "broken");
        failing.close();
        assertTrue(region.directory().removeChannel("first"));

        region.directory().createChannel(new ChannelSpec("second", ChannelKind.PUBLISH_SUBSCRIBE, 64 * 1024, 0));
        final Publisher publisher = region.publisher("second");
        assertEquals(Publisher.OK, publisher.offer(message, 0, message.capacity()), "the new channel is sound");
    }

    @Test
    void aFailureFoundAfterTheEndpointsCloseBeganFailsNothing()
    {
        region = Region.create(RegionConfig.builder(location).channel("log", ChannelKind.PUBLISH_SUBSCRIBE, 64 * 1024)
            .build());
        final Publisher publisher = region.publisher("log");
        final LogSubscriber subscriber = (LogSubscriber)region.subscriber("log");
        final LogFailure failure = subscriber.logFailure();
        subscriber.close();
        final CorruptRegionException found = failure.corrupt("log.positions", "sound", "broken");
        assertEquals("channel[log].log.positions", found.field(), "still named, for the close to carry");
        assertEquals(Publisher.OK, publisher.offer(message, 0, message.capacity()), "the channel is sound");
        assertNotNull(region.subscriber("log"));
    }
}
