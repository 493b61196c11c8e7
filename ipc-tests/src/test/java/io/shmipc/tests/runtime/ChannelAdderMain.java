package io.shmipc.tests.runtime;

import io.shmipc.ChannelKind;
import io.shmipc.ChannelSpec;
import io.shmipc.Region;
import io.shmipc.exceptions.ChannelMismatchException;
import io.shmipc.tests.support.ChildArguments;
import io.shmipc.tests.support.ChildSupport;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * Child process: adds 16 channels to an existing region as soon as the test writes {@code GO}: 4 names every
 * process adds with the same spec ({@code shared-0} to {@code shared-3}), 1 name every process adds with a spec of
 * its own ({@code contested}, capacity 1024 shifted by the process's id), and 11 names of its own
 * ({@code own-<id>-<k>}), interleaved so that the processes race on every shared name.
 * <p>
 * Arguments: {@code region}, {@code id}. Prints {@code READY}, then after the additions
 * {@code ADDED shared=.. own=.. contested=added|mismatch differences=..}, and on {@code LIST} the directory it
 * sees, sorted: {@code DIRECTORY name:kind:capacity:maxMessageLength,...}.
 */
public final class ChannelAdderMain
{
    /** The spec every process gives the shared names. */
    static final int SHARED_CAPACITY = 2048;
    /** Names every process adds with the same spec. */
    static final int SHARED = 4;
    /** Names each process adds alone. */
    static final int OWN = 11;

    private ChannelAdderMain()
    {
    }

    /**
     * Run the adder.
     *
     * @param args {@code key=value} arguments.
     */
    public static void main(final String[] args)
    {
        final ChildArguments arguments = ChildArguments.parse(args);
        final int id = arguments.integer("id");
        final StandardInputCommands commands = StandardInputCommands.start();
        try (Region region = Region.attach(arguments.location("region"), Duration.ofSeconds(30)))
        {
            ChildSupport.println("READY");
            commands.await("GO");
            final List<ChannelSpec> order = new ArrayList<>();
            for (int k = 0; k < OWN; k++)
            {
                order.add(new ChannelSpec("own-" + id + "-" + k, ChannelKind.values()[k % 3], 1024, 0));
                if (k < SHARED)
                {
                    order.add(new ChannelSpec("shared-" + k, ChannelKind.MANY_TO_ONE, SHARED_CAPACITY, 0));
                }
                if (k == 2)
                {
                    order.add(new ChannelSpec("contested", ChannelKind.ONE_TO_ONE, 1024 << id, 0));
                }
            }
            int shared = 0;
            int own = 0;
            String contested = "";
            for (final ChannelSpec spec : order)
            {
                try
                {
                    final ChannelSpec found = region.directory().openOrCreateChannel(spec);
                    if (found.kind() != spec.kind() || found.capacity() != spec.capacity())
                    {
                        ChildSupport.exitIncomplete("WRONG channel=" + spec + " found=" + found);
                    }
                    if (spec.name().startsWith("shared-"))
                    {
                        shared++;
                    }
                    else if (spec.name().startsWith("own-"))
                    {
                        own++;
                    }
                    else
                    {
                        contested = "added";
                    }
                }
                catch (final ChannelMismatchException ex)
                {
                    contested = "mismatch differences=" + String.join(";", ex.differences()).replace(' ', '_');
                }
            }
            ChildSupport.println("ADDED shared=" + shared + " own=" + own + " contested=" + contested);
            commands.await("LIST");
            final TreeSet<String> listed = new TreeSet<>();
            for (final ChannelSpec channel : region.channels())
            {
                listed.add(channel.name() + ":" + channel.kind() + ":" + channel.capacity() + ":" +
                    channel.maxMessageLength());
            }
            ChildSupport.println("DIRECTORY " + String.join(",", listed));
        }
    }
}
