package io.shmipc.tests.faults;

import io.shmipc.toolkit.InputLines;
import io.shmipc.tests.support.ChildSupport;
import io.shmipc.Claim;
import io.shmipc.Publisher;
import io.shmipc.Region;
import io.shmipc.RegionLocation;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.UnsafeBuffer;

import java.time.Duration;
import java.util.concurrent.locks.LockSupport;

/**
 * A soak producer: one incarnation of a producer id, sending {@link SoakMessages} numbered from 0, alternately by
 * offer (copy) and by claim and commit (in place), in bursts of {@link #BURST}, about 5,000 a second, waiting with
 * back-off while the channel is full. The pause after each burst is taken holding the claim of the burst's last
 * message, so most of the time a kill leaves an uncommitted record behind. A restarted producer is a new
 * incarnation and starts again at 0.
 * <p>
 * Arguments: region, channel, producer, incarnation. Prints {@code STARTED}, {@code COMMITTED <p> <i> <seq>}
 * after every 1000th commit, and on {@code STOP} {@code DONE <p> <i> <last committed seq>}.
 */
public final class SoakProducerMain
{
    private static final int BURST = 50;
    private static final long PAUSE_NS = 10_000_000L;

    private SoakProducerMain()
    {
    }

    public static void main(final String[] args)
    {
        final RegionLocation location = RegionLocation.parse(args[0]);
        final String channel = args[1];
        final int producer = Integer.parseInt(args[2]);
        final int incarnation = Integer.parseInt(args[3]);
        final InputLines commands = ChildSupport.commands();
        final UnsafeBuffer message = new UnsafeBuffer(new byte[SoakMessages.HEADER_LENGTH + SoakMessages.MAX_FILLER]);
        final Claim claim = new Claim();
        final IdleStrategy backPressure = new BackoffIdleStrategy(10, 10, 1_000, 1_000_000);
        long sequence = 0;
        try (Region region = Region.attach(location, Duration.ofSeconds(10));
            Publisher publisher = region.publisher(channel))
        {
            ChildSupport.println("STARTED " + producer + " " + incarnation);
            while (commands.isEmpty())
            {
                final int length = SoakMessages.length(sequence);
                backPressure.reset();
                while (true)
                {
                    final long result;
                    final boolean lastOfBurst = sequence % BURST == BURST - 1;
                    if (sequence % 3 == 0 || lastOfBurst)
                    {
                        result = publisher.tryClaim(length, claim);
                        if (result == Publisher.OK)
                        {
                            SoakMessages.write(claim.buffer(), claim.offset(), producer, incarnation, sequence);
                            if (lastOfBurst)
                            {
                                LockSupport.parkNanos(PAUSE_NS);
                            }
                            claim.commit();
                        }
                    }
                    else
                    {
                        SoakMessages.write(message, 0, producer, incarnation, sequence);
                        result = publisher.offer(message, 0, length);
                    }
                    if (result == Publisher.OK)
                    {
                        break;
                    }
                    if (result != Publisher.BACK_PRESSURED || !commands.isEmpty())
                    {
                        ChildSupport.println("DONE " + producer + " " + incarnation + " " + (sequence - 1));
                        return;
                    }
                    backPressure.idle();
                }
                if (sequence % 1000 == 999)
                {
                    ChildSupport.println("COMMITTED " + producer + " " + incarnation + " " + sequence);
                }
                sequence++;
            }
        }
        ChildSupport.println("DONE " + producer + " " + incarnation + " " + (sequence - 1));
    }
}
