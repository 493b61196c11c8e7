package io.shmipc.tests.log;

import io.shmipc.ChannelKind;
import io.shmipc.Region;
import io.shmipc.RegionConfig;
import io.shmipc.RegionHandoff;
import io.shmipc.RegionLocation;
import io.shmipc.Subscriber;
import io.shmipc.SubscriberOptions;
import io.shmipc.tests.support.ChildArguments;
import io.shmipc.tests.support.ChildJvms;
import io.shmipc.tests.support.Summary;
import io.shmipc.toolkit.ChildProcess;
import io.shmipc.toolkit.SequencedMessage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The log kind over an anonymous region (memfd, no name anywhere): this JVM creates it and hands it to a publisher
 * process and two tethered subscriber processes (one joined at the next message, one at the oldest); both get
 * every message, in order and intact, and a subscriber of this JVM joining from the oldest afterwards gets exactly
 * what the log still holds, in order.
 */
class PublishSubscribeAnonymousTest
{
    private static final long COUNT = 200_000;

    private final RegionLocation location = RegionLocation.anonymous("log-" + ProcessHandle.current().pid() + "-" +
        System.nanoTime());
    private final List<ChildProcess> children = new ArrayList<>();

    @AfterEach
    void tearDown()
    {
        children.forEach(ChildProcess::close);
    }

    private ChildProcess start(final Region region, final Class<?> main, final String... args)
    {
        final List<String> command = new ArrayList<>(ChildJvms.javaCommand(List.of()));
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), main.getName()));
        command.add("region=" + ChildArguments.format(location));
        command.addAll(List.of("channel=log", "maxPayload=" + LogChildren.MAX_PAYLOAD));
        command.addAll(List.of(args));
        final RegionHandoff handoff = RegionHandoff.of(region);
        final ChildProcess child = ChildProcess.builder(main.getSimpleName() + " " + String.join(" ", args), command)
            .environment(handoff.environmentVariable(), handoff.environmentValue()).start();
        handoff.started(ProcessHandle.of(child.pid()).orElseThrow());
        children.add(child);
        return child;
    }

    @Test
    @Timeout(180)
    void handedToAPublisherAndTwoSubscriberProcessesEveryMessageArrivesAndTheHistoryStaysInTheRegion()
    {
        try (Region region = Region.create(RegionConfig.builder(location)
            .channel("log", ChannelKind.PUBLISH_SUBSCRIBE, 1 << 18).build()))
        {
            final ChildProcess first = start(region, LogListener.class, "id=0", "count=" + COUNT);
            final ChildProcess second = start(region, LogListener.class, "id=1", "count=" + COUNT, "start=oldest");
            first.awaitLineStartingWith("READY", Duration.ofSeconds(30));
            second.awaitLineStartingWith("READY", Duration.ofSeconds(30));
            final ChildProcess sender = start(region, LogSender.class, "count=" + COUNT, "seed=" + System.nanoTime());
            sender.awaitLineStartingWith("READY", Duration.ofSeconds(30));
            sender.send("GO");
            final Summary sent = Summary.parse(sender.awaitLineStartingWith("SENT ", Duration.ofSeconds(120)));
            for (final ChildProcess listener : List.of(first, second))
            {
                PublishSubscribeChannelTest.assertEverything(
                    Summary.parse(listener.awaitLineStartingWith("RESULT ", Duration.ofSeconds(30))), COUNT, sent);
            }
            for (final ChildProcess child : children)
            {
                child.awaitSuccess(Duration.ofSeconds(10));
            }

            // Every process that was handed the region has gone; this holder still maps it, history and all.
            final List<Long> held = new ArrayList<>();
            try (Subscriber late = region.subscriber("log", SubscriberOptions.defaults().fromOldest()))
            {
                while (late.poll((buffer, offset, length) -> held.add(SequencedMessage.sequence(buffer, offset)),
                    1000) > 0)
                {
                    // drain what the log holds
                }
            }
            assertTrue(held.size() > 100 && held.get(held.size() - 1) == COUNT - 1, "held: " + held.size());
            for (int i = 1; i < held.size(); i++)
            {
                assertEquals(held.get(i - 1) + 1, held.get(i), "the retained suffix, in order");
            }
        }
    }
}
