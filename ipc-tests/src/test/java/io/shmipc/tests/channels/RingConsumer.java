package io.shmipc.tests.channels;

import io.shmipc.MessageHandler;
import io.shmipc.Region;
import io.shmipc.RegionLocation;
import io.shmipc.Subscriber;
import io.shmipc.tests.support.ChildArguments;
import io.shmipc.tests.support.ChildSupport;
import io.shmipc.toolkit.SequencedMessage;
import io.shmipc.tests.support.StreamVerifier;
import org.agrona.concurrent.IdleStrategy;

import java.nio.file.Files;
import java.time.Duration;

/**
 * Child process: the subscriber of a ring channel fed by {@code sources} {@link RingProducer}s. It verifies each
 * source's stream with a {@link StreamVerifier} until every source's end-of-stream marker arrived.
 * <p>
 * Arguments ({@code key=value}): {@code region}, {@code channel}, {@code count} (messages per source), optional
 * {@code sources} (1), {@code maxPayload} (1024), {@code announceWaiting} (false; true: print
 * {@code WAITING regionExists=..} before attaching, for a test that starts the creator only after this line),
 * {@code attachTimeoutMs} (10 s), {@code stallMs} (20 s without a message ends the run incomplete).
 * <p>
 * Prints {@code READY} once subscribed, then one {@code RECEIVED source=..} line per source with every count of
 * {@link StreamVerifier#describe()}, then {@code SUMMARY sources=.. received=.. foreign=..}.
 */
public final class RingConsumer
{
    private RingConsumer()
    {
    }

    /**
     * Run the consumer.
     *
     * @param args {@code key=value} arguments.
     */
    public static void main(final String[] args)
    {
        final ChildArguments arguments = ChildArguments.parse(args);
        final RegionLocation location = arguments.location("region");
        final String channel = arguments.text("channel");
        final int sources = arguments.integer("sources", 1);
        final long count = arguments.longValue("count");
        final int maxPayload = arguments.integer("maxPayload", 1024);
        final long stallNs = Duration.ofMillis(arguments.longValue("stallMs", 20_000)).toNanos();
        final StreamVerifier[] verifiers = new StreamVerifier[sources];
        for (int i = 0; i < sources; i++)
        {
            verifiers[i] = new StreamVerifier(i, count, maxPayload);
        }
        final long[] foreign = new long[1];
        final MessageHandler handler = (buffer, offset, length) ->
        {
            final int source = length >= SequencedMessage.HEADER_LENGTH ?
                SequencedMessage.source(buffer, offset) : -1;
            if (source < 0 || source >= sources)
            {
                foreign[0]++;
                return;
            }
            verifiers[source].onMessage(buffer, offset, length);
        };

        if (arguments.flag("announceWaiting", false))
        {
            ChildSupport.println("WAITING regionExists=" + Files.exists(location.path()));
        }
        final long attachStart = System.nanoTime();
        try (Region region = Region.attach(location, Duration.ofMillis(arguments.longValue("attachTimeoutMs",
            10_000)));
            Subscriber subscriber = region.subscriber(channel))
        {
            ChildSupport.println("READY attachMs=" + (System.nanoTime() - attachStart) / 1_000_000 +
                " pid=" + ProcessHandle.current().pid());
            final IdleStrategy idle = ChildSupport.idleStrategy();
            long lastProgress = System.nanoTime();
            while (!allEnded(verifiers))
            {
                final int received = subscriber.poll(handler, 256);
                if (received > 0)
                {
                    lastProgress = System.nanoTime();
                }
                else if (System.nanoTime() - lastProgress > stallNs)
                {
                    report(verifiers, foreign[0], "STALLED");
                    ChildSupport.exitIncomplete("STALLED connectedPublishers=" + subscriber.connectedPublishers());
                }
                idle.idle(received);
            }
            report(verifiers, foreign[0], "SUMMARY");
        }
    }

    private static boolean allEnded(final StreamVerifier[] verifiers)
    {
        for (final StreamVerifier verifier : verifiers)
        {
            if (!verifier.ended())
            {
                return false;
            }
        }
        return true;
    }

    private static void report(final StreamVerifier[] verifiers, final long foreign, final String tag)
    {
        long received = 0;
        for (final StreamVerifier verifier : verifiers)
        {
            ChildSupport.println("RECEIVED " + verifier.describe());
            received += verifier.received();
        }
        ChildSupport.println(tag + " sources=" + verifiers.length + " received=" + received + " foreign=" + foreign);
    }
}
