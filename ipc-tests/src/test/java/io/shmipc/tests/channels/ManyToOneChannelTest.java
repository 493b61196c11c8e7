package io.shmipc.tests.channels;

import io.shmipc.ChannelKind;
import io.shmipc.Region;
import io.shmipc.RegionConfig;
import io.shmipc.toolkit.ChildProcess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A {@link ChannelKind#MANY_TO_ONE} channel fed by four producer JVMs at once, 250,000 messages each: the
 * consumer JVM checks each producer's stream separately (order, loss, duplicates, CRC, digest; see
 * {@link RingStreamAssertions}). Producers 0 and 2 copy with {@code offer}, 1 and 3 write in place with
 * {@code tryClaim}/{@code commit}. All four wait for {@code GO} after attaching, so they really contend.
 */
class ManyToOneChannelTest extends ChannelTestBase
{
    private static final int PRODUCERS = 4;
    private static final long MESSAGES_PER_PRODUCER = 250_000;

    @Test
    @Timeout(60)
    void fourProducersDeliverEveryMessageInPerProducerOrder()
    {
        Region.create(RegionConfig.builder(location()).channel("m", ChannelKind.MANY_TO_ONE, 1 << 20).build()).close();
        final String region = regionArgument();
        final ChildProcess consumer = children.start(RingConsumer.class, region, "channel=m",
            "sources=" + PRODUCERS, "count=" + MESSAGES_PER_PRODUCER, "maxPayload=256");
        final List<ChildProcess> producers = new ArrayList<>();
        for (int source = 0; source < PRODUCERS; source++)
        {
            producers.add(children.start(RingProducer.class, region, "channel=m", "source=" + source,
                "count=" + MESSAGES_PER_PRODUCER, "seed=" + (System.nanoTime() + source), "minPayload=0",
                "maxPayload=256", "claim=" + (source % 2 == 1), "awaitGo=true"));
        }
        consumer.awaitLineStartingWith("READY", Duration.ofSeconds(30));
        for (final ChildProcess producer : producers)
        {
            producer.awaitLineStartingWith("READY", Duration.ofSeconds(30));
        }
        for (final ChildProcess producer : producers)
        {
            producer.send("GO");
        }
        RingStreamAssertions.assertDelivered(consumer, producers, MESSAGES_PER_PRODUCER, Duration.ofSeconds(45));
    }
}
