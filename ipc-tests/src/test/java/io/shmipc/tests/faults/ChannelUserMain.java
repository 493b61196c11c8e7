package io.shmipc.tests.faults;

import io.shmipc.tests.support.ChildSupport;
import io.shmipc.Claim;
import io.shmipc.Publisher;
import io.shmipc.Region;
import io.shmipc.RegionLocation;
import io.shmipc.Subscriber;
import io.shmipc.exceptions.CorruptRegionException;
import org.agrona.concurrent.UnsafeBuffer;

import java.time.Duration;
import java.util.concurrent.locks.LockSupport;

/**
 * One endpoint of a channel that another process corrupts. A publisher offers a message every 100 µs (whatever the
 * result), prints {@code RUNNING} after 10 were accepted; a subscriber waits for {@code START} on its standard input,
 * then polls. Both stop at the first {@link CorruptRegionException}: {@code CAUGHT field=<field> ok=<accepted>}
 * (publisher) or {@code CAUGHT field=<field> received=<n>} (subscriber); then make 100 more operations (offers and
 * claims, or polls), printing {@code AFTER thrown=<typed errors> ok=<accepted or delivered>}. Anything else thrown is
 * {@code UNEXPECTED} (exit status 2); nothing within 20 s is {@code NOTHING} (exit status 3).
 * <p>
 * Arguments: region, channel, {@code publish} or {@code subscribe}, and optionally the seconds to wait for a
 * corruption (20).
 */
public final class ChannelUserMain
{
    private static long deadlineNs = Duration.ofSeconds(20).toNanos();
    private static final int AFTER = 100;

    private ChannelUserMain()
    {
    }

    public static void main(final String[] args)
    {
        final RegionLocation location = RegionLocation.parse(args[0]);
        if (args.length > 3)
        {
            deadlineNs = Duration.ofSeconds(Long.parseLong(args[3])).toNanos();
        }
        try (Region region = Region.attach(location, Duration.ofSeconds(10)))
        {
            if (args[2].equals("publish"))
            {
                publish(region.publisher(args[1]));
            }
            else
            {
                subscribe(region.subscriber(args[1]));
            }
        }
        catch (final CorruptRegionException ex)
        {
            // closing a region whose channel failed: nothing more to say
        }
        catch (final Throwable ex)
        {
            ChildSupport.println("UNEXPECTED " + ex);
            ex.printStackTrace(System.out);
            System.exit(2);
        }
    }

    private static void publish(final Publisher publisher)
    {
        final UnsafeBuffer message = new UnsafeBuffer(new byte[64]);
        final long deadline = System.nanoTime() + deadlineNs;
        long ok = 0;
        while (System.nanoTime() - deadline < 0)
        {
            try
            {
                if (publisher.offer(message, 0, message.capacity()) == Publisher.OK && ++ok == 10)
                {
                    ChildSupport.println("RUNNING");
                }
            }
            catch (final CorruptRegionException ex)
            {
                ChildSupport.println("CAUGHT field=" + ex.field() + " ok=" + ok);
                int thrown = 0;
                int accepted = 0;
                final Claim claim = new Claim();
                for (int i = 0; i < AFTER; i++)
                {
                    try
                    {
                        final long result = i % 2 == 0 ? publisher.offer(message, 0, message.capacity()) :
                            publisher.tryClaim(16, claim);
                        if (result == Publisher.OK)
                        {
                            accepted++;
                        }
                    }
                    catch (final CorruptRegionException again)
                    {
                        thrown++;
                    }
                }
                ChildSupport.println("AFTER thrown=" + thrown + " ok=" + accepted);
                return;
            }
            LockSupport.parkNanos(100_000);
        }
        ChildSupport.println("NOTHING ok=" + ok);
        System.exit(3);
    }

    private static void subscribe(final Subscriber subscriber)
    {
        ChildSupport.println("SUBSCRIBED");
        ChildSupport.awaitCommand("START");
        final long deadline = System.nanoTime() + deadlineNs;
        final long[] received = new long[1];
        while (System.nanoTime() - deadline < 0)
        {
            try
            {
                subscriber.poll((buffer, offset, length) -> received[0]++, 16, Duration.ofMillis(10));
            }
            catch (final CorruptRegionException ex)
            {
                ChildSupport.println("CAUGHT field=" + ex.field() + " received=" + received[0]);
                int thrown = 0;
                int delivered = 0;
                for (int i = 0; i < AFTER; i++)
                {
                    try
                    {
                        delivered += subscriber.poll((buffer, offset, length) -> { }, 16);
                    }
                    catch (final CorruptRegionException again)
                    {
                        thrown++;
                    }
                }
                ChildSupport.println("AFTER thrown=" + thrown + " ok=" + delivered);
                return;
            }
        }
        ChildSupport.println("NOTHING received=" + received[0]);
        System.exit(3);
    }
}
