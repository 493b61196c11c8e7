package io.shmipc.tests.runtime;

import io.shmipc.ChannelKind;
import io.shmipc.Region;
import io.shmipc.RegionDirectory;
import io.shmipc.RegionConfig;
import io.shmipc.tests.channels.RingConsumer;
import io.shmipc.tests.channels.RingProducer;
import io.shmipc.tests.channels.RingStreamAssertions;
import io.shmipc.tests.support.ChildArguments;
import io.shmipc.toolkit.ChildProcess;
import io.shmipc.tests.support.Summary;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A channel carries 1,000,000 checked messages (sequence, length and CRC of each, in order, once) from one process
 * to another while two other processes add and remove channels in the same region as fast as they can: every
 * message arrives.
 */
class ChannelChurnTest extends RuntimeTestBase
{
    ChannelChurnTest()
    {
        super("shmipc-churn");
    }

    private static final long MESSAGES = 1_000_000;
    private static final Duration WAIT = Duration.ofSeconds(240);

    @Test
    @Timeout(400)
    void aMillionMessagesArriveWhileChannelsComeAndGo()
    {
        try (Region region = Region.create(RegionConfig.builder(location)
            .channel("stream", ChannelKind.ONE_TO_ONE, 1 << 16)
            .maxChannels(8)
            .dataAreaLength(RegionDirectory.channelAreaLength(ChannelKind.ONE_TO_ONE, 1 << 16) +
                6 * RegionDirectory.channelAreaLength(ChannelKind.MANY_TO_ONE, 1 << 16))
            .build()))
        {
            final String regionArgument = "region=" + ChildArguments.format(location);
            final List<ChildProcess> churners = List.of(
                children.start(ChannelChurnMain.class, regionArgument, "id=0"),
                children.start(ChannelChurnMain.class, regionArgument, "id=1"));
            final ChildProcess consumer = children.start(RingConsumer.class, regionArgument, "channel=stream",
                "count=" + MESSAGES, "maxPayload=64");
            consumer.awaitLineStartingWith("READY", WAIT);
            churners.forEach(churner -> churner.awaitLineStartingWith("READY", WAIT));
            final ChildProcess producer = children.start(RingProducer.class, regionArgument, "channel=stream",
                "count=" + MESSAGES, "seed=" + System.nanoTime(), "maxPayload=64");

            RingStreamAssertions.assertDelivered(consumer, List.of(producer), MESSAGES, WAIT);
            for (final ChildProcess churner : churners)
            {
                assertTrue(churner.isAlive(), "churned throughout: " + churner.output());
                churner.send("STOP");
            }
            long changes = 0;
            for (final ChildProcess churner : churners)
            {
                final Summary churned = Summary.parse(churner.awaitLineStartingWith("CHURNED ", WAIT));
                changes += churned.number("added") + churned.number("removed");
                churner.awaitSuccess(WAIT);
            }
            assertTrue(changes > 200, "channels came and went during the stream: " + changes);
            assertTrue(region.directory().channelList().changeCount() > 200, "as the region's change count says");
            producer.awaitSuccess(WAIT);
            consumer.awaitSuccess(WAIT);
        }
    }
}
