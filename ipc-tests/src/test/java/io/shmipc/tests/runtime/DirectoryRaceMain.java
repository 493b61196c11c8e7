package io.shmipc.tests.runtime;

import io.shmipc.ChannelKind;
import io.shmipc.ChannelSpec;
import io.shmipc.Publisher;
import io.shmipc.Region;
import io.shmipc.RegionInspector;
import io.shmipc.Subscriber;
import io.shmipc.exceptions.ChannelInUseException;
import io.shmipc.exceptions.NoSuchChannelException;
import io.shmipc.tests.support.ChildArguments;
import io.shmipc.tests.support.ChildSupport;
import org.agrona.concurrent.UnsafeBuffer;

import java.time.Duration;

/**
 * Child process: ordinary directory work racing the same work of other processes, until the test writes
 * {@code STOP}. Nothing here may fail: every exception is counted as an error.
 * <ul>
 *     <li>{@code mode=churn}: adds a channel only this process uses, opens a publisher and a subscriber on it,
 *     passes one message, closes both and removes it (the removal must succeed); opens and removes a channel whose
 *     name all churners share (there, another churner holding it, or having removed it, is expected); lists the
 *     channels.</li>
 *     <li>{@code mode=attach}: attaches to the region, lists its channels and closes it.</li>
 *     <li>{@code mode=inspect}: as the inspection tools do, with one read-only {@link RegionInspector}: lists the
 *     channels with their status, and the channel list.</li>
 * </ul>
 * Arguments: {@code region}, {@code id}, {@code mode}, and {@code rounds} (rounds to run before stopping by itself;
 * 0, the default, runs until {@code STOP}). Prints {@code READY}, then, after an error, {@code FIRST <the first
 * error>}, and last {@code RACED cycles=.. errors=..}.
 */
public final class DirectoryRaceMain
{
    private static final Duration ATTACH_TIMEOUT = Duration.ofSeconds(30);
    private static final ChannelKind[] KINDS = {ChannelKind.ONE_TO_ONE, ChannelKind.MANY_TO_ONE,
        ChannelKind.PUBLISH_SUBSCRIBE};

    private final UnsafeBuffer message = new UnsafeBuffer(new byte[Long.BYTES]);
    private long cycles;
    private long errors;
    private Throwable first;

    private DirectoryRaceMain()
    {
    }

    /**
     * Run the child.
     *
     * @param args {@code key=value} arguments.
     */
    public static void main(final String[] args)
    {
        final ChildArguments arguments = ChildArguments.parse(args);
        final DirectoryRaceMain race = new DirectoryRaceMain();
        final StandardInputCommands commands = StandardInputCommands.start();
        final long rounds = arguments.longValue("rounds", 0);
        if (arguments.text("mode").equals("attach"))
        {
            ChildSupport.println("READY");
            while (commands.poll() == null && race.goesOn(rounds))
            {
                race.attachOnce(arguments);
            }
        }
        else if (arguments.text("mode").equals("inspect"))
        {
            try (RegionInspector inspector = RegionInspector.open(arguments.location("region")))
            {
                ChildSupport.println("READY");
                while (commands.poll() == null && race.goesOn(rounds))
                {
                    race.inspectOnce(inspector);
                }
            }
        }
        else
        {
            try (Region region = Region.attach(arguments.location("region"), ATTACH_TIMEOUT))
            {
                ChildSupport.println("READY");
                while (commands.poll() == null && race.goesOn(rounds))
                {
                    race.churnOnce(region, arguments.integer("id"));
                }
            }
        }
        if (race.first != null)
        {
            ChildSupport.println("FIRST " + race.first);
        }
        ChildSupport.println("RACED cycles=" + race.cycles + " errors=" + race.errors);
    }

    private boolean goesOn(final long rounds)
    {
        return rounds == 0 || cycles + errors < rounds;
    }

    private void attachOnce(final ChildArguments arguments)
    {
        try (Region region = Region.attach(arguments.location("region"), ATTACH_TIMEOUT))
        {
            region.channels();
            cycles++;
        }
        catch (final RuntimeException ex)
        {
            error(ex);
        }
    }

    private void inspectOnce(final RegionInspector inspector)
    {
        try
        {
            inspector.channels();
            inspector.channelList();
            cycles++;
        }
        catch (final RuntimeException ex)
        {
            error(ex);
        }
    }

    private void churnOnce(final Region region, final int id)
    {
        final ChannelKind kind = KINDS[(int)(cycles % KINDS.length)];
        try
        {
            final ChannelSpec own = new ChannelSpec("own-" + id, kind, 8192, 0);
            region.directory().openOrCreateChannel(own);
            try (Publisher publisher = region.publisher(own.name());
                Subscriber subscriber = region.subscriber(own.name()))
            {
                message.putLong(0, cycles);
                publisher.offer(message, 0, Long.BYTES);
                subscriber.poll((buffer, offset, length) -> { }, 1);
            }
            if (!region.directory().removeChannel(own.name()))
            {
                throw new IllegalStateException("own channel " + own.name() + " was not there to remove");
            }
            shared(region, new ChannelSpec("shared-" + cycles % 2, ChannelKind.MANY_TO_ONE, 8192, 0));
            region.channels();
            cycles++;
        }
        catch (final RuntimeException ex)
        {
            error(ex);
        }
    }

    private static void shared(final Region region, final ChannelSpec spec)
    {
        try
        {
            region.directory().openOrCreateChannel(spec);
            try (Publisher publisher = region.publisher(spec.name()))
            {
                publisher.isConsumerAlive();
            }
            region.directory().removeChannel(spec.name());
        }
        catch (final ChannelInUseException | NoSuchChannelException expected)
        {
            // Another churner has it open, or removed it between this one's adding and opening it.
        }
    }

    private void error(final RuntimeException ex)
    {
        errors++;
        if (first == null)
        {
            first = ex;
        }
    }
}
