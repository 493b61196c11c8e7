package io.shmipc.tests.channels;

import io.shmipc.ChannelKind;
import io.shmipc.Publisher;
import io.shmipc.Region;
import io.shmipc.RegionConfig;
import io.shmipc.RegionLocation;
import io.shmipc.Subscriber;
import io.shmipc.exceptions.CorruptRegionException;
import io.shmipc.tests.support.ChildArguments;
import io.shmipc.tests.support.ChildSupport;
import org.agrona.concurrent.UnsafeBuffer;

import java.time.Duration;

/**
 * Child process: attaches to each region it is given, which the test has damaged, reports what happened, and then
 * proves the JVM is still sound by creating a fresh region and passing a message through it.
 * <p>
 * Arguments ({@code key=value}): one {@code probe.<label>=<region>} per region to try, {@code selfCheck=<region>}
 * (a name that does not exist yet) and optional {@code attachTimeoutMs} (200). Prints one
 * {@code PROBE label=.. class=.. field=.. actual=..} line per probe ({@code class=ATTACHED} if the attach
 * succeeded, {@code field=-} for exceptions without a field), then {@code ALIVE received=<value>}.
 */
public final class AttachProbe
{
    private AttachProbe()
    {
    }

    /**
     * Run the probes.
     *
     * @param args {@code key=value} arguments.
     */
    public static void main(final String[] args)
    {
        final ChildArguments arguments = ChildArguments.parse(args);
        final Duration timeout = Duration.ofMillis(arguments.longValue("attachTimeoutMs", 200));
        for (final String key : arguments.keysStartingWith("probe."))
        {
            final String label = key.substring("probe.".length());
            try (Region region = Region.attach(arguments.location(key), timeout))
            {
                ChildSupport.println("PROBE label=" + label + " class=ATTACHED field=- actual=" + region);
            }
            catch (final RuntimeException ex)
            {
                final String field = ex instanceof CorruptRegionException ? ((CorruptRegionException)ex).field() : "-";
                final String actual = ex instanceof CorruptRegionException ?
                    ((CorruptRegionException)ex).actual() : "-";
                ChildSupport.println("PROBE label=" + label + " class=" + ex.getClass().getSimpleName() +
                    " field=" + field + " actual=" + actual);
                ChildSupport.println("  message: " + ex.getMessage());
            }
        }
        ChildSupport.println("ALIVE received=" + roundTrip(arguments.location("selfCheck")));
    }

    private static long roundTrip(final RegionLocation location)
    {
        final RegionConfig config = RegionConfig.builder(location)
            .channel("c", ChannelKind.ONE_TO_ONE, 4096).deleteOnClose(true).build();
        final long[] received = {-1};
        try (Region region = Region.create(config);
            Publisher publisher = region.publisher("c");
            Subscriber subscriber = region.subscriber("c"))
        {
            final UnsafeBuffer message = new UnsafeBuffer(new byte[Long.BYTES]);
            message.putLong(0, 42L);
            if (publisher.offer(message, 0, Long.BYTES) != Publisher.OK)
            {
                ChildSupport.exitIncomplete("FAILED self-check offer");
            }
            subscriber.poll((buffer, offset, length) -> received[0] = buffer.getLong(offset), 1);
        }
        return received[0];
    }
}
