package io.shmipc.tests.runtime;

import io.shmipc.ChannelKind;
import io.shmipc.ChannelSpec;
import io.shmipc.Publisher;
import io.shmipc.Region;
import io.shmipc.Subscriber;
import io.shmipc.exceptions.ChannelInUseException;
import io.shmipc.exceptions.NoSuchChannelException;
import io.shmipc.tests.support.ChildArguments;
import io.shmipc.tests.support.ChildSupport;
import org.agrona.concurrent.UnsafeBuffer;

import java.time.Duration;

/**
 * Child process: adds and removes channels in a loop until the test writes {@code STOP}: channels of every kind and
 * of capacities from 1 KiB to 32 KiB, named from a small set shared with the other churners (so they race on names,
 * entries and space), each used for one message between adding and removing when this process added it.
 * <p>
 * Arguments: {@code region}, {@code id}. Prints {@code READY}, then {@code CHURNED added=.. removed=.. inUse=..
 * gone=.. messages=..} at the end, where {@code inUse} counts removals (or opens) refused because another churner had
 * the channel open, and {@code gone} opens of a channel another churner had removed since it was added.
 */
public final class ChannelChurnMain
{
    private static final int NAMES = 6;

    private ChannelChurnMain()
    {
    }

    /**
     * Run the churner.
     *
     * @param args {@code key=value} arguments.
     */
    public static void main(final String[] args)
    {
        final ChildArguments arguments = ChildArguments.parse(args);
        final int id = arguments.integer("id");
        final StandardInputCommands commands = StandardInputCommands.start();
        final UnsafeBuffer message = new UnsafeBuffer(new byte[Long.BYTES]);
        long added = 0;
        long removed = 0;
        long inUse = 0;
        long gone = 0;
        long messages = 0;
        try (Region region = Region.attach(arguments.location("region"), Duration.ofSeconds(30)))
        {
            ChildSupport.println("READY");
            for (long round = 0; commands.poll() == null; round++)
            {
                final int name = (int)((round * 7 + id) % NAMES);
                final ChannelKind kind = ChannelKind.values()[name % 3];
                final ChannelSpec spec = new ChannelSpec("churn-" + name, kind, 1024 << (name % 7), 0);
                try
                {
                    region.directory().openOrCreateChannel(spec);
                    added++;
                    try (Publisher publisher = region.publisher(spec.name());
                        Subscriber subscriber = region.subscriber(spec.name()))
                    {
                        message.putLong(0, round);
                        if (publisher.offer(message, 0, Long.BYTES) == Publisher.OK &&
                            subscriber.poll((buffer, offset, length) -> { }, 1) == 1)
                        {
                            messages++;
                        }
                    }
                    if (region.directory().removeChannel(spec.name()))
                    {
                        removed++;
                    }
                }
                catch (final ChannelInUseException ex)
                {
                    inUse++; // another churner has it open, or holds its exclusive role
                }
                catch (final NoSuchChannelException ex)
                {
                    gone++; // another churner removed it between this one's adding and opening it
                }
            }
        }
        ChildSupport.println("CHURNED added=" + added + " removed=" + removed + " inUse=" + inUse + " gone=" + gone +
            " messages=" + messages);
    }
}
