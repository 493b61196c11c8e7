package io.shmipc.tests.faults;

import io.shmipc.toolkit.InputLines;
import io.shmipc.tests.support.ChildSupport;
import io.shmipc.Region;
import io.shmipc.RegionLocation;
import io.shmipc.Subscriber;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.IdleStrategy;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * The consumer of the dead-producer tests: polls all the time with back-off and reports, with the
 * {@link System#nanoTime()} of the moment it saw it, each change of {@link Subscriber#unblockedRecords()}.
 * <p>
 * Arguments: region, channel. Prints {@code SUBSCRIBED}, {@code UNBLOCKED count=<n> nanoTime=<t>},
 * {@code GOT <producer> <seq>} for producers with id 100 or more (claim holders). Commands on standard input:
 * {@code STATUS} (prints polls, unblocked and received counts), {@code EXPECT <producer> <count>} (prints
 * {@code RECEIVED ...} once that many messages of that producer arrived, in order or not), {@code EXIT}.
 */
public final class UnblockWatchingConsumerMain
{
    private static final int CLAIM_HOLDER_IDS = 100;

    private final Map<Integer, long[]> receivedByProducer = new HashMap<>();
    private long received;

    private UnblockWatchingConsumerMain()
    {
    }

    public static void main(final String[] args)
    {
        new UnblockWatchingConsumerMain().run(RegionLocation.parse(args[0]), args[1]);
    }

    private void run(final RegionLocation location, final String channel)
    {
        final InputLines commands = ChildSupport.commands();
        final IdleStrategy idle = new BackoffIdleStrategy(10, 10, 1_000, 1_000_000);
        int expectedProducer = -1;
        long expectedCount = 0;
        long polls = 0;
        long unblocked = 0;
        try (Region region = Region.attach(location, Duration.ofSeconds(10));
            Subscriber subscriber = region.subscriber(channel))
        {
            ChildSupport.println("SUBSCRIBED");
            while (true)
            {
                final int read = subscriber.poll(this::onMessage, 64);
                polls++;
                final long nowUnblocked = subscriber.unblockedRecords();
                if (nowUnblocked != unblocked)
                {
                    final long nanoTime = System.nanoTime();
                    unblocked = nowUnblocked;
                    ChildSupport.println("UNBLOCKED count=" + unblocked + " nanoTime=" + nanoTime);
                }
                final String command = commands.poll();
                if (command != null)
                {
                    if (command.equals("EXIT") || command == ChildSupport.END_OF_INPUT)
                    {
                        break;
                    }
                    if (command.equals("STATUS"))
                    {
                        ChildSupport.println("STATUS polls=" + polls + " unblocked=" + unblocked + " received=" +
                            received + " publishers=" + subscriber.connectedPublishers());
                    }
                    else if (command.startsWith("EXPECT "))
                    {
                        final String[] words = command.split(" ");
                        expectedProducer = Integer.parseInt(words[1]);
                        expectedCount = Long.parseLong(words[2]);
                    }
                }
                if (expectedProducer >= 0)
                {
                    final long[] state = receivedByProducer.getOrDefault(expectedProducer, new long[3]);
                    if (state[0] >= expectedCount)
                    {
                        ChildSupport.println("RECEIVED producer=" + expectedProducer + " count=" + state[0] +
                            " outOfOrder=" + state[2] + " unblocked=" + unblocked);
                        expectedProducer = -1;
                    }
                }
                idle.idle(read);
            }
        }
        ChildSupport.println("EXITED");
    }

    /**
     * Per producer: messages received, next sequence expected, messages out of order.
     */
    private void onMessage(final DirectBuffer buffer, final int offset, final int length)
    {
        final int producer = buffer.getInt(offset + PacedProducerMain.PRODUCER_OFFSET);
        final long sequence = buffer.getLong(offset + PacedProducerMain.SEQUENCE_OFFSET);
        final long[] state = receivedByProducer.computeIfAbsent(producer, key -> new long[3]);
        if (sequence != state[1])
        {
            state[2]++;
        }
        state[0]++;
        state[1] = sequence + 1;
        received++;
        if (producer >= CLAIM_HOLDER_IDS)
        {
            ChildSupport.println("GOT " + producer + " " + sequence);
        }
    }
}
